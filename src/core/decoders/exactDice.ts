/**
 * Exact RankDice (docs/specs/decoders.md §2.1): k* = argmax_τ π_τ, π_τ = E[Dice_γ(top-τ)] under independent
 * Bernoulli labels, by the PMF of Γ, a stable deconvolution for each Γ_{−j}, and one running sum.
 *
 * The PMF of Γ comes from ./pmfTransform (power sums and the characteristic function; the DP for narrow sums), which
 * halves the time at 512² against the convolution tree; k is unchanged and π moves by ~1e-13 relative.
 *
 * Speed comes from two provable cuts, not from approximations:
 *  - the PMF window (see ./pmf): entries below 1e-32 are dropped, so each step costs O(W), W ≈ 22σ;
 *  - an early stop: every ~3% of τ we bound π_τ from above for every larger τ (firstPossibleImprovement
 *    below) and stop as soon as no larger τ can beat the best score found. Low-probability background pixels
 *    are then never deconvolved.
 * The deconvolution runs two pixels per sweep, which hides the latency of its recurrence.
 */
import { EmptyConvention } from './primitives';
import { Pmf } from './pmf';
import { BernoulliSums, TransformWorkspace, pmfOfRangeFast } from './pmfTransform';

/** Tail mass used by the early-stop certificate; negligible against float64 rounding of π. */
export const TAIL = 1e-20;

/**
 * Scores (all in [0, 1]) closer than this are ties: k is the smallest τ with π_τ ≥ max π − TIE_TOLERANCE.
 * Exact ties exist (e.g. p = [0.5, 0] with γ = 0.5 scores 2/3 for τ = 0 and τ = 1) and float64 rounding would
 * otherwise break them at random; the solver's own error is about 1e-15.
 */
export const TIE_TOLERANCE = 1e-13;

export interface ExactDiceResult {
  k: number;
  /** π_k, the exact expected Dice of the top-k mask. */
  score: number;
  /** Number of τ evaluated (for benchmarks and the cost estimate). */
  evaluated: number;
}

/** Scratch buffers reused across classes. */
export class ExactDiceWorkspace {
  pmf = new Pmf(0);
  transform = new TransformWorkspace();
  sums = new BernoulliSums();
  w = new Float64Array(0);
  prefix = new Float64Array(0);
  scores = new Float64Array(0);
  recip = new Float64Array(0);
}

/** Options of exactRankDice. */
export interface ExactDiceOptions {
  /** Number of leading entries of `sorted` to use. @default sorted.length */
  n?: number;
  /** γ of the smoothed Dice. @default 0 */
  smooth?: number;
  /** What the empty mask scores when γ = 0. @default 'conv0' */
  emptyConvention?: EmptyConvention;
  /** Scratch buffers reused across calls. @default a new workspace */
  workspace?: ExactDiceWorkspace;
  /**
   * Receives every evaluated π_τ (τ = 0, 1, …) — the "expected Dice vs k" curve; giving it disables the early
   * stop. @default none
   */
  onScore?: (tau: number, score: number) => void;
  /** Largest τ evaluated (the result is then the optimum over τ ≤ maxTau). @default n */
  maxTau?: number;
  /** The PMF of Γ over the n pixels, when the caller has built it already (compacted). @default built here */
  gammaPmf?: Pmf;
}

