/**
 * Errors raised by the core. Every user-facing failure names the input it is about, so that the
 * host (notifications, panel) and the CLI (stderr, exit code 2) can say "<file>: <problem>".
 */

/** Bad or unreadable input data: a corrupt file, a wrong shape, NaN probabilities, a size limit. */
export class InputError extends Error {
  /** The file (path or URI string) or logical input (e.g. "--input") the problem is about. */
  readonly source: string | undefined;

  constructor(message: string, source?: string) {
    super(source ? `${source}: ${message}` : message);
    this.name = 'InputError';
    this.source = source;
  }
}

/** A caller passed an option value outside its documented domain. */
export class OptionError extends RangeError {
  constructor(option: string, value: unknown, expected: string) {
    super(`option ${option} = ${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.name = 'OptionError';
  }
}

/** Raised when a long computation notices that its caller cancelled it. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
