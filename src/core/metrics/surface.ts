/**
 * Surface metrics (docs/specs/metrics.md §3): HD, HD95, ASSD, the directed mean distances and NSD at τ (boundary IoU,
 * reported with them, is in boundaryIou.ts),
 * all from exact Euclidean distance transforms with spacing. Surface pixels are counted with weight 1 (MONAI's
 * default and MetricsReloaded), and every empty case follows §3.8: a distance to nothing is +∞, never 0.
 */
import { LabelData } from '../types';
import { BothEmptyPolicy } from './config';
import { ClassCrop, cropClass } from './crop';
import { boundaryBandWidth, boundaryIouOfCrop } from './boundaryIou';
// Kept importable from here too: callers think of the band width and the diagonal as surface-metric helpers.
export { boundaryBandWidth, physicalDiagonal } from './boundaryIou';
import { squaredEdt } from './edt';
import type { GtClassWork } from './sharedGt';
import { directBudget, directDistancesOfCoordinates } from './surfaceDistances';
import { distancesAtRuns, maskRuns, runCoordinates, runPixels, runsToMask, surfaceRuns } from './lineRuns';
import { policyValue } from './ratio';
import { SurfaceMetrics } from './types';

export interface SurfaceOptions {
  spacing: readonly number[];
  hdPercentile: number;
  nsdTolerance: number;
  boundaryIouDilationRatio: number;
  /**
   * Compute boundary IoU (two more distance transforms). When false it is reported as NaN, for callers that only
   * show the distances (e.g. a fast first paint). @default true
   */
  boundaryIou?: boolean;
  bothEmpty: BothEmptyPolicy;
}

/** Tolerance added to "≤" comparisons so grid distances equal to τ are never lost to rounding (spec §3.6). */
const EPS = 1e-9;

