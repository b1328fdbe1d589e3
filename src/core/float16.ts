/**
 * IEEE 754 half precision. JavaScript has no portable Float16Array on node 20, so float16 data (from .npy files
 * and from models with float16 outputs) is widened to float32 through this one function.
 */

/** Converts the 16 bits of a half-precision float to its value (subnormals, ±Infinity and NaN included). */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
