/**
 * The package's early-stopping bound `up_tau` for BA and TRNA (docs/specs/decoders.md §3.3), and our corrected
 * search limit. The package searches τ ∈ {0..up_tau}, which never reaches a full mask and stops one short
 * (p = [0.99]×5 + [1e-6]×95 gives 4 instead of 5); we search τ ≤ min(up_tau + 1, d).
 */

/** up_tau exactly as the package computes it (d − 1 when the test never holds or holds at i = 0). */
export function packageUpTau(sorted: Float64Array, d: number, smooth: number): number {
  let S = 0;
  for (let i = 0; i <= d - 2; i++) {
    S += sorted[i];
    if (S / (sorted[i + 1] + 1e-5) - (i + 1) - smooth - d > 0) return i === 0 ? d - 1 : i;
  }
  return d - 1;
}

/** The largest τ our compatibility solvers evaluate. */
export function searchLimit(sorted: Float64Array, d: number, smooth: number): number {
  return Math.min(packageUpTau(sorted, d, smooth) + 1, d);
}
