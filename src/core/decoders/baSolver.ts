/**
 * RankDice-BA, the package's "blind approximation" (docs/specs/decoders.md §4.1), in compatibility mode: Γ_{−j}
 * is replaced by Γ and Γ's PMF by the RNA on the truncation window. Differences from the package, all
 * deliberate (docs/decoders.md): τ = 0 scores 0 under conv0 instead of NaN (so a small object is no longer
 * decoded as an empty mask), the search reaches min(up_tau + 1, d), and d = 1 works.
 */
import { EmptyConvention } from './primitives';
import { PbMoments, rnaPmf, truncationWindow } from './rna';
import { searchLimit } from './searchBound';

/** Options of the package-compatible solvers baK and trnaK. */
export interface PackageSolverOptions {
  /** Number of leading entries of `sorted` to use (the package's d). @default sorted.length */
  n?: number;
  /** γ. @default 0 */
  smooth?: number;
  /** Tail mass cut off by the truncation window. @default 1e-4 */
  eps?: number;
  /** What the empty mask scores when γ = 0. @default 'conv0' */
  emptyConvention?: EmptyConvention;
}

/** k of RankDice-BA for probabilities sorted in descending order, whose Poisson-binomial moments are `m`. */
export function baK(sorted: Float64Array, m: PbMoments, options: PackageSolverOptions = {}): number {
  const d = options.n ?? sorted.length;
  const g = options.smooth ?? 0;
  const eps = options.eps ?? 1e-4;
  const convention = options.emptyConvention ?? 'conv0';
  const win = truncationWindow(m, eps, d);
  let lq = win.lq;
  let W = Math.max(0, win.uq - lq);
  let pmf = new Float64Array(W);
  if (!rnaPmf(m, lq, win.uq, pmf)) {
    // Near-binary maps: σ is so small that the window [lq, uq) holds no RNA mass (it can never hold Γ = d).
    // The package then scores NaN/0 and returns an empty mask; we use the degenerate limit, Γ = round(μ).
    lq = Math.min(d, Math.max(0, Math.round(m.mu)));
    W = 1;
    pmf = Float64Array.of(1);
  }
  let best: number;
  if (g > 0) {
    let s = 0;
    for (let i = 0; i < W; i++) s += pmf[i] / (lq + i + g);
    best = g * s;
  } else best = convention === 'conv1' && lq === 0 && W > 0 ? pmf[0] : 0;
  let bestTau = 0;
  const limit = searchLimit(sorted, d, g);
  let S = 0;
  for (let tau = 1; tau <= limit; tau++) {
    S += sorted[tau - 1];
    let a = 0;
    let b = 0;
    for (let i = 0; i < W; i++) {
      const l = lq + i;
      a += pmf[i] / (l + tau + g + 1);
      if (g > 0) b += pmf[i] / (l + tau + g);
    }
    const score = 2 * S * a + g * b;
    // First maximum wins; a NaN never compares greater, so it can never be selected.
    if (score > best) {
      best = score;
      bestTau = tau;
    }
  }
  return bestTau;
}
