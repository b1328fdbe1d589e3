/**
 * The calibration bins (calibration.ts classBins) and the threshold-sweep histograms (sweep.ts sweepHistograms) of
 * one class in a single pass over its probabilities: computeImageMetrics needs both for every class, and reading
 * the map once instead of twice is most of their cost. Each number is formed exactly as the two functions form it
 * (tested against them).
 */
import { LabelMap, ProbMap } from '../types';
import { emptyBins } from './calibration';
import { ClassChannel } from './channels';
import { CalibrationBins } from './types';

export function binsAndSweep(
  prob: ProbMap,
  gt: LabelMap,
  cls: number,
  nBins: number,
  steps: number,
  ch: ClassChannel,
  valid?: Uint8Array,
): { bins: CalibrationBins; sweep: { pos: Float64Array; neg: Float64Array } } {
  const bins = emptyBins(nBins);
  const pos = new Float64Array(steps + 1);
  const neg = new Float64Array(steps + 1);
  const t = new Float64Array(steps + 1);
  for (let k = 0; k <= steps; k++) t[k] = k / steps;
  bins.sumSquaredError = accumulate(prob.data, gt.data, cls, ch, bins, t, pos, neg, valid);
  // The pixels used are the ones counted into the bins (an exact integer sum).
  let used = 0;
  for (let b = 0; b < nBins; b++) used += bins.count[b];
  bins.n = used;
  return { bins, sweep: { pos, neg } };
}

/**
 * The pixel loop: fills the bins and the sweep histograms, returns Σ (p − y)². A function of its own so that V8
 * optimises it whole (inside binsAndSweep it was optimised mid-loop, then deoptimised at the first line after it).
 */
function accumulate(
  data: ProbMap['data'],
  labels: LabelMap['data'],
  cls: number,
  ch: ClassChannel,
  bins: CalibrationBins,
  t: Float64Array,
  pos: Float64Array,
  neg: Float64Array,
  valid: Uint8Array | undefined,
): number {
  const n = labels.length;
  const nBins = bins.count.length;
  const steps = t.length - 1;
  const flip = ch.complement;
  const off = ch.channel * n;
  const { count, sumConfidence, sumOutcome } = bins;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    const p = flip ? 1 - data[i] : data[off + i];
    const positive = labels[i] === cls;
    const y = positive ? 1 : 0;
    let b = Math.floor(p * nBins);
    if (b >= nBins) b = nBins - 1;
    count[b]++;
    sumConfidence[b] += p;
    sumOutcome[b] += y;
    sq += (p - y) * (p - y);
    let k = Math.floor(p * steps);
    if (k > steps) k = steps;
    if (k < 0) k = 0;
    while (k < steps && t[k + 1] <= p) k++;
    while (k > 0 && t[k] > p) k--;
    if (positive) pos[k]++;
    else neg[k]++;
  }
  return sq;
}
