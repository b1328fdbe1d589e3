/**
 * Label-error candidates: (image, class) pairs where the model is confident and disagrees with the ground truth.
 *
 * The score (documented in docs/dataset.md):
 * - the disagreement regions of class c are the connected components (8-connectivity in 2-D, 26 in 3-D) of
 *   "missed" pixels (GT = c, prediction ≠ c) and, separately, of "spurious" pixels (prediction = c, GT ≠ c);
 * - the confidence of the model at a pixel is 1 − p_c on a missed pixel (the model says "not c" where the label
 *   says c) and p_c on a spurious pixel (the model says c where the label says otherwise);
 * - a region's score is its mean confidence; regions smaller than `minPixels` are ignored (speckle);
 * - the (image, class) score is the best region's score (ties: the larger region), in [0, 1]; the region is
 *   returned (kind, size, bounding box) so a viewer can jump to it.
 * A score near 1 means "the model is sure and the label says otherwise: check this label".
 */
import { Components, connectedComponents } from '../metrics/components';
import { classChannel } from '../metrics/channels';
import type { MetricsConfig } from '../metrics/config';
import type { LabelData, LabelMap, ProbMap } from '../types';
import { nextDifference, wordsOf } from '../metrics/scan';

export interface LabelErrorCandidate {
  /** The class index. */
  class: number;
  /** Mean confidence of the model over the region, in [0, 1]. */
  score: number;
  /** "missed": labelled c, the model says not c; "spurious": the model says c, labelled otherwise. */
  kind: 'missed' | 'spurious';
  /** Pixels of the region. */
  pixels: number;
  /** Inclusive bounding box of the region, one coordinate per array axis. */
  bbox: { min: number[]; max: number[] };
}

export interface LabelErrorOptions {
  /** Classes to score (default: all with a probability channel). */
  classes: readonly number[];
  config: Pick<MetricsConfig, 'numClasses' | 'backgroundIndex'>;
  /** Regions smaller than this are ignored. @default 10 */
  minPixels?: number;
  /** Pixels with this GT label are ignored. */
  ignoreIndex?: number;
}

/** The best candidate region per class (classes without a qualifying region are left out), best score first. */
export function labelErrorCandidates(
  gt: LabelMap,
  pred: LabelMap,
  prob: ProbMap,
  options: LabelErrorOptions,
): LabelErrorCandidate[] {
  const n = gt.data.length;
  const shape = gt.shape;
  const nd = shape.length;
  const conn = nd === 3 ? 26 : 8;
  const minPixels = options.minPixels ?? 10;
  // Labels are never negative, so −1 stands for "no ignore label" and keeps the pixel loops on one number type.
  const ignore = options.ignoreIndex ?? -1;
  const out: LabelErrorCandidate[] = [];
  // One scan finds, per class and kind, the box of its disagreement pixels; each region mask and its component
  // labelling then cover that box only. Cropping keeps every component, its pixels' C order (so ids and the order
  // of each sum) and its size; the box origin is added back to the bounding boxes.
  let slots = options.config.numClasses;
  for (const c of options.classes) slots = Math.max(slots, c + 1);
  const boxes = disagreementBoxes(gt.data, pred.data, shape, slots, ignore);
  for (const c of options.classes) {
    const ch = classChannel(prob.shape[0], c, options.config.numClasses, options.config.backgroundIndex);
    if (!ch || c < 0) continue;
    const off = ch.channel * n;
    let best: LabelErrorCandidate | undefined;
    for (const kind of ['missed', 'spurious'] as const) {
      const missed = kind === 'missed';
      const o = (2 * c + (missed ? 0 : 1)) * nd;
      if (boxes.hi[o] < 0) continue;
      const lo = Array.from(boxes.lo.subarray(o, o + nd));
      const sub = lo.map((l, a) => boxes.hi[o + a] - l + 1);
      const starts = lineStarts(shape, lo, sub);
      const w = sub[nd - 1];
      const mask = new Uint8Array(starts.length * w);
      // Missed: labelled c, predicted otherwise; spurious: the reverse.
      regionMask(
        missed ? gt.data : pred.data,
        missed ? pred.data : gt.data,
        gt.data,
        c,
        ignore,
        starts,
        w,
        mask,
      );
      const comps = connectedComponents(mask, sub, conn);
      const sums = confidenceSums(
        comps,
        gt.data,
        pred.data,
        prob.data,
        off,
        starts,
        w,
        ch.complement,
        missed,
      );
      for (let id = 1; id <= comps.count; id++) {
        const size = comps.sizes[id];
        if (size < minPixels) continue;
        const score = sums[id] / size;
        if (!best || score > best.score || (score === best.score && size > best.pixels)) {
          const min = Array.from(comps.bboxMin.subarray(id * nd, id * nd + nd), (v, a) => v + lo[a]);
          const max = Array.from(comps.bboxMax.subarray(id * nd, id * nd + nd), (v, a) => v + lo[a]);
          best = { class: c, score, kind, pixels: size, bbox: { min, max } };
        }
      }
    }
    if (best) out.push(best);
  }
  return out.sort((a, b) => b.score - a.score || b.pixels - a.pixels || a.class - b.class);
}

// The pixel loops below are functions of their own, each with its arrays in locals: V8 optimises them whole
// and monomorphic instead of optimising labelErrorCandidates in the middle of a loop.

/**
 * Per class c < slots and kind, the inclusive box of the disagreement pixels (ignored pixels aside): slot 2c for
 * missed pixels (GT = c, prediction ≠ c), slot 2c + 1 for spurious ones (prediction = c, GT ≠ c), as flat
 * lo/hi arrays (lo[slot·nd + axis]; an empty slot keeps hi = −1). A pixel where the maps agree is neither, and
 * one where they differ is missed for its GT class and spurious for its predicted class.
 */
