/**
 * Bilinear resampling of one plane with half-pixel centres, the convention of PyTorch's
 * `interpolate(mode="bilinear", align_corners=False)` and OpenCV's INTER_LINEAR: destination pixel i samples the
 * source at (i + 0.5) · in/out − 0.5, clamped to the source rectangle. No antialiasing, so a large downscale
 * aliases exactly like those libraries do (which is what a model trained with them expects).
 *
 * Planes are addressed with explicit offsets and strides so that the same routine reads and writes channel-first
 * planes, interleaved (channels-last) pixels and sub-rectangles without copying.
 */
import { Rect } from './geometry';

/** A view of one 2-D plane inside a flat array: element (y, x) is at offset + y·rowStride + x·pixelStride. */
export interface PlaneView<T extends Float32Array | Float64Array = Float32Array | Float64Array> {
  data: T;
  offset: number;
  rowStride: number;
  pixelStride: number;
}

/** Sampling positions along one axis: index pairs and the weight of the second index. */
interface AxisTable {
  i0: Int32Array;
  i1: Int32Array;
  w: Float64Array;
}

function axisTable(start: number, length: number, outLength: number): AxisTable {
  const i0 = new Int32Array(outLength);
  const i1 = new Int32Array(outLength);
  const w = new Float64Array(outLength);
  const scale = length / outLength;
  const last = start + length - 1;
  for (let i = 0; i < outLength; i++) {
    let p = start + (i + 0.5) * scale - 0.5;
    if (p < start) p = start;
    if (p > last) p = last;
    const a = Math.floor(p);
    i0[i] = a;
    i1[i] = a < last ? a + 1 : last;
    w[i] = p - a;
  }
  return { i0, i1, w };
}

/**
 * Resamples the rectangle `rect` of `src` to outHeight×outWidth into `dst`. When the rectangle already has the
 * destination size the values are copied exactly (no interpolation arithmetic, so crops are bit-exact).
 */
export function resampleBilinear(
  src: PlaneView,
  rect: Rect,
  dst: PlaneView<Float32Array>,
  outHeight: number,
  outWidth: number,
): void {
  const s = src.data;
  const d = dst.data;
  if (rect.height === outHeight && rect.width === outWidth) {
    if (src.pixelStride === 1 && dst.pixelStride === 1) {
      // Contiguous rows on both sides (channel-first crops, the common pad case): copy row by row natively.
      for (let y = 0; y < outHeight; y++) {
        const si = src.offset + (rect.top + y) * src.rowStride + rect.left;
        d.set(s.subarray(si, si + outWidth), dst.offset + y * dst.rowStride);
      }
      return;
    }
    for (let y = 0; y < outHeight; y++) {
      let si = src.offset + (rect.top + y) * src.rowStride + rect.left * src.pixelStride;
      let di = dst.offset + y * dst.rowStride;
      for (let x = 0; x < outWidth; x++) {
        d[di] = s[si];
        si += src.pixelStride;
        di += dst.pixelStride;
      }
    }
    return;
  }
  const ty = axisTable(rect.top, rect.height, outHeight);
  const tx = axisTable(rect.left, rect.width, outWidth);
  // Column offsets are precomputed once so the inner loop is four loads and a few multiply-adds.
  const c0 = new Int32Array(outWidth);
  const c1 = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) {
    c0[x] = tx.i0[x] * src.pixelStride;
    c1[x] = tx.i1[x] * src.pixelStride;
  }
  const wx = tx.w;
  for (let y = 0; y < outHeight; y++) {
    const r0 = src.offset + ty.i0[y] * src.rowStride;
    const r1 = src.offset + ty.i1[y] * src.rowStride;
    const wy = ty.w[y];
    const wy0 = 1 - wy;
    let di = dst.offset + y * dst.rowStride;
    for (let x = 0; x < outWidth; x++) {
      const w1 = wx[x];
      const w0 = 1 - w1;
      const top = w0 * s[r0 + c0[x]] + w1 * s[r0 + c1[x]];
      const bottom = w0 * s[r1 + c0[x]] + w1 * s[r1 + c1[x]];
      d[di] = wy0 * top + wy * bottom;
      di += dst.pixelStride;
    }
  }
}
