/**
 * Expected Dice of the top-τ mask for many τ at once (issue 13): the "expected Dice vs k" curve.
 *
 * For any mask S of size τ, with Γ the positive count over ALL pixels and x = τ + γ + 1,
 *
 *   E[Dice_γ(S)] = 2·Σ_{j∈S} p_j·E[1/(x + Γ_{−j})] + γ·E[1/(τ + γ + Γ)]
 *
 * and Γ = Γ_{−j} + Y_j gives E[h(Γ)] = E[(1 + p_jΔ)h(Γ_{−j})] (Δ the forward difference), so
 * E[h(Γ_{−j})] = Σ_k (−p_j)^k·E[Δ^k h(Γ)]. With h(l) = 1/(x + l), (−1)^k·Δ^k h(l) = k!/((x+l)(x+l+1)…(x+l+k)):
 *
 *   E[Dice_γ(S)] = 2·Σ_{k ≥ 0} M_{k+1}(S)·ψ_k(x) + γ·ψ_0(τ + γ),
 *   M_m(S) = Σ_{j∈S} p_j^m,   ψ_k(x) = E[k!/((x+Γ)(x+Γ+1)…(x+Γ+k))],
 *
 * an exact series of positive terms: the mask enters only through its size and power sums, Γ's PMF is built
 * once, and each τ costs O(K·W). Truncation after K terms: with y = x + lo(Γ) and p_max the largest p,
 * T_k ≤ M_1·p_max^k·k!/(y)_{k+1}, and Σ_{k ≥ K} k!/(y)_{k+1} = K!/((y−1)·(y)_K) (telescoping), so the
 * remainder is at most M_1·p_max^K·K!/((y−1)·(y)_K), while the value is at least 2·M_1/(x + hi(Γ)). K is the
 * smallest number of terms whose remainder is below 1e-15 of the value; τ where even KMAX terms do not reach
 * that (small x + lo(Γ): tiny or almost empty maps) are evaluated by the exact solver's pass (./exactDice),
 * which is cheap there. Tested against that pass (kept as the oracle) to 1e-9 relative.
 */
import { CancelledError } from '../errors';
import { exactRankDice } from './exactDice';
import type { EmptyConvention } from './primitives';
import { pmfOfRangeFast } from './pmfTransform';

/** Most series terms per τ. */
const KMAX = 24;
/** Relative bound on the dropped remainder. */
const REL = 1e-15;

export interface CurveOptions {
  smooth: number;
  emptyConvention: EmptyConvention | undefined;
  shouldCancel?: () => boolean;
}

/**
 * π_τ for τ = ks[i] (ascending, each ≤ n) over probabilities sorted in descending order (the top-τ masks).
 */
export function diceCurve(sorted: Float64Array, n: number, ks: Int32Array, o: CurveOptions): Float64Array {
  const out = new Float64Array(ks.length);
  if (ks.length === 0) return out;
  const g = o.smooth;
  const f = pmfOfRangeFast(sorted, 0, n);
  const fd = f.data;
  const lo = f.lo;
  const len = f.len;
  const hi = lo + len - 1;
  const pmax = n > 0 ? sorted[0] : 0;

  // Terms needed at τ, or −1 when KMAX are not enough (then the exact pass is used).
  const termsAt = (tau: number): number => {
    const x = tau + g + 1;
    const y = x + lo;
    if (y <= 1 || pmax === 0) return pmax === 0 ? 1 : -1;
    let bound = (x + hi) / (y - 1); // remainder / (value/2·M_1) after K = 0 terms: 0!/((y−1)(y)_0)·(x+hi)
    for (let K = 1; K <= KMAX; K++) {
      bound *= (pmax * K) / (y + K - 1); // K!/((y−1)(y)_K) from (K−1)!/((y−1)(y)_{K−1})
      if (bound <= REL) return K;
    }
    return -1;
  };
  // The bound only shrinks as τ grows, so the exact pass covers a prefix of ks.
  let firstSeries = 0;
  while (firstSeries < ks.length && (ks[firstSeries] === 0 || termsAt(ks[firstSeries]) < 0)) firstSeries++;
  if (firstSeries > 0) {
    const maxTau = ks[firstSeries - 1];
    let next = 0;
    exactRankDice(sorted, {
      n,
      smooth: g,
      emptyConvention: o.emptyConvention,
      gammaPmf: f,
      maxTau,
      onScore: (tau, score) => {
        if ((tau & 4095) === 4095 && o.shouldCancel?.()) throw new CancelledError();
        while (next < firstSeries && ks[next] === tau) out[next++] = score;
      },
    });
    // Past the last p > 0 the solver stops: the rest adds zero-probability pixels, TP = Γ (closed form).
    for (; next < firstSeries; next++) {
      let s = 0;
      for (let i = 0; i < len; i++) {
        const l = lo + i;
        const den = ks[next] + l + g;
        if (den > 0) s += (fd[i] * (2 * l + g)) / den;
      }
      out[next] = s;
    }
  }

  // Prefix power sums M_m(τ), m = 1..KMAX+1, advanced to each sampled τ.
  const Msum = new Float64Array(KMAX + 2);
  const psi = new Float64Array(KMAX + 1);
  let tau = 0;
  for (let i = firstSeries; i < ks.length; i++) {
    if (((i - firstSeries) & 63) === 0 && o.shouldCancel?.()) throw new CancelledError();
    const target = ks[i];
    for (; tau < target; tau++) {
      const p = sorted[tau];
      if (p <= 0) continue;
      let x = p;
      for (let m = 1; m <= KMAX + 1; m++) {
        Msum[m] += x;
        x *= p;
      }
    }
    const K = termsAt(target);
    const x = target + g + 1;
    psi.fill(0, 0, K);
    let smooth = 0;
    for (let j = 0; j < len; j++) {
      const fl = fd[j];
      const base = x + lo + j;
      let t = fl / base;
      psi[0] += t;
      for (let k = 1; k < K; k++) {
        t *= k / (base + k);
        psi[k] += t;
      }
      if (g > 0) smooth += fl / (target + g + lo + j);
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += Msum[k + 1] * psi[k];
    out[i] = 2 * s + g * smooth;
  }
  return out;
}