/** Exact top-τ optimum of E[Dice_γ] for probabilities sorted in descending order; ties → smallest τ. */
export function exactRankDice(sorted: Float64Array, options: ExactDiceOptions = {}): ExactDiceResult {
  const n = options.n ?? sorted.length;
  const g = options.smooth ?? 0;
  const convention = options.emptyConvention ?? 'conv0';
  const ws = options.workspace ?? new ExactDiceWorkspace();
  const onScore = options.onScore;
  const maxTau = options.maxTau ?? n;
  const f = options.gammaPmf ?? pmfOfRangeFast(sorted, 0, n, ws.pmf, ws.transform, ws.sums);
  const fd = f.data;
  const lo = f.lo;
  const len = f.len;
  const hi = lo + len - 1;

  // Tail quantiles of Γ for the certificate: P(Γ < qLo) ≤ TAIL and P(Γ > qHi) ≤ TAIL.
  let qLo = lo;
  for (let acc = 0, i = 0; i < len; i++) {
    acc += fd[i];
    if (acc > TAIL) {
      qLo = lo + i;
      break;
    }
  }
  let qHi = hi;
  for (let acc = 0, i = len - 1; i >= 0; i--) {
    acc += fd[i];
    if (acc > TAIL) {
      qHi = lo + i;
      break;
    }
  }

  // w(l) = Σ_{j≤τ} p_j·P(Γ_{−j} = l) on l = lo−1 .. hi, stored at w[l − lo + 1].
  if (ws.w.length < len + 1) ws.w = new Float64Array(len + 1);
  const w = ws.w;
  w.fill(0, 0, len + 1);
  if (ws.prefix.length < n + 1) ws.prefix = new Float64Array(n + 1);
  const S = ws.prefix;
  S[0] = 0;
  for (let i = 0; i < n; i++) S[i + 1] = S[i] + sorted[i];

  // Reciprocal table R[m] = 1/(m + γ + lo). The denominator of w index i (l = lo − 1 + i) at τ is
  // τ+γ+1+l = τ+γ+lo+i, so the hot loops load R[τ + i] instead of dividing.
  const rlen = n + len + 3;
  if (ws.recip.length < rlen) ws.recip = new Float64Array(rlen);
  const R = ws.recip;
  for (let m = 0; m < rlen; m++) R[m] = 1 / (m + g + lo);

  const smoothTerm = (tau: number): number => {
    if (g === 0) return 0;
    let s = 0;
    for (let i = 0; i < len; i++) s += fd[i] * R[tau + i];
    return g * s;
  };

  // τ = 0: γ·E[1/(γ+Γ)] when γ > 0; otherwise the convention decides what "both empty" is worth.
  let best = g > 0 ? smoothTerm(0) : convention === 'conv1' ? f.at(0) : 0;
  if (ws.scores.length < n + 1) ws.scores = new Float64Array(n + 1);
  const scores = ws.scores;
  scores[0] = best;
  onScore?.(0, best);

  // A zero-probability pixel only enlarges the denominator, so τ never needs to go past the last p > 0.
  let nnz = n;
  while (nnz > 0 && sorted[nnz - 1] <= 0) nnz--;

  let evaluated = 0;
  let nextCheck = 16;
  let tau = 1;
  const end = Math.min(nnz, maxTau);
  const record = (t: number, score: number): void => {
    evaluated++;
    onScore?.(t, score);
    scores[t] = score;
    if (score > best) best = score;
  };
  while (tau <= end) {
    const p = sorted[tau - 1];
    const p2 = tau < end ? sorted[tau] : -1;
    let last: number;
    let s: number;
    if (p2 > 0 && p < 1 && p2 < 1 && p <= 0.5 === p2 <= 0.5) {
      // Two pixels per sweep: their deconvolution recurrences are independent, so interleaving them hides
      // the latency of each chain (the loop is latency-bound, not throughput-bound).
      const pair =
        p <= 0.5 ? forwardPair(fd, w, R, len, tau, p, p2) : backwardPair(fd, w, R, len, tau, p, p2);
      record(tau, 2 * pair.s1 + smoothTerm(tau));
      s = pair.s2;
      last = tau + 1;
    } else {
      s = single(fd, w, R, len, tau, p);
      last = tau;
    }
    const score = 2 * s + smoothTerm(last);
    record(last, score);
    tau = last + 1;
    if (!onScore && last >= nextCheck) {
      const witness = firstPossibleImprovement(last, score, score - 2 * s, best, S, nnz, g, qLo, qHi);
      if (witness < 0) break;
      // Check again soon (the bound is tight near the optimum), but never so often that scanning for a far
      // witness costs more than a fraction of the O(W) steps in between.
      nextCheck = Math.max(Math.ceil(last * 1.03) + 16, last + Math.ceil((witness - last) / 8));
    }
  }
  const last = Math.min(tau - 1, end);
  let bestTau = 0;
  while (bestTau < last && scores[bestTau] < best - TIE_TOLERANCE) bestTau++;
  return { k: bestTau, score: scores[bestTau], evaluated };
}

/**
 * Adds pixel τ (probability p) to w and returns Σ_i w[i]·R[τ+i]. p ≤ ½ deconvolves forwards,
 * g(l) = (f(l) − p·g(l−1))/(1−p); p > ½ backwards, g(l−1) = (f(l) − (1−p)·g(l))/p from g(hi) = 0. Each
 * direction keeps the error amplification per step at or below 1; p = 1 is an exact shift.
 */
