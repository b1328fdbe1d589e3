/**
 * Exact RankDice (specs/decoders.md §2.1): k* = argmax_τ π_τ, π_τ = E[Dice_γ(top-τ)] under independent
 * Bernoulli labels, by the PMF of Γ, a stable deconvolution for each Γ_{−j}, and one running sum.
 *
 * Speed comes from two provable cuts, not from approximations:
 *  - the PMF window (see ./pmf): entries below 1e-32 are dropped, so each step costs O(W), W ≈ 22σ;
 *  - an early stop: after each block of τ we bound π_τ from above for every larger τ (boundBeyond below) and
 *    stop as soon as no larger τ can beat the best score found. Low-probability background pixels are then
 *    never deconvolved.
 */
import { EmptyConvention } from './types';
import { Pmf, pmfOfRange } from './pmf';

/** Tail mass used by the early-stop certificate; negligible against float64 rounding of π. */
const TAIL = 1e-20;

/**
 * Scores (all in [0, 1]) closer than this are ties: k is the smallest τ with π_τ ≥ max π − TIE_TOLERANCE. Exact ties exist (e.g.
 * p = [0.5, 0] with γ = 0.5 scores 2/3 for τ = 0 and τ = 1) and float64 rounding would otherwise break them
 * at random; the solver's own error is about 1e-15.
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
  w = new Float64Array(0);
  prefix = new Float64Array(0);
  scores = new Float64Array(0);
}

/**
 * Exact top-τ optimum for probabilities sorted in descending order. `onScore`, when given, receives every
 * evaluated π_τ (τ = 0, 1, …) — the "expected Dice vs k" curve; it also disables the early stop. `maxTau`
 * limits the τ evaluated (the result is then the optimum over τ ≤ maxTau).
 */
export function exactRankDice(
  sorted: Float64Array,
  n: number,
  smooth: number,
  convention: EmptyConvention,
  ws: ExactDiceWorkspace = new ExactDiceWorkspace(),
  onScore?: (tau: number, score: number) => void,
  maxTau = n,
): ExactDiceResult {
  const g = smooth;
  const f = pmfOfRange(sorted, 0, n, ws.pmf);
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

  const smoothTerm = (tau: number): number => {
    if (g === 0) return 0;
    let s = 0;
    for (let i = 0; i < len; i++) s += fd[i] / (tau + g + lo + i);
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
  for (; tau <= end; tau++) {
    const p = sorted[tau - 1];
    const c = tau + g + 1 + lo - 1; // denominator offset for w index 0 (l = lo − 1)
    let s = 0;
    if (p >= 1) {
      // Γ_{−j} = Γ − 1 exactly: a shift.
      for (let i = 0; i < len; i++) {
        w[i] += fd[i];
        s += w[i] / (c + i);
      }
      s += w[len] / (c + len);
    } else if (p <= 0.5) {
      // Forward deconvolution: g(l) = (f(l) − p·g(l−1)) / (1−p); error amplification p/(1−p) ≤ 1.
      const inv = 1 / (1 - p);
      s += w[0] / c;
      let gl = 0;
      for (let i = 0; i < len; i++) {
        gl = (fd[i] - p * gl) * inv;
        if (gl < 0) gl = 0;
        const wi = w[i + 1] + p * gl;
        w[i + 1] = wi;
        s += wi / (c + i + 1);
      }
    } else {
      // Backward: g(l−1) = (f(l) − (1−p)·g(l)) / p, from g(hi) = 0; amplification (1−p)/p < 1.
      const inv = 1 / p;
      const q = 1 - p;
      s += w[len] / (c + len);
      let gl = 0;
      for (let i = len - 1; i >= 0; i--) {
        gl = (fd[i] - q * gl) * inv;
        if (gl < 0) gl = 0;
        const wi = w[i] + p * gl;
        w[i] = wi;
        s += wi / (c + i);
      }
    }
    const score = 2 * s + smoothTerm(tau);
    evaluated++;
    onScore?.(tau, score);
    scores[tau] = score;
    if (score > best) best = score;
    if (!onScore && tau === nextCheck) {
      nextCheck = Math.ceil(tau * 1.25) + 16;
      const smAtTau = score - 2 * s;
      if (!canImproveBeyond(tau, score, smAtTau, best, S, nnz, g, qLo, qHi)) break;
    }
  }
  const last = Math.min(tau, end);
  let bestTau = 0;
  while (bestTau < last && scores[bestTau] < best - TIE_TOLERANCE) bestTau++;
  return { k: bestTau, score: scores[bestTau], evaluated };
}

/**
 * True unless no τ in (h, nnz] can reach `best`. For τ > h (see the derivation in docs/decoders.md):
 *
 *   π_τ ≤ ρ_τ·(π_h − sm_h) + 2·S_h·ε/(h+1+γ) + (2(S_τ − S_h) + γ)·(1/(τ+γ+qLo) + ε/(τ+γ)),
 *   ρ_τ = (h+1+γ+qHi)/(τ+1+γ+qHi),
 *
 * using Γ_{−j} ≥ Γ − 1 for the new pixels, (a+X)/(b+X) ≤ (a+qHi)/(b+qHi) below the upper tail quantile for the
 * old ones, and E[1/(c+Γ)] ≤ 1/(c+qLo) + P(Γ<qLo)/c. ε bounds both tails.
 */
function canImproveBeyond(
  h: number,
  piH: number,
  smH: number,
  best: number,
  S: Float64Array,
  nnz: number,
  g: number,
  qLo: number,
  qHi: number,
): boolean {
  const old = piH - smH;
  const oldTail = (2 * S[h] * TAIL) / (h + 1 + g);
  const a = h + 1 + g + qHi;
  for (let tau = h + 1; tau <= nnz; tau++) {
    const bound =
      (old * a) / (tau + 1 + g + qHi) +
      oldTail +
      (2 * (S[tau] - S[h]) + g) * (1 / (tau + g + qLo) + TAIL / (tau + g));
    if (bound > best) return true;
  }
  return false;
}
