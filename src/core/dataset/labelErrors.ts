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
  const ignore = options.ignoreIndex;
  const out: LabelErrorCandidate[] = [];
  // Rows (the first axis) of the disagreement, so the component labelling runs on that slab only.
  const inner = n / shape[0];
  for (const c of options.classes) {
    const ch = classChannel(prob.shape[0], c, options.config.numClasses, options.config.backgroundIndex);
    if (!ch) continue;
    const [first, last] = disagreementSpan(gt.data, pred.data, c, ignore);
    if (first < 0) continue;
    const r0 = Math.floor(first / inner);
    const r1 = Math.floor(last / inner);
    const base = r0 * inner;
    const len = (r1 - r0 + 1) * inner;
    const sub = [r1 - r0 + 1, ...shape.slice(1)];
    const off = ch.channel * n;
    const mask = new Uint8Array(len);
    let best: LabelErrorCandidate | undefined;
    for (const kind of ['missed', 'spurious'] as const) {
      const missed = kind === 'missed';
      // Missed: labelled c, predicted otherwise; spurious: the reverse.
      if (
        !regionMask(
          missed ? gt.data : pred.data,
          missed ? pred.data : gt.data,
          gt.data,
          c,
          ignore,
          base,
          mask,
        )
      )
        continue;
      const comps = connectedComponents(mask, sub, conn);
      const sums = confidenceSums(comps, prob.data, off + base, ch.complement, missed);
      for (let id = 1; id <= comps.count; id++) {
        const size = comps.sizes[id];
        if (size < minPixels) continue;
        const score = sums[id] / size;
        if (!best || score > best.score || (score === best.score && size > best.pixels)) {
          const min = Array.from(comps.bboxMin.subarray(id * nd, id * nd + nd));
          const max = Array.from(comps.bboxMax.subarray(id * nd, id * nd + nd));
          min[0] += r0;
          max[0] += r0;
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

/** First and last flat index where exactly one of gt, pred is `c` (ignored pixels aside); [−1, −1] if none. */
function disagreementSpan(
  gt: LabelData,
  pred: LabelData,
  c: number,
  ignore: number | undefined,
): [number, number] {
  let first = -1;
  let last = -1;
  for (let i = 0; i < gt.length; i++) {
    const g = gt[i];
    if ((g === c) !== (pred[i] === c) && g !== ignore) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return [first, last];
}

/**
 * mask[j] = 1 where `is` = c, `not` ≠ c and gt is not ignored, at pixel base + j (j < mask.length); returns
 * whether any pixel is set.
 */
function regionMask(
  is: LabelData,
  not: LabelData,
  gt: LabelData,
  c: number,
  ignore: number | undefined,
  base: number,
  mask: Uint8Array,
): boolean {
  let any = false;
  for (let j = 0; j < mask.length; j++) {
    const i = base + j;
    const on = gt[i] !== ignore && is[i] === c && not[i] !== c;
    mask[j] = on ? 1 : 0;
    any ||= on;
  }
  return any;
}

/** Per component id, the sum of the model's confidence against the label (1 − p on missed pixels, p on spurious). */
function confidenceSums(
  comps: Components,
  data: ProbMap['data'],
  from: number,
  complement: boolean,
  missed: boolean,
): Float64Array {
  const sums = new Float64Array(comps.count + 1);
  const labels = comps.labels;
  for (let j = 0; j < labels.length; j++) {
    const id = labels[j];
    if (!id) continue;
    const p = complement ? 1 - data[from + j] : data[from + j];
    sums[id] += missed ? 1 - p : p;
  }
  return sums;
}