function single(
  fd: Float64Array,
  w: Float64Array,
  R: Float64Array,
  len: number,
  tau: number,
  p: number,
): number {
  let s = 0;
  if (p >= 1) {
    for (let i = 0; i < len; i++) {
      w[i] += fd[i];
      s += w[i] * R[tau + i];
    }
    return s + w[len] * R[tau + len];
  }
  if (p <= 0.5) {
    const inv = 1 / (1 - p);
    s = w[0] * R[tau];
    let gl = 0;
    for (let i = 0; i < len; i++) {
      gl = (fd[i] - p * gl) * inv;
      if (gl < 0) gl = 0;
      const wi = w[i + 1] + p * gl;
      w[i + 1] = wi;
      s += wi * R[tau + i + 1];
    }
    return s;
  }
  const inv = 1 / p;
  const q = 1 - p;
  s = w[len] * R[tau + len];
  let gl = 0;
  for (let i = len - 1; i >= 0; i--) {
    gl = (fd[i] - q * gl) * inv;
    if (gl < 0) gl = 0;
    const wi = w[i] + p * gl;
    w[i] = wi;
    s += wi * R[tau + i];
  }
  return s;
}

/** Pixels τ and τ+1, both with p ≤ ½ and > 0, in one forward sweep. */
function forwardPair(
  fd: Float64Array,
  w: Float64Array,
  R: Float64Array,
  len: number,
  tau: number,
  p: number,
  p2: number,
): { s1: number; s2: number } {
  const inv = 1 / (1 - p);
  const inv2 = 1 / (1 - p2);
  let s1 = w[0] * R[tau];
  let s2 = w[0] * R[tau + 1];
  let g1 = 0;
  let g2 = 0;
  for (let i = 0; i < len; i++) {
    const f = fd[i];
    g1 = (f - p * g1) * inv;
    if (g1 < 0) g1 = 0;
    g2 = (f - p2 * g2) * inv2;
    if (g2 < 0) g2 = 0;
    const a = w[i + 1] + p * g1;
    s1 += a * R[tau + i + 1];
    const b = a + p2 * g2;
    w[i + 1] = b;
    s2 += b * R[tau + i + 2];
  }
  return { s1, s2 };
}

/** Pixels τ and τ+1, both with ½ < p < 1, in one backward sweep. */
function backwardPair(
  fd: Float64Array,
  w: Float64Array,
  R: Float64Array,
  len: number,
  tau: number,
  p: number,
  p2: number,
): { s1: number; s2: number } {
  const inv = 1 / p;
  const inv2 = 1 / p2;
  const q = 1 - p;
  const q2 = 1 - p2;
  let s1 = w[len] * R[tau + len];
  let s2 = w[len] * R[tau + 1 + len];
  let g1 = 0;
  let g2 = 0;
  for (let i = len - 1; i >= 0; i--) {
    const f = fd[i];
    g1 = (f - q * g1) * inv;
    if (g1 < 0) g1 = 0;
    g2 = (f - q2 * g2) * inv2;
    if (g2 < 0) g2 = 0;
    const a = w[i] + p * g1;
    s1 += a * R[tau + i];
    const b = a + p2 * g2;
    w[i] = b;
    s2 += b * R[tau + 1 + i];
  }
  return { s1, s2 };
}

/**
 * The first τ in (h, nnz] whose upper bound exceeds `best`, or −1 when no larger τ can beat it. For τ > h (see the derivation in docs/decoders.md):
 *
 *   π_τ ≤ ρ_τ·(π_h − sm_h) + 2·S_h·ε/(h+1+γ) + (2(S_τ − S_h) + γ)·(1/(τ+γ+qLo) + ε/(τ+γ)),
 *   ρ_τ = (h+1+γ+qHi)/(τ+1+γ+qHi),
 *
 * using Γ_{−j} ≥ Γ − 1 for the new pixels, (a+X)/(b+X) ≤ (a+qHi)/(b+qHi) below the upper tail quantile for the
 * old ones, and E[1/(c+Γ)] ≤ 1/(c+qLo) + P(Γ<qLo)/c. ε bounds both tails.
 */
function firstPossibleImprovement(
  h: number,
  piH: number,
  smH: number,
  best: number,
  S: Float64Array,
  nnz: number,
  g: number,
  qLo: number,
  qHi: number,
): number {
  const old = piH - smH;
  const oldTail = (2 * S[h] * TAIL) / (h + 1 + g);
  const a = h + 1 + g + qHi;
  for (let tau = h + 1; tau <= nnz; tau++) {
    const bound =
      (old * a) / (tau + 1 + g + qHi) +
      oldTail +
      (2 * (S[tau] - S[h]) + g) * (1 / (tau + g + qLo) + TAIL / (tau + g));
    if (bound > best) return tau;
  }
  return -1;
}
