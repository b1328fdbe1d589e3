/**
 * The two core data types every zone exchanges (docs/architecture.md §3): a label map (one class index per pixel) and a
 * probability map (one probability per class and pixel). Both keep an explicit shape array so that 3-D volumes
 * ([D, H, W]) use the same types as 2-D images ([H, W]); nothing in the core assumes "width and height".
 */

/** Storage of a label map: one integer class index per pixel, in C (row-major) order. */
export type LabelData = Uint8Array | Uint16Array | Int32Array;

/** Default "don't care" label (docs/architecture.md §3); configurable per label map. */
export const DEFAULT_IGNORE_INDEX = 255;

/**
 * An integer class index per pixel. `shape` is the spatial shape, [H, W] in 2-D or [D, H, W] in 3-D;
 * `data.length` equals the product of `shape`.
 */
export interface LabelMap {
  readonly data: LabelData;
  readonly shape: readonly number[];
  /**
   * Pixels with this value are "don't care". The metric spec v1 has no ignore label (metrics.md §0.4 reserves the
   * key), so the metric functions reject maps that contain it; loaders use it to flag such pixels.
   * Undefined means no ignore label.
   */
  readonly ignoreIndex?: number;
}

/**
 * Per-class probabilities in channel-first layout: `shape` = [C, ...spatial] ([C, H, W] in 2-D), values in [0, 1].
 * C = 1 is a binary sigmoid output (probability of class 1); otherwise C = numClasses, one map per class.
 */
export interface ProbMap {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** Physical distance between neighbouring pixels per array axis ([dy, dx] in 2-D, [dz, dy, dx] in 3-D). */
export type Spacing = readonly number[];

/** Number of pixels of a spatial shape. */
export function pixelCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The spatial shape of a probability map (its shape without the leading channel axis). */
export function probSpatialShape(prob: ProbMap): readonly number[] {
  return prob.shape.slice(1);
}

/** The number of channels of a probability map. */
export function probChannels(prob: ProbMap): number {
  return prob.shape[0];
}
