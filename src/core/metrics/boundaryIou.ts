/**
 * Boundary IoU (Cheng et al., CVPR 2021; docs/specs/metrics.md §3.7): the IoU of the inner boundary bands of the two
 * masks, with a Euclidean band in physical units (not the authors' chessboard erosion), so that it means the same
 * with anisotropic spacing and in 3-D.
 */
import { BothEmptyPolicy } from './config';
import { ClassCrop } from './crop';
import { bandByStamping } from './bandStamp';
import { LineRuns, bandRuns, maskRuns, runPixels, sharedPixels } from './lineRuns';
import { squaredEdt } from './edt';
import type { GtClassWork } from './sharedGt';
import { policyValue } from './ratio';

/** Tolerance of the band's "≤ width" (spec §3.7). */
const EPS = 1e-9;

/** The physical diagonal of an image: sqrt(Σ (size·spacing)²). */
export function physicalDiagonal(shape: readonly number[], spacing: readonly number[]): number {
  let s = 0;
  for (let a = 0; a < shape.length; a++) s += (shape[a] * spacing[a]) ** 2;
  return Math.sqrt(s);
}

/** Boundary-IoU band width: max(ratio · diagonal, max spacing) (spec §3.7). */
export function boundaryBandWidth(
  shape: readonly number[],
  spacing: readonly number[],
  ratio: number,
): number {
  return Math.max(ratio * physicalDiagonal(shape, spacing), Math.max(...spacing));
}

/**
 * Inner band of a mask: pixels whose distance to the nearest non-mask pixel is ≤ width (spec §3.7). Compared on
 * squared distances against (width + 1e-9)², which orders exactly like the spec's sqrt(d²) ≤ width + 1e-9 up to
 * a relative 1e-16 that the 1e-9 margin absorbs.
 */
export function band(
  mask: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
  width: number,
  buf: Float64Array | undefined,
): Uint8Array {
  const lim = (width + EPS) * (width + EPS);
  // A thin band around a short boundary is cheaper to stamp than to find by a transform (same pixels).
  const stamped = bandByStamping(mask, shape, spacing, lim);
  if (stamped) return stamped;
  const sq = squaredEdt(mask, shape, spacing, buf, true);
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) if (mask[i] && sq[i] <= lim) out[i] = 1;
  return out;
}

/**
 * Boundary IoU of a class crop (both masks non-empty or not: an empty side has an empty band).
 * @param buf scratch buffer of the crop's size for the distance transform.
 * @param gtWork the GT work of this crop's shared box (sharedGt.ts): the GT band is read from it or stored in it.
 * @param runs the crop's mask runs (lineRuns.ts maskRuns) when already read.
 */
export function boundaryIouOfCrop(
  crop: ClassCrop,
  spacing: readonly number[],
  width: number,
  policy: BothEmptyPolicy,
  buf?: Float64Array,
  gtWork?: GtClassWork,
  runs?: { gt: LineRuns; pred: LineRuns },
): number {
  // On runs first (lineRuns.ts): no pass over the crop's pixels beyond reading its runs. A ball too tall for the
  // runs falls back to the pixel bands below (the same pixels).
  const lim = (width + EPS) * (width + EPS);
  let gr: LineRuns | null;
  if (gtWork?.bandRuns && gtWork.bandRuns.width === width) gr = gtWork.bandRuns.runs;
  else {
    gr = bandRuns(runs?.gt ?? maskRuns(crop.gt, crop.shape), crop.shape, spacing, lim);
    if (gtWork) gtWork.bandRuns = { width, runs: gr };
  }
  const pr = gr && bandRuns(runs?.pred ?? maskRuns(crop.pred, crop.shape), crop.shape, spacing, lim);
  if (gr && pr) {
    const inter = sharedPixels(gr, pr);
    const union = runPixels(gr) + runPixels(pr) - inter;
    return union === 0 ? policyValue(policy, 1) : inter / union;
  }
  // The transform's scratch is made by squaredEdt only if a band needs the transform.
  const scratch = buf && buf.length === crop.gt.length ? buf : undefined;
  let bg: Uint8Array;
  if (gtWork?.band && gtWork.band.width === width) bg = gtWork.band.mask;
  else {
    bg = band(crop.gt, crop.shape, spacing, width, scratch);
    if (gtWork) gtWork.band = { width, mask: bg };
  }
  const bp = band(crop.pred, crop.shape, spacing, width, scratch);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < bg.length; i++) {
    inter += bg[i] & bp[i];
    union += bg[i] | bp[i];
  }
  return union === 0 ? policyValue(policy, 1) : inter / union;
}