function disagreementBoxes(
  gt: LabelData,
  pred: LabelData,
  shape: readonly number[],
  slots: number,
  ignore: number,
): { lo: Int32Array; hi: Int32Array } {
  const nd = shape.length;
  const lo = new Int32Array(2 * slots * nd).fill(2147483647);
  const hi = new Int32Array(2 * slots * nd).fill(-1);
  const last = shape[nd - 1];
  const lines = last === 0 ? 0 : gt.length / last;
  const coord = new Int32Array(nd);
  // Per line, the first and last x of each slot seen on it, and which slots were seen.
  const first = new Int32Array(2 * slots).fill(-1);
  const lastX = new Int32Array(2 * slots);
  const seen = new Int32Array(2 * slots);
  const wg = wordsOf(gt);
  const wp = wg && wordsOf(pred);
  for (let line = 0; line < lines; line++) {
    const base = line * last;
    const end = base + last;
    let nSeen = 0;
    // Only the pixels where the maps differ matter: the scan jumps from one to the next.
    for (
      let i = nextDifference(gt, pred, wg, wp, base, end);
      i < end;
      i = nextDifference(gt, pred, wg, wp, i + 1, end)
    ) {
      const g = gt[i];
      const p = pred[i];
      if (g === ignore) continue;
      const x = i - base;
      if (g < slots) {
        const s = 2 * g;
        if (first[s] < 0) {
          first[s] = x;
          seen[nSeen++] = s;
        }
        lastX[s] = x;
      }
      if (p < slots) {
        const s = 2 * p + 1;
        if (first[s] < 0) {
          first[s] = x;
          seen[nSeen++] = s;
        }
        lastX[s] = x;
      }
    }
    for (let k = 0; k < nSeen; k++) {
      const s = seen[k];
      const o = s * nd;
      for (let ax = 0; ax < nd - 1; ax++) {
        if (coord[ax] < lo[o + ax]) lo[o + ax] = coord[ax];
        if (coord[ax] > hi[o + ax]) hi[o + ax] = coord[ax];
      }
      if (first[s] < lo[o + nd - 1]) lo[o + nd - 1] = first[s];
      if (lastX[s] > hi[o + nd - 1]) hi[o + nd - 1] = lastX[s];
      first[s] = -1;
    }
    for (let ax = nd - 2; ax >= 0; ax--) {
      if (++coord[ax] < shape[ax]) break;
      coord[ax] = 0;
    }
  }
  return { lo, hi };
}

/** Flat image index of the first pixel of each line (along the last axis) of the box at `lo` of shape `sub`. */
function lineStarts(shape: readonly number[], lo: readonly number[], sub: readonly number[]): Int32Array {
  const nd = shape.length;
  const strides = new Array<number>(nd);
  let s = 1;
  for (let a = nd - 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a];
  }
  let lines = 1;
  for (let a = 0; a < nd - 1; a++) lines *= sub[a];
  const out = new Int32Array(lines);
  const coord = new Array<number>(nd).fill(0);
  for (let l = 0; l < lines; l++) {
    let at = lo[nd - 1];
    for (let a = 0; a < nd - 1; a++) at += (lo[a] + coord[a]) * strides[a];
    out[l] = at;
    for (let a = nd - 2; a >= 0; a--) {
      if (++coord[a] < sub[a]) break;
      coord[a] = 0;
    }
  }
  return out;
}

/**
 * mask (box lines of width w, starting at image pixels `starts`; zero on entry) = 1 where `is` = c, `not` ≠ c and
 * gt is not the ignore label. Such a pixel is one where the maps differ, so each line jumps from one differing
 * pixel to the next (scan.ts).
 */
function regionMask(
  is: LabelData,
  not: LabelData,
  gt: LabelData,
  c: number,
  ignore: number,
  starts: Int32Array,
  w: number,
  mask: Uint8Array,
): void {
  const wi = wordsOf(is);
  const wn = wi && wordsOf(not);
  for (let l = 0; l < starts.length; l++) {
    const base = starts[l];
    const end = base + w;
    const row = l * w - base;
    for (
      let i = nextDifference(is, not, wi, wn, base, end);
      i < end;
      i = nextDifference(is, not, wi, wn, i + 1, end)
    ) {
      if (is[i] === c && gt[i] !== ignore) mask[row + i] = 1;
    }
  }
}

/**
 * Per component id, the sum of the model's confidence against the label (1 − p on missed pixels, p on spurious),
 * in C order. A region pixel is one where the maps differ, so each line jumps between those (as regionMask).
 */
function confidenceSums(
  comps: Components,
  gt: LabelData,
  pred: LabelData,
  data: ProbMap['data'],
  from: number,
  starts: Int32Array,
  w: number,
  complement: boolean,
  missed: boolean,
): Float64Array {
  const sums = new Float64Array(comps.count + 1);
  const labels = comps.labels;
  const wg = wordsOf(gt);
  const wp = wg && wordsOf(pred);
  for (let l = 0; l < starts.length; l++) {
    const base = starts[l];
    const end = base + w;
    const row = l * w - base;
    for (
      let i = nextDifference(gt, pred, wg, wp, base, end);
      i < end;
      i = nextDifference(gt, pred, wg, wp, i + 1, end)
    ) {
      const id = labels[row + i];
      if (!id) continue;
      const p = complement ? 1 - data[from + i] : data[from + i];
      sums[id] += missed ? 1 - p : p;
    }
  }
  return sums;
}
