/**
 * The threshold slider's engine: moving the threshold must update the mask, the error map and the Dice of every
 * class in time proportional to the pixels that change, not the image (issue 6: "instant").
 *
 * A pixel's threshold decision depends only on its best foreground probability s and that channel's class: it is
 * labelled with the class when s > t (strict, like the core's threshold decoder) and background otherwise. So the
 * pixels are ranked once by (−s, flat index) — the core's radix ranker, O(N) — and for a threshold t the selected
 * pixels are a prefix of that ranking, found by binary search. Moving from t to t' flips exactly the pixels between
 * the two prefix ends; their labels and the per-class confusion counts are updated in place.
 *
 * For binary and foreground (sigmoid per class) maps this is the core's multiclass `threshold` decoder with void
 * pixels as background; the unit tests check that equality.
 */
import { Ranker } from '../decoders/order';
import type { LabelData, ProbMap } from '../types';
import { ChannelLayout, foregroundChannels } from './probLayout';

export interface ThresholdIndex {
  /** Pixels ranked by (−score, flat index). */
  order: Uint32Array;
  /** The scores in that order (non-increasing). */
  sorted: Float32Array;
  /** Per pixel (flat index): the class the pixel takes when selected. */
  classOf: Uint8Array | Uint16Array;
  numClasses: number;
}

/** A label array wide enough for `numClasses` classes. */
export function labelArray(n: number, numClasses: number): Uint8Array | Uint16Array {
  return numClasses <= 256 ? new Uint8Array(n) : new Uint16Array(n);
}

/** Ranks the pixels of a probability map by their best foreground probability (see the file comment). */
export function buildThresholdIndex(prob: ProbMap, layout: ChannelLayout): ThresholdIndex {
  const C = prob.shape[0];
  const n = prob.data.length / C;
  const fg = foregroundChannels(layout);
  const score = new Float32Array(n);
  const classOf = labelArray(n, layout.numClasses);
  const first = fg[0];
  score.set(prob.data.subarray(first * n, first * n + n));
  classOf.fill(layout.classOfChannel[first]);
  for (let f = 1; f < fg.length; f++) {
    const c = fg[f];
    const k = layout.classOfChannel[c];
    const off = c * n;
    // Strictly greater: on ties the first channel (lowest class) keeps the pixel, as the core's argmax does.
    for (let i = 0; i < n; i++) {
      const v = prob.data[off + i];
      if (v > score[i]) {
        score[i] = v;
        classOf[i] = k;
      }
    }
  }
  const order = new Ranker().rank(score, 0, n).slice();
  const sorted = new Float32Array(n);
  for (let j = 0; j < n; j++) sorted[j] = score[order[j]];
  return { order, sorted, classOf, numClasses: layout.numClasses };
}

/** Number of ranked pixels with score > t (the length of the selected prefix), by binary search. */
export function selectedCount(sorted: Float32Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] > t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Confusion counts per class (index = class; class 0, the background, is not counted). */
export interface ClassCounts {
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
  /** Predicted pixels per class. */
  pred: Float64Array;
}

function emptyCounts(numClasses: number): ClassCounts {
  return {
    tp: new Float64Array(numClasses),
    fp: new Float64Array(numClasses),
    fn: new Float64Array(numClasses),
    pred: new Float64Array(numClasses),
  };
}

/**
 * The label map of one threshold, kept up to date as the threshold moves, with per-class counts against the ground
 * truth when there is one. Ground-truth values outside 0…numClasses−1 (an ignore label) are left out of the counts,
 * as the metric core leaves them out of every metric.
 */
export class ThresholdLabels {
  readonly labels: Uint8Array | Uint16Array;
  readonly counts: ClassCounts;
  /** Length of the selected prefix of the ranking. */
  private k = 0;
  private t = Infinity;

  constructor(
    readonly index: ThresholdIndex,
    readonly gt?: LabelData,
  ) {
    const n = index.order.length;
    this.labels = labelArray(n, index.numClasses);
    this.counts = emptyCounts(index.numClasses);
    if (gt) {
      const K = index.numClasses;
      for (let i = 0; i < n; i++) {
        const g = gt[i];
        if (g > 0 && g < K) this.counts.fn[g]++;
      }
    }
  }

  get threshold(): number {
    return this.t;
  }

  /** Pixels currently selected (any class). */
  get selected(): number {
    return this.k;
  }

  /**
   * Moves to threshold t and returns the range [from, to) of ranked positions whose pixels changed
   * (`order.subarray(from, to)`); the work is proportional to its length.
   */
  setThreshold(t: number): { from: number; to: number } {
    const next = selectedCount(this.index.sorted, t);
    const prev = this.k;
    this.t = t;
    if (next > prev) this.flip(prev, next, true);
    else if (next < prev) this.flip(next, prev, false);
    this.k = next;
    return next >= prev ? { from: prev, to: next } : { from: next, to: prev };
  }

  private flip(from: number, to: number, on: boolean): void {
    const { order, classOf, numClasses: K } = this.index;
    const { tp, fp, fn, pred } = this.counts;
    const gt = this.gt;
    const labels = this.labels;
    const d = on ? 1 : -1;
    for (let j = from; j < to; j++) {
      const i = order[j];
      const c = classOf[i];
      labels[i] = on ? c : 0;
      if (!gt) {
        pred[c] += d;
        continue;
      }
      const g = gt[i];
      if (g >= K) continue;
      pred[c] += d;
      if (g === c) {
        tp[c] += d;
        fn[c] -= d;
      } else fp[c] += d;
    }
  }
}

/**
 * The ranking carried by an analysis base, when it carries one (slider mode 'local'; see sliderBudget), with the
 * arrays as given.
 */
export function rankingOf(base: {
  order?: Uint32Array;
  sorted?: Float32Array;
  classOf?: Uint8Array | Uint16Array;
  layout: { numClasses: number };
}): ThresholdIndex | undefined {
  const { order, sorted, classOf } = base;
  if (!order || !sorted || !classOf) return undefined;
  return { order, sorted, classOf, numClasses: base.layout.numClasses };
}
