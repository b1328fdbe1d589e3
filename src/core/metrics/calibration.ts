/**
 * Calibration (docs/specs/metrics.md §5): equal-width bins of confidence, ECE, MCE, reliability-diagram data and the
 * Brier score, one-vs-rest per class and top-label for multi-class maps. Bins keep raw sums so that a dataset can
 * pool them over all pixels of all images.
 */
import { LabelMap, ProbMap } from '../types';
import { ClassChannel, classChannel } from './channels';
import { CalibrationBins, PooledCalibration, ReliabilityBin } from './types';

export function emptyBins(nBins: number): CalibrationBins {
  return {
    count: new Float64Array(nBins),
    sumConfidence: new Float64Array(nBins),
    sumOutcome: new Float64Array(nBins),
    sumSquaredError: 0,
    n: 0,
  };
}

/** Adds `b` into `a` (same number of bins). */
export function addBins(a: CalibrationBins, b: CalibrationBins): void {
  for (let k = 0; k < a.count.length; k++) {
    a.count[k] += b.count[k];
    a.sumConfidence[k] += b.sumConfidence[k];
    a.sumOutcome[k] += b.sumOutcome[k];
  }
  a.sumSquaredError += b.sumSquaredError;
  a.n += b.n;
}

/**
 * One-vs-rest bins of class `cls`: confidence p_cls(i), outcome gt(i) = cls. `ch` says which channel holds
 * p_cls (see channels.ts); a one-channel binary map gives class 0 as 1 − p, in float64 (spec §1).
 */
export function classBins(
  prob: ProbMap,
  gt: LabelMap,
  cls: number,
  nBins: number,
  ch: ClassChannel,
  valid?: Uint8Array,
): CalibrationBins {
  const bins = emptyBins(nBins);
  const n = gt.data.length;
  const data = prob.data;
  const flip = ch.complement;
  const off = ch.channel * n;
  const labels = gt.data;
  const { count, sumConfidence, sumOutcome } = bins;
  let sq = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    // Ignored pixels (valid[i] = 0) are not part of the image for any metric.
    if (valid && !valid[i]) continue;
    used++;
    const p = flip ? 1 - data[i] : data[off + i];
    const y = labels[i] === cls ? 1 : 0;
    let b = Math.floor(p * nBins);
    if (b >= nBins) b = nBins - 1;
    count[b]++;
    sumConfidence[b] += p;
    sumOutcome[b] += y;
    sq += (p - y) * (p - y);
  }
  bins.sumSquaredError = sq;
  bins.n = used;
  return bins;
}

/**
 * Top-label bins for a [C, …] map with C > 1: confidence max_c p_c, outcome argmax = gt, argmax ties to the
 * lowest class. Also returns the multi-class Brier sum Σ_i Σ_c (p_c − [gt = c])².
 */
export function topLabelBins(
  prob: ProbMap,
  gt: LabelMap,
  nBins: number,
  valid?: Uint8Array,
): { bins: CalibrationBins; brierSum: number } {
  const bins = emptyBins(nBins);
  const n = gt.data.length;
  const C = prob.shape[0];
  const data = prob.data;
  const labels = gt.data;
  let brier = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    used++;
    let best = -1;
    let arg = 0;
    const g = labels[i];
    for (let c = 0; c < C; c++) {
      const p = data[c * n + i];
      if (p > best) {
        best = p;
        arg = c;
      }
      const d = p - (g === c ? 1 : 0);
      brier += d * d;
    }
    let b = Math.floor(best * nBins);
    if (b >= nBins) b = nBins - 1;
    bins.count[b]++;
    bins.sumConfidence[b] += best;
    bins.sumOutcome[b] += arg === g ? 1 : 0;
  }
  bins.n = used;
  return { bins, brierSum: brier };
}

/** ECE, MCE (over non-empty bins), Brier and the reliability-diagram data of a set of bins (spec §5.3). */
export function calibrationFromBins(bins: CalibrationBins): PooledCalibration {
  const B = bins.count.length;
  let ece = 0;
  let mce = Number.NaN;
  const reliability: ReliabilityBin[] = [];
  for (let b = 0; b < B; b++) {
    const c = bins.count[b];
    const lo = b / B;
    const hi = (b + 1) / B;
    if (c === 0) {
      reliability.push({ lo, hi, count: 0, meanConfidence: null, observedFrequency: null });
      continue;
    }
    const conf = bins.sumConfidence[b] / c;
    const freq = bins.sumOutcome[b] / c;
    const gap = Math.abs(conf - freq);
    ece += (c / bins.n) * gap;
    if (!(gap <= mce)) mce = gap;
    reliability.push({ lo, hi, count: c, meanConfidence: conf, observedFrequency: freq });
  }
  return {
    ece: bins.n === 0 ? Number.NaN : ece,
    mce,
    brier: bins.n === 0 ? Number.NaN : bins.sumSquaredError / bins.n,
    n: bins.n,
    reliability,
  };
}

/**
 * Calibration of one class of one image: ECE, MCE, Brier and the reliability-diagram bins.
 * @param prob [C, …spatial] map (C = 1: probability of class 1); @param gt label map of the same spatial shape.
 * @param bins number of equal-width bins (spec default 15). @param cls the class (default 1).
 * @param numClasses classes of the task (default: 2 for a one-channel map, else C).
 * @throws RangeError when the map has no channel for `cls`.
 */
export function reliability(
  prob: ProbMap,
  gt: LabelMap,
  bins = 15,
  cls = 1,
  numClasses?: number,
): PooledCalibration {
  const C = prob.shape[0];
  const ch = classChannel(C, cls, numClasses ?? (C === 1 ? 2 : C));
  if (!ch) throw new RangeError(`reliability: the ${C}-channel map has no probability for class ${cls}`);
  return calibrationFromBins(classBins(prob, gt, cls, bins, ch));
}
