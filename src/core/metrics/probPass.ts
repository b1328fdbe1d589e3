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
  const n = gt.data.length;
  const data = prob.data;
  const flip = ch.complement;
  const off = ch.channel * n;
  const labels = gt.data;
  const { count, sumConfidence, sumOutcome } = bins;
  const t = new Float64Array(steps + 1);
  for (let k = 0; k <= steps; k++) t[k] = k / steps;
  let sq = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    used++;
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
  bins.sumSquaredError = sq;
  bins.n = used;
  return { bins, sweep: { pos, neg } };
}
