/**
 * The building blocks every panel's protocol uses to check what arrives from a webview (an untrusted source,
 * docs/architecture.md §8): field readers that throw `Invalid` naming the field, and validator tables typed over
 * a message union so that adding a message without its validator does not compile.
 *
 * A panel's protocol module (viewer.ts, analysis.ts, …) declares its union, one `ValidatorTable` for the messages
 * the host accepts, one `TypeTable` for the messages the webview accepts, and exports the parsers built here.
 */

/** What a parser returns: the rebuilt value, or the first problem found. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Every message of every panel is a discriminated union on `type`. */
export interface Message {
  type: string;
}

/** The first problem found in an untrusted value; parsers turn it into `{ ok: false }`. */
export class Invalid extends Error {}

export function fail(message: string): never {
  throw new Invalid(message);
}

/**
 * One validator per message type of `U`: it receives the message as a plain record and returns a fresh message of
 * exactly that type. A type of `U` without a row, or a row returning another type, is a compile error.
 */
export type ValidatorTable<U extends Message> = {
  readonly [K in U['type']]: (o: Record<string, unknown>) => Extract<U, { type: K }>;
};

/**
 * A light shape check per message type of `U` (true = plausible). The webview trusts the host but may receive
 * messages from other frames; its accepted set is the keys of this table, so it cannot drift from the union.
 */
export type TypeTable<U extends Message> = {
  readonly [K in U['type']]: (o: Record<string, unknown>) => boolean;
};

/** Longest string accepted from a webview unless a field says otherwise. */
export const MAX_STRING = 4096;

export function isRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

export function record(x: unknown, what: string): Record<string, unknown> {
  if (!isRecord(x)) fail(`${what} must be a plain object`);
  return x;
}

/** Reads an own property only, so a key inherited through a prototype never counts as present. */
export function field(o: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

export function int(o: Record<string, unknown>, key: string, min: number, max: number, what = key): number {
  const v = field(o, key);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(`${what} must be an integer in [${min}, ${max}]`);
  }
  return v;
}

export function num(o: Record<string, unknown>, key: string, min: number, max: number, what = key): number {
  const v = field(o, key);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    fail(`${what} must be a finite number in [${min}, ${max}]`);
  }
  return v;
}

export function str(o: Record<string, unknown>, key: string, maxLength = MAX_STRING, what = key): string {
  const v = field(o, key);
  if (typeof v !== 'string' || v.length > maxLength)
    fail(`${what} must be a string of at most ${maxLength} characters`);
  return v;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail(`${what} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/** Runs `parse` and turns an `Invalid` into a failed `Parsed`; any other error is a bug and propagates. */
export function parsed<T>(parse: () => T): Parsed<T> {
  try {
    return { ok: true, value: parse() };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}

/** The types a table has rows for (the table's own keys only). */
export function typesOf<U extends Message>(table: ValidatorTable<U> | TypeTable<U>): ReadonlySet<string> {
  return new Set(Object.keys(table));
}

/**
 * Checks `x` against the row of its `type` in `table` and returns the freshly built message; throws `Invalid`
 * for a non-object, an unknown type or a bad field. `what` names the value in messages ("message", "request").
 */
export function byType<U extends Message>(table: ValidatorTable<U>, x: unknown, what: string): U {
  const o = record(x, what);
  const type = field(o, 'type');
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) {
    fail(
      `unknown ${what} type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}`,
    );
  }
  const validate = (table as Record<string, (o: Record<string, unknown>) => U>)[type];
  return validate(o);
}

/**
 * The webview's side: `x` when it is an object whose `type` has a row in `table` and passes that row's shape
 * check, otherwise undefined (ignored).
 */
export function accepted<U extends Message>(table: TypeTable<U>, x: unknown): U | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) return undefined;
  const check = (table as Record<string, (o: Record<string, unknown>) => boolean>)[type];
  return check(o) ? (x as U) : undefined;
}
