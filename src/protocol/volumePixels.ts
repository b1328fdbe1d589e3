/**
 * How the volume panel's slices cross to the webview compactly. The host keeps the exact voxels (the read-out asks
 * it for the value at the crosshair); the webview gets what it draws:
 *
 * - the image as 16-bit levels over the image's finite range [min, max]: level 0 is NaN, 1 … 65535 are min … max
 *   (−Infinity is 1, +Infinity 65535). Half the bytes of float32, and 65,534 steps keep window/level exact to
 *   (max − min) / 65534 — a 0.06 HU step on a −1024 … 3071 CT, far below one grey level of any window a person picks;
 * - labels as Uint8 when every label of the volume fits a byte (the usual case: ≤ 255 classes, 255 = ignore), else
 *   Uint16 (as before);
 * - the heatmap as its 8-bit levels (unchanged).
 *
 * Window/level is applied in the webview through a lookup table of the 65,536 levels, so dragging the window never
 * asks the host for anything. Pure: no DOM, no node.
 */

/** Number of image levels (level 0 = NaN). */
export const IMAGE_LEVELS = 65_536;
const TOP = IMAGE_LEVELS - 2; // 65534 steps between level 1 (min) and level 65535 (max)

/** The image level of each value of `src` over [min, max], into `out`. */
export function quantiseImage(
  src: ArrayLike<number>,
  min: number,
  max: number,
  out: Uint16Array = new Uint16Array(src.length),
): Uint16Array {
  if (out.length !== src.length)
    throw new RangeError(`level buffer holds ${out.length} values, the slice ${src.length}`);
  const span = max - min;
  const scale = span > 0 ? TOP / span : 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v !== v) {
      out[i] = 0;
      continue;
    }
    const q = 1 + Math.round((v - min) * scale);
    out[i] = q < 1 ? 1 : q > TOP + 1 ? TOP + 1 : q;
  }
  return out;
}

/** The value a level stands for (NaN for level 0): min + (level − 1)·(max − min)/65534. */
export function imageLevelValue(level: number, min: number, max: number): number {
  if (level === 0) return NaN;
  return max > min ? min + ((level - 1) * (max - min)) / TOP : min;
}

/**
 * The grey (0 … 255, unrounded) of every level under the window [low, high]: values ≤ low black, ≥ high white,
 * linear between; NaN (level 0) black. A window of zero width shows values ≥ high white, the rest black.
 */
export function greyLevels(
  min: number,
  max: number,
  low: number,
  high: number,
  out: Float32Array = new Float32Array(IMAGE_LEVELS),
): Float32Array {
  const span = high - low;
  const scale = span > 0 ? 255 / span : 0;
  out[0] = 0;
  for (let q = 1; q < IMAGE_LEVELS; q++) {
    const v = imageLevelValue(q, min, max);
    const g = span > 0 ? (v - low) * scale : v >= high ? 255 : 0;
    out[q] = g < 0 ? 0 : g > 255 ? 255 : g;
  }
  return out;
}

/** The label type on the wire: one byte when every label of the volume fits. */
export type VolumeLabelType = 'uint8' | 'uint16';

/** The wire type for labels whose largest value is `maxLabel`. */
export function labelTypeFor(maxLabel: number): VolumeLabelType {
  return maxLabel <= 255 ? 'uint8' : 'uint16';
}
