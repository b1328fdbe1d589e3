/**
 * The replies of the debuggee helper (pythonHelper.ts), checked field by field: they come from another process and
 * another language, so nothing is trusted by shape. Non-finite numbers travel as the strings "NaN", "Infinity" and
 * "-Infinity" (JSON has no spelling for them) and are turned back into numbers here.
 */

/** One value the helper saved: what it is and where its `.npy` is. */
export interface SavedValue {
  expression: string;
  /** Where it came from: "numpy", "torch", "tensorflow", "jax" or the Python type name. */
  kind: string;
  /** The `.npy` file the helper wrote (a bare `value<i>.npy` name when the bytes came inline). */
  file: string;
  /** The `.npy` bytes in base64, when the debuggee could not write to the folder (materialize() writes them). */
  data?: string;
  shape: number[];
  /** NumPy's dtype name after conversion, e.g. "float32". */
  dtype: string;
  bytes: number;
  /** Smallest and largest finite value (absent when there is none). */
  min?: number;
  max?: number;
  /** Count of NaN and ±∞ values (floats only). */
  nonFinite?: number;
  /** Distinct values, counted up to 257 (on a sample of at most about a million values for floats). */
  distinct?: number;
  /** The distinct values when there are at most 16. */
  values?: number[];
}

export interface FailedReply {
  ok: false;
  error: string;
  /** Set when the values were refused for their size, before any was converted. */
  tooLarge?: { bytes: number; limit: number };
  /** Set when the folder the extension named does not exist for the debuggee (another machine or container). */
  noFolder?: boolean;
}

export type ViewReply = { ok: true; values: SavedValue[] } | FailedReply;

export interface LossReply {
  ok: true;
  /** What the function returned on the whole batch: its shape and its mean. */
  batch: { shape: number[]; mean: number };
  /** The mean of what it returned on each image's slice `[i:i+1]` (empty for inputs of rank < 3). */
  perImage: number[];
  prediction: SavedValue;
  target: SavedValue;
}

type Obj = Record<string, unknown>;

function fail(what: string): never {
  throw new Error(`malformed reply from the debugger: ${what}`);
}

function obj(x: unknown, what: string): Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(`${what} is not an object`);
  return x as Obj;
}

function num(x: unknown, what: string): number {
  if (typeof x === 'number') return x;
  if (x === 'NaN') return NaN;
  if (x === 'Infinity') return Infinity;
  if (x === '-Infinity') return -Infinity;
  return fail(`${what} is not a number`);
}

function optNum(x: unknown, what: string): number | undefined {
  return x === undefined ? undefined : num(x, what);
}

function str(x: unknown, what: string): string {
  return typeof x === 'string' ? x : fail(`${what} is not a string`);
}

function shape(x: unknown, what: string): number[] {
  if (!Array.isArray(x) || x.length > 32) fail(`${what} is not a shape`);
  return x.map((d, i) => {
    const v = num(d, `${what}[${i}]`);
    if (!Number.isInteger(v) || v < 0) fail(`${what}[${i}] is not a size`);
    return v;
  });
}

function savedValue(x: unknown, what: string): SavedValue {
  const o = obj(x, what);
  const out: SavedValue = {
    expression: str(o.expression, `${what}.expression`),
    kind: str(o.kind, `${what}.kind`),
    file: str(o.file, `${what}.file`),
    shape: shape(o.shape, `${what}.shape`),
    dtype: str(o.dtype, `${what}.dtype`),
    bytes: num(o.bytes, `${what}.bytes`),
  };
  const min = optNum(o.min, `${what}.min`);
  const max = optNum(o.max, `${what}.max`);
  const nonFinite = optNum(o.nonFinite, `${what}.nonFinite`);
  const distinct = optNum(o.distinct, `${what}.distinct`);
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  if (nonFinite !== undefined) out.nonFinite = nonFinite;
  if (distinct !== undefined) out.distinct = distinct;
  if (o.data !== undefined) out.data = str(o.data, `${what}.data`);
  if (o.values !== undefined) {
    if (!Array.isArray(o.values)) fail(`${what}.values is not a list`);
    out.values = o.values.map((v, i) => num(v, `${what}.values[${i}]`));
  }
  return out;
}

function failed(o: Obj): FailedReply {
  const out: FailedReply = { ok: false, error: str(o.error, 'error') };
  if (o.tooLarge !== undefined) {
    const t = obj(o.tooLarge, 'tooLarge');
    out.tooLarge = { bytes: num(t.bytes, 'tooLarge.bytes'), limit: num(t.limit, 'tooLarge.limit') };
  }
  if (o.noFolder === true) out.noFolder = true;
  return out;
}

export function parseViewReply(x: unknown): ViewReply {
  const o = obj(x, 'the reply');
  if (o.ok !== true) return failed(o);
  if (!Array.isArray(o.values)) fail('values is not a list');
  return { ok: true, values: o.values.map((v, i) => savedValue(v, `values[${i}]`)) };
}

export function parseLossReply(x: unknown): LossReply | FailedReply {
  const o = obj(x, 'the reply');
  if (o.ok !== true) return failed(o);
  const batch = obj(o.batch, 'batch');
  if (!Array.isArray(o.perImage)) fail('perImage is not a list');
  return {
    ok: true,
    batch: { shape: shape(batch.shape, 'batch.shape'), mean: num(batch.mean, 'batch.mean') },
    perImage: o.perImage.map((v, i) => num(v, `perImage[${i}]`)),
    prediction: savedValue(o.prediction, 'prediction'),
    target: savedValue(o.target, 'target'),
  };
}
