/**
 * RankSEG-RMA (docs/specs/decoders.md §4.4): the reciprocal moment approximation E[1/(c+X)] ≈ 1/(c+E X) turns the
 * expected Dice/IoU of the top-τ set into closed forms of the prefix sum S_τ, so k costs one linear pass over
 * the sorted probabilities. Accumulation is float64 (the package's float32 can move k by a few pixels).
 */

/**
 * Smallest argmax over τ = 1..n of the package's RMA objective (τ = 0 is never chosen, as in the package).
 * `sorted` is descending; `mu` = Σp over all n pixels.
 */
export function rmaK(
  sorted: Float64Array,
  n: number,
  mu: number,
  metric: 'dice' | 'iou',
  smooth: number,
): number {
  const g = smooth;
  let best = -Infinity;
  let bestTau = 1;
  let S = 0;
  if (metric === 'dice') {
    for (let tau = 1; tau <= n; tau++) {
      S += sorted[tau - 1];
      const r = (2 * S) / (mu + tau + 1 + g) + g / (mu + tau + g);
      if (r > best) {
        best = r;
        bestTau = tau;
      }
    }
  } else {
    for (let tau = 1; tau <= n; tau++) {
      S += sorted[tau - 1];
      const r = (S + g) / (mu - S + tau + g);
      if (r > best) {
        best = r;
        bestTau = tau;
      }
    }
  }
  return bestTau;
}
