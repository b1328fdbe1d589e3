/**
 * Threshold sweep (docs/specs/metrics.md §6) by the exact histogram method: for each pixel, k* = the largest k with
 * k/K ≤ p (compared in float64, never a float32-rounded threshold), histogrammed separately for GT-positive and
 * GT-negative pixels; suffix sums then give TP and FP at every threshold at once.
 */
import { LabelMap, ProbMap } from '../types';
import { ClassChannel, classChannel } from './channels';
import { BothEmptyPolicy } from './config';
import { safeRatio } from './ratio';
import { SweepBest } from './types';

/** Thresholds t_k = k / K, each one division (never accumulated steps). */
export function sweepThresholds(steps: number): number[] {
  const t: number[] = [];
  for (let k = 0; k <= steps; k++) t.push(k / steps);
  return t;
}

/**
 * Histograms of k* for GT-positive (`pos`) and GT-negative (`neg`) pixels of class `cls`, length K + 1.
 * `ch` says which channel holds p_cls (see channels.ts).
 */
export function sweepHistograms(
  prob: ProbMap,
  gt: LabelMap,
  cls: number,
  steps: number,
  ch: ClassChannel,
  valid?: Uint8Array,
): { pos: Float64Array; neg: Float64Array } {
  const pos = new Float64Array(steps + 1);
  const neg = new Float64Array(steps + 1);
  const n = gt.data.length;
  const data = prob.data;
  const flip = ch.complement;
  const off = ch.channel * n;
  const labels = gt.data;
  // The thresholds k/K, each formed by the one division the sweep's thresholds use (read from a table here).
  const t = new Float64Array(steps + 1);
  for (let k = 0; k <= steps; k++) t[k] = k / steps;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    const p = flip ? 1 - data[i] : data[off + i];
    let k = Math.floor(p * steps);
    // p·K can round across an integer; the exact test k/K ≤ p settles it.
    if (k > steps) k = steps;
    if (k < 0) k = 0;
    while (k < steps && t[k + 1] <= p) k++;
    while (k > 0 && t[k] > p) k--;
    if (labels[i] === cls) pos[k]++;
    else neg[k]++;
  }
  return { pos, neg };
}

/** TP and FP at every threshold: suffix sums of the histograms (pixel predicted at t_k iff k* ≥ k). */
export function sweepCounts(
  pos: Float64Array,
  neg: Float64Array,
): { tp: Float64Array; fp: Float64Array; positives: number } {
  const K1 = pos.length;
  const tp = new Float64Array(K1);
  const fp = new Float64Array(K1);
  let a = 0;
  let b = 0;
  for (let k = K1 - 1; k >= 0; k--) {
    a += pos[k];
    b += neg[k];
    tp[k] = a;
    fp[k] = b;
  }
  return { tp, fp, positives: a };
}

/**
 * The best threshold of a curve (spec §6): the highest value ignoring undefined ones; values within 1e-12 of the
 * maximum tie, and ties go to the threshold closest to 0.5, then to the smaller one.
 */
export function bestThreshold(thresholds: readonly number[], values: readonly number[]): SweepBest {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (!Number.isNaN(v) && v > max) max = v;
  if (max === Number.NEGATIVE_INFINITY) return { threshold: Number.NaN, value: Number.NaN };
  let bestK = -1;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (Number.isNaN(v) || v < max - 1e-12) continue;
    if (bestK < 0) {
      bestK = k;
      continue;
    }
    const dNew = Math.abs(thresholds[k] - 0.5);
    const dOld = Math.abs(thresholds[bestK] - 0.5);
    if (dNew < dOld || (dNew === dOld && thresholds[k] < thresholds[bestK])) bestK = k;
  }
  return { threshold: thresholds[bestK], value: values[bestK] };
}

export interface ImageSweep {
  thresholds: number[];
  tp: number[];
  fp: number[];
  fn: number[];
  dice: number[];
  iou: number[];
  best: { dice: SweepBest; iou: SweepBest };
}

/**
 * Dice and IoU of one image and class at every threshold t_k = k / steps ("pred = p ≥ t"), with the best
 * threshold of each curve.
 * @param prob [C, …spatial] (C = 1: probability of class 1). @param steps K, default 100.
 * @param numClasses classes of the task (default: 2 for a one-channel map, else C).
 * @throws RangeError when the map has no channel for `cls`.
 */
export function thresholdSweep(
  prob: ProbMap,
  gt: LabelMap,
  steps = 100,
  cls = 1,
  bothEmpty: BothEmptyPolicy = 'best',
  numClasses?: number,
): ImageSweep {
  const thresholds = sweepThresholds(steps);
  const C = prob.shape[0];
  const ch = classChannel(C, cls, numClasses ?? (C === 1 ? 2 : C));
  if (!ch) throw new RangeError(`thresholdSweep: the ${C}-channel map has no probability for class ${cls}`);
  const { pos, neg } = sweepHistograms(prob, gt, cls, steps, ch);
  const { tp, fp, positives } = sweepCounts(pos, neg);
  const out: ImageSweep = {
    thresholds,
    tp: Array.from(tp),
    fp: Array.from(fp),
    fn: [],
    dice: [],
    iou: [],
    best: { dice: { threshold: 0, value: 0 }, iou: { threshold: 0, value: 0 } },
  };
  for (let k = 0; k <= steps; k++) {
    const fn = positives - tp[k];
    out.fn.push(fn);
    out.dice.push(safeRatio(2 * tp[k], 2 * tp[k] + fp[k] + fn, fp[k], fn, bothEmpty));
    out.iou.push(safeRatio(tp[k], tp[k] + fp[k] + fn, fp[k], fn, bothEmpty));
  }
  out.best = { dice: bestThreshold(thresholds, out.dice), iou: bestThreshold(thresholds, out.iou) };
  return out;
}
