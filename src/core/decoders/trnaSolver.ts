/**
 * RankDice-TRNA (docs/specs/decoders.md §4.2) in compatibility mode: for each τ the PMF of Γ_{−τ} is the RNA of
 * Γ's moments minus pixel τ, on Γ's truncation window. The package's scores use denominators shifted by +1
 * relative to (★) (τ+γ+2 and Γ_{−τ} in the smoothing term); we keep that shift because it decides the
 * package's k, and document it as a deviation. Like BA, we search τ ≤ min(up_tau + 1, d).
 */
import type { PackageSolverOptions } from './baSolver';
import { F32_EPS, PbMoments, rnaPmf, truncationWindow } from './rna';
import { searchLimit } from './searchBound';

/**
 * k of RankDice-TRNA for probabilities sorted in descending order; `m` are the moments of Γ and `raw` the sums
 * they came from (variance Σp(1−p), third central moment Σp(1−p)(1−2p)).
 */
export function trnaK(
  sorted: Float64Array,
  m: PbMoments,
  raw: { variance: number; m3: number },
  options: PackageSolverOptions = {},
): number {
  const d = options.n ?? sorted.length;
  const g = options.smooth ?? 0;
  const eps = options.eps ?? 1e-4;
  const convention = options.emptyConvention ?? 'conv0';
  const { variance, m3 } = raw;
  const { lq, uq } = truncationWindow(m, eps, d);
  const W = Math.max(0, uq - lq);
  const q = new Float64Array(W);
  const w = new Float64Array(W);
  let best: number;
  if (g > 0) {
    rnaPmf(m, lq, uq, q);
    let s = 0;
    for (let i = 0; i < W; i++) s += q[i] / (lq + i + g);
    best = g * s;
  } else if (convention === 'conv1' && lq === 0 && W > 0) {
    rnaPmf(m, lq, uq, q);
    best = q[0];
  } else best = 0;
  let bestTau = 0;
  const limit = searchLimit(sorted, d, g);
  for (let tau = 1; tau <= limit; tau++) {
    const p = sorted[tau - 1];
    const v = Math.max(variance - p * (1 - p), F32_EPS);
    const sigma = Math.sqrt(v);
    const mj: PbMoments = { mu: m.mu - p, sigma, skew: (m3 - p * (1 - p) * (1 - 2 * p)) / (v * sigma) };
    rnaPmf(mj, lq, uq, q);
    let a = 0;
    let b = 0;
    for (let i = 0; i < W; i++) {
      const l = lq + i;
      w[i] += p * q[i];
      a += w[i] / (l + tau + g + 2);
      if (g > 0) b += q[i] / (l + tau + g + 1);
    }
    const score = 2 * a + g * b;
    if (score > best) {
      best = score;
      bestTau = tau;
    }
  }
  return bestTau;
}
