/**
 * Exact RankIoU (docs/specs/decoders.md §1.3, §2.5). For a top-τ set, |S∪Y| = τ + N_τ with N_τ the number of
 * positives outside the set, independent of TP, so E[IoU_γ(top-τ)] = (S_τ + γ)·E[1/(τ+γ+N_τ)] exactly.
 * The suffix PMFs of N_τ are built from τ = n down to 0, one pixel per step, so the curve costs O(n·W).
 *
 * Early cuts. From above: |S∪Y| ≥ τ, so E[IoU(top-τ)] ≤ (S_τ + γ)/(τ + γ), which never increases with τ (the mean of the
 * top τ probabilities only falls). Given the exact score of one candidate (the RMA-IoU k), every τ whose bound
 * does not exceed it is skipped: the suffix PMF of those pixels is built in one divide-and-conquer pass and
 * only the remaining τ are scored one by one. From below: every ~3% of τ, a bound from the current suffix PMF
 * (see firstPossibleImprovementBelow) stops the walk once no smaller τ can beat the best score.
 */
import { EmptyConvention } from './primitives';
import { TAIL, TIE_TOLERANCE } from './exactDice';
import { Pmf, pmfOfRange } from './pmf';

export interface ExactIouResult {
  k: number;
  score: number;
  /** Number of τ scored one by one. */
  evaluated: number;
}

/** Options of exactRankIou and iouOfTopTau. */
export interface ExactIouOptions {
  /** Number of leading entries of `sorted` to use. @default sorted.length */
  n?: number;
  /** γ of the smoothed IoU. @default 0 */
  smooth?: number;
  /** What the empty mask scores when γ = 0. @default 'conv0' */
  emptyConvention?: EmptyConvention;
  /** A good τ (e.g. the RMA-IoU k): its exact score enables the early cut. @default none (no cut) */
  candidate?: number;
  /** Receives the full curve E[IoU(top-τ)] instead of cutting early. @default none */
  onScore?: (tau: number, score: number) => void;
}

/** Exact E[IoU_γ] of the top-τ set for one τ (used for the candidate score); `n` = the pixels with p > 0. */
export function iouOfTopTau(
  sorted: Float64Array,
  tau: number,
  options: Pick<ExactIouOptions, 'n' | 'smooth' | 'emptyConvention'> = {},
): number {
  const nnz = options.n ?? sorted.length;
  const smooth = options.smooth ?? 0;
  const conv = options.emptyConvention ?? 'conv0';
  const pmf = pmfOfRange(sorted, tau, nnz);
  if (tau === 0 && smooth === 0) return conv === 'conv1' ? pmf.at(0) : 0;
  let S = 0;
  for (let i = 0; i < tau; i++) S += sorted[i];
  let e = 0;
  for (let i = 0; i < pmf.len; i++) e += pmf.data[i] / (tau + smooth + pmf.lo + i);
  return (S + smooth) * e;
}

/**
 * Exact top-τ optimum of E[IoU_γ] for probabilities sorted in descending order; ties → smallest τ.
 * `candidate` (e.g. the RMA-IoU k) enables the early cut; `onScore` receives the full curve instead.
 */
export function exactRankIou(sorted: Float64Array, options: ExactIouOptions = {}): ExactIouResult {
  const n = options.n ?? sorted.length;
  const g = options.smooth ?? 0;
  const convention = options.emptyConvention ?? 'conv0';
  const { candidate, onScore } = options;
  // Past the last p > 0 the numerator stops growing while the denominator grows, so τ ≤ nnz.
  let nnz = n;
  while (nnz > 0 && sorted[nnz - 1] <= 0) nnz--;
  const prefix = new Float64Array(nnz + 1);
  for (let i = 0; i < nnz; i++) prefix[i + 1] = prefix[i] + sorted[i];

  let top = nnz;
  if (!onScore && candidate !== undefined && candidate >= 1 && candidate <= nnz) {
    const floor = iouOfTopTau(sorted, candidate, { n: nnz, smooth: g, emptyConvention: convention });
    let t = 1;
    while (t <= nnz && (prefix[t] + g) / (t + g) > floor) t++;
    top = Math.max(candidate, t - 1);
  }
  // Suffix pixels top+1..nnz enter in one pass; then one pixel per step.
  const pmf: Pmf = pmfOfRange(sorted, top, nnz, new Pmf(nnz));
  let best = -Infinity;
  let evaluated = 0;
  const scores = new Float64Array(top + 1).fill(-Infinity);
  let nextCheck = top - 16;
  for (let tau = top; tau >= 0; tau--) {
    let score: number;
    if (tau === 0 && g === 0) {
      score = convention === 'conv1' ? pmf.at(0) : 0;
    } else {
      const d = pmf.data;
      const base = tau + g + pmf.lo;
      let e = 0;
      for (let i = 0, j = pmf.start; i < pmf.len; i++, j++) e += d[j] / (base + i);
      score = (prefix[tau] + g) * e;
    }
    evaluated++;
    scores[tau] = score;
    if (score > best) best = score;
    if (!onScore && tau <= nextCheck && tau > 0) {
      const witness = firstPossibleImprovementBelow(tau, pmf, prefix, g, convention, best);
      if (witness < 0) break;
      nextCheck = Math.min(Math.floor(tau * 0.97) - 16, tau - Math.ceil((tau - witness) / 8));
    }
    if (tau > 0) pmf.add(sorted[tau - 1]);
  }
  if (onScore) for (let t = 0; t <= top; t++) onScore(t, scores[t]);
  // Ties (within TIE_TOLERANCE of the maximum) go to the smallest τ.
  let bestTau = 0;
  while (scores[bestTau] < best - TIE_TOLERANCE) bestTau++;
  return { k: bestTau, score: scores[bestTau], evaluated };
}

/**
 * The largest τ' < τ whose upper bound reaches `best` (minus the tie tolerance), or −1 when no smaller τ' can beat it. Going down, N_τ'
 * only gains pixels, so N_τ' ≥ N_τ and, with q the lower TAIL-quantile of the current PMF of N_τ,
 *   E[IoU(top-τ')] ≤ (S_τ' + γ)·(1/(τ'+γ+q) + TAIL/(τ'+γ));   for τ' = 0, γ = 0: P(N_0 = 0) ≤ P(N_τ = 0).
 */
function firstPossibleImprovementBelow(
  tau: number,
  pmf: Pmf,
  prefix: Float64Array,
  g: number,
  convention: EmptyConvention,
  best: number,
): number {
  let q = pmf.lo;
  for (let acc = 0, i = 0; i < pmf.len; i++) {
    acc += pmf.data[pmf.start + i];
    if (acc > TAIL) {
      q = pmf.lo + i;
      break;
    }
  }
  for (let t = tau - 1; t >= 0; t--) {
    let bound: number;
    if (t === 0 && g === 0) bound = convention === 'conv1' ? pmf.at(0) : 0;
    else bound = (prefix[t] + g) * (1 / (t + g + q) + TAIL / (t + g));
    // A smaller τ within the tie tolerance would win the tie, so it must not be cut.
    if (bound >= best - TIE_TOLERANCE) return t;
  }
  return -1;
}
