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
    super(`option ${option} = ${describeValue(value)} is invalid: expected ${expected}`);
    this.name = 'OptionError';
  }
}

/**
 * A value as a short text for a message: JSON for numbers, strings and booleans; arrays and objects by their
 * first items at a bounded depth (a 20,000-deep list from a hostile config must not overflow the stack), with
 * "…" where something was left out; at most `max` characters.
 */
export function describeValue(value: unknown, max = 80): string {
  const walk = (v: unknown, depth: number): string => {
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      return JSON.stringify(v) ?? String(v);
    }
    if (depth >= 3) return Array.isArray(v) ? '[…]' : '{…}';
    if (Array.isArray(v)) {
      const items = v.slice(0, 4).map((x) => walk(x, depth + 1));
      return `[${items.join(',')}${v.length > 4 ? ',…' : ''}]`;
    }
    const keys = Object.keys(v).slice(0, 4);
    const items = keys.map(
      (k) => `${JSON.stringify(k)}:${walk((v as Record<string, unknown>)[k], depth + 1)}`,
    );
    return `{${items.join(',')}${Object.keys(v).length > 4 ? ',…' : ''}}`;
  };
  const text = walk(value, 0);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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
