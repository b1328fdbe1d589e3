/**
 * A minimal n-dimensional array: a typed array in C (row-major) order plus its shape.
 * Loaders (npy/npz/png) produce these; decoders and metrics consume them.
 */

export type DType =
  | 'bool'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float16'
  | 'float32'
  | 'float64';

/**
 * Storage per dtype. 64-bit integers are kept as BigInt arrays so no value is silently rounded;
 * float16 is widened to Float32Array on load (JS has no portable Float16Array on node 20).
 */
export type TypedArray =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface NDArray<T extends TypedArray = TypedArray> {
  /** The dtype of the source data (float16 is stored widened as float32). */
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Values in C order, length = product(shape). */
  readonly data: T;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Reads element i as a JS number (64-bit integers above 2^53 lose precision; callers that care check dtype). */
export function numberAt(a: NDArray, i: number): number {
  return Number(a.data[i]);
}

/** Converts any NDArray to a Float32Array copy (or returns the data itself when already float32). */
export function toFloat32(a: NDArray): Float32Array {
  if (a.data instanceof Float32Array) return a.data;
  const n = a.data.length;
  const out = new Float32Array(n);
  if (a.data instanceof BigInt64Array || a.data instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) out[i] = Number(a.data[i]);
  } else {
    out.set(a.data);
  }
  return out;
}