/** Percentile with linear interpolation between closest ranks (numpy "linear", Hyndman–Fan 7); sorts `v`. */
export function percentileLinear(v: Float64Array, q: number): number {
  const n = v.length;
  if (n === 0) return Number.NaN;
  v.sort();
  const h = ((n - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

/**
 * Marks the surface of a mask (pixels of the mask with a face neighbour outside it). The mask must have a
 * background frame of one pixel (as a ClassCrop has), so neighbours never leave the array.
 */
export function surfaceOf(mask: Uint8Array, shape: readonly number[]): Uint8Array {
  const nd = shape.length;
  const strides = new Array<number>(nd);
  let s = 1;
  for (let a = nd - 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a];
  }
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    for (let a = 0; a < nd; a++) {
      const st = strides[a];
      if (!mask[i - st] || !mask[i + st]) {
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}

/** Surface metrics of one class of one image, per spec §3 (with the empty cases of §3.8). */
export function surfaceMetrics(
  gt: LabelData,
  pred: LabelData,
  shape: readonly number[],
  cls: number,
  opt: SurfaceOptions,
): SurfaceMetrics {
  return surfaceMetricsOfCrop(cropClass(gt, pred, shape, cls), shape, opt);
}

/**
 * Surface metrics from a class crop (null = the class is in neither map).
 * @param shape the full image shape (the boundary-IoU band width depends on the image diagonal).
 * @param gtWork the GT work of this crop's shared box (sharedGt.ts): GT surface, its distance transform and band
 *   are read from it when present, and stored in it when computed.
 */
export function surfaceMetricsOfCrop(
  crop: ClassCrop | null,
  shape: readonly number[],
  opt: SurfaceOptions,
  gtWork?: GtClassWork,
): SurfaceMetrics {
  const bandWidth = boundaryBandWidth(shape, opt.spacing, opt.boundaryIouDilationRatio);
  const dist0 = policyValue(opt.bothEmpty, 0);
  const one = policyValue(opt.bothEmpty, 1);
  if (!crop) {
    return {
      nGtSurface: 0,
      nPredSurface: 0,
      boundaryIouBandWidth: bandWidth,
      hd: dist0,
      hd95: dist0,
      assd: dist0,
      meanDistGtToPred: dist0,
      meanDistPredToGt: dist0,
      nsd: one,
      boundaryIou: one,
    };
  }
  const cs = crop.shape;
  // Both surfaces as runs of their crop lines (lineRuns.ts): counted, listed and read without a pass over the
  // crop's pixels; the mask runs serve the boundary IoU too.
  let gRuns = gtWork?.maskRuns;
  if (!gRuns) {
    gRuns = crop.gtRuns ?? maskRuns(crop.gt, cs);
    if (gtWork) gtWork.maskRuns = gRuns;
  }
  let sg = gtWork?.surfaceRuns;
  if (!sg) {
    sg = surfaceRuns(gRuns, cs);
    if (gtWork) {
      gtWork.surfaceRuns = sg;
      gtWork.surfaceCount = runPixels(sg);
    }
  }
  const pRuns = crop.predRuns ?? maskRuns(crop.pred, cs);
  const sp = surfaceRuns(pRuns, cs);
  const nG = gtWork?.surfaceCount ?? runPixels(sg);
  const nP = runPixels(sp);
  if (nG === 0 || nP === 0) {
    // One side is empty: distances to nothing are +∞; the side with no surface has no directed mean (NaN).
    const INF = Number.POSITIVE_INFINITY;
    return {
      nGtSurface: nG,
      nPredSurface: nP,
      boundaryIouBandWidth: bandWidth,
      hd: INF,
      hd95: INF,
      assd: INF,
      meanDistGtToPred: nG === 0 ? Number.NaN : INF,
      meanDistPredToGt: nP === 0 ? Number.NaN : INF,
      nsd: 0,
      boundaryIou: 0,
    };
  }
  // Scratch for the transforms, made only if one runs (the direct paths need none).
  let buf: Float64Array | undefined;
  let dGP: Float64Array;
  let dPG: Float64Array;
  // Surfaces that lie close together are compared directly (the same numbers as the transforms, at a few lines
  // per pixel); a search that would cost more than the transforms gives up for them.
  const budget = directBudget(nG, nP, crop.gt.length, cs.length);
  const direct =
    budget > 0
      ? directDistancesOfCoordinates(
          runCoordinates(sg, cs, nG),
          nG,
          runCoordinates(sp, cs, nP),
          nP,
          cs.length,
          opt.spacing,
          budget,
        )
      : null;
  if (direct) {
    dGP = direct.gToP;
    dPG = direct.pToG;
  } else {
    buf = new Float64Array(crop.gt.length);
    dGP = distancesAtRuns(squaredEdt(runsToMask(sp), cs, opt.spacing, buf), sg, nG);
    let toGt: Float64Array;
    if (gtWork) toGt = gtWork.surfaceEdt ??= squaredEdt(runsToMask(sg), cs, opt.spacing);
    else toGt = squaredEdt(runsToMask(sg), cs, opt.spacing, buf);
    dPG = distancesAtRuns(toGt, sp, nP);
  }
  let maxGP = 0;
  let maxPG = 0;
  let sumGP = 0;
  let sumPG = 0;
  let within = 0;
  const tau = opt.nsdTolerance + EPS;
  for (let i = 0; i < nG; i++) {
    const d = dGP[i];
    if (d > maxGP) maxGP = d;
    sumGP += d;
    if (d <= tau) within++;
  }
  for (let i = 0; i < nP; i++) {
    const d = dPG[i];
    if (d > maxPG) maxPG = d;
    sumPG += d;
    if (d <= tau) within++;
  }
  const hd95 = Math.max(percentileLinear(dGP, opt.hdPercentile), percentileLinear(dPG, opt.hdPercentile));
  return {
    nGtSurface: nG,
    nPredSurface: nP,
    boundaryIouBandWidth: bandWidth,
    hd: Math.max(maxGP, maxPG),
    hd95,
    assd: (sumGP + sumPG) / (nG + nP),
    meanDistGtToPred: sumGP / nG,
    meanDistPredToGt: sumPG / nP,
    nsd: within / (nG + nP),
    boundaryIou:
      opt.boundaryIou === false
        ? Number.NaN
        : boundaryIouOfCrop(crop, opt.spacing, bandWidth, opt.bothEmpty, buf, gtWork, {
            gt: gRuns,
            pred: pRuns,
          }),
  };
}
