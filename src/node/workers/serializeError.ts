/**
 * One way for every worker thread (the pool's and the model runner's) to report a failure across the thread
 * boundary: a structured-clonable record that keeps the file an InputError names.
 */
import { InputError } from '../../core/errors';
import type { SerializedError } from './tasks';

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
