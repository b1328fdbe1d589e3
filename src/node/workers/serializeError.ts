/**
 * The one error shape that crosses a worker thread boundary (every worker: the pool's, the model runner's, the
 * linter's): a structured-clonable record that keeps the error's kind and the file an InputError names, so a
 * message shown on the host still says which file was wrong.
 */
import { CancelledError, InputError } from '../../core/errors';

export interface SerializedError {
  name: string;
  message: string;
  /** The file an InputError is about. */
  source?: string;
  stack?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    return {
      name: e.name,
      message: e.message,
      source: e instanceof InputError ? e.source : undefined,
      stack: e.stack,
    };
  }
  return { name: 'Error', message: String(e) };
}

/** Rebuilds an error thrown in a worker: InputError keeps its `source`, CancelledError its class. */
export function deserializeError(e: SerializedError): Error {
  let err: Error;
  if (e.name === 'InputError') {
    err = new InputError(e.message);
    Object.defineProperty(err, 'source', { value: e.source, enumerable: true });
  } else if (e.name === 'CancelledError') {
    err = new CancelledError();
  } else {
    err = new Error(e.message);
    err.name = e.name;
  }
  if (e.stack) err.stack = e.stack;
  return err;
}
