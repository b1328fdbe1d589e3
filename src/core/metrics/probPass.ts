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
  const sumConfidence = bins.sumConfidence;
  // The integer tallies (pixels and positives per bin, the sweep's two histograms) go to one Int32Array and are
  // added to the float arrays at the end: exact, and an integer increment is cheaper than a float one.
  const tally = new Int32Array(2 * nBins + 2 * (steps + 1));
  const OUT = nBins;
  const POS = 2 * nBins;
  const NEG = POS + steps + 1;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const p = flip ? 1 - data[i] : data[off + i];
    const positive = labels[i] === cls;
    const y = positive ? 1 : 0;
    // p is in [0, 1] (validated), so truncation is the floor.
    let b = (p * nBins) | 0;
    if (b >= nBins) b = nBins - 1;
    tally[b]++;
    sumConfidence[b] += p;
    tally[OUT + b] += y;
    sq += (p - y) * (p - y);
    // The sweep's step: the largest k with t[k] = k/steps ≤ p. floor(p·steps) is within one of it (both roundings
    // are relative 2^-53 and steps ≤ 100,000), so one comparison on either side settles it.
    let k = (p * steps) | 0;
    if (k > steps) k = steps;
    if (t[k] > p) k--;
    else if (k < steps && t[k + 1] <= p) k++;
    tally[(positive ? POS : NEG) + k]++;
  }
  for (let b = 0; b < nBins; b++) {
    bins.count[b] += tally[b];
    bins.sumOutcome[b] += tally[OUT + b];
  }
  for (let k = 0; k <= steps; k++) {
    pos[k] += tally[POS + k];
    neg[k] += tally[NEG + k];
  }
  return sq;
}

type BinsAndSweep = ReturnType<typeof binsAndSweep>;

/**
 * binsAndSweep of both classes of a one-channel binary map (class 1 reads p, class 0 reads 1 − p) in one pass: the
 * same numbers as two calls (each accumulator sees the same additions in the same order), with the map and the
 * labels read once instead of twice.
 */
export function binsAndSweepBinary(
  prob: ProbMap,
  gt: LabelMap,
  nBins: number,
  steps: number,
  valid?: Uint8Array,
): [BinsAndSweep, BinsAndSweep] {
  const make = (): BinsAndSweep => ({
    bins: emptyBins(nBins),
    sweep: { pos: new Float64Array(steps + 1), neg: new Float64Array(steps + 1) },
  });
  const zero = make();
  const one = make();
  const t = new Float64Array(steps + 1);
  for (let k = 0; k <= steps; k++) t[k] = k / steps;
  const sq = accumulatePair(prob.data, gt.data, zero, one, t, valid);
  zero.bins.sumSquaredError = sq[0];
  one.bins.sumSquaredError = sq[1];
  for (const r of [zero, one]) {
    let used = 0;
    for (let b = 0; b < nBins; b++) used += r.bins.count[b];
    r.bins.n = used;
  }
  return [zero, one];
}

/** accumulate() for class 0 (flipped) and class 1 of a one-channel map, side by side; returns both Σ (p − y)². */
function accumulatePair(
  data: ProbMap['data'],
  labels: LabelMap['data'],
  zero: BinsAndSweep,
  one: BinsAndSweep,
  t: Float64Array,
  valid: Uint8Array | undefined,
): [number, number] {
  const n = labels.length;
  const nBins = zero.bins.count.length;
  const steps = t.length - 1;
  const c0 = zero.bins.count;
  const s0 = zero.bins.sumConfidence;
  const o0 = zero.bins.sumOutcome;
  const pos0 = zero.sweep.pos;
  const neg0 = zero.sweep.neg;
  const c1 = one.bins.count;
  const s1 = one.bins.sumConfidence;
  const o1 = one.bins.sumOutcome;
  const pos1 = one.sweep.pos;
  const neg1 = one.sweep.neg;
  let sq0 = 0;
  let sq1 = 0;
  for (let i = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    const label = labels[i];
    const p1 = data[i];
    const p0 = 1 - data[i];
    const y1 = label === 1 ? 1 : 0;
    const y0 = label === 0 ? 1 : 0;
    let b = Math.floor(p1 * nBins);
    if (b >= nBins) b = nBins - 1;
    c1[b]++;
    s1[b] += p1;
    o1[b] += y1;
    sq1 += (p1 - y1) * (p1 - y1);
    b = Math.floor(p0 * nBins);
    if (b >= nBins) b = nBins - 1;
    c0[b]++;
    s0[b] += p0;
    o0[b] += y0;
    sq0 += (p0 - y0) * (p0 - y0);
    let k = Math.floor(p1 * steps);
    if (k > steps) k = steps;
    if (k < 0) k = 0;
    while (k < steps && t[k + 1] <= p1) k++;
    while (k > 0 && t[k] > p1) k--;
    if (y1) pos1[k]++;
    else neg1[k]++;
    k = Math.floor(p0 * steps);
    if (k > steps) k = steps;
    if (k < 0) k = 0;
    while (k < steps && t[k + 1] <= p0) k++;
    while (k > 0 && t[k] > p0) k--;
    if (y0) pos0[k]++;
    else neg0[k]++;
  }
  return [sq0, sq1];
}
