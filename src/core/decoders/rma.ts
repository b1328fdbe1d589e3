/**
 * RankSEG-RMA (docs/specs/decoders.md §4.4): the reciprocal moment approximation E[1/(c+X)] ≈ 1/(c+E X) turns the
 * expected Dice/IoU of the top-τ set into closed forms of the prefix sum S_τ, so k costs one linear pass over
 * the sorted probabilities. Accumulation is float64 (the package's float32 can move k by a few pixels).
 */

/** Options of rmaK. */
export interface RmaOptions {
  /** Number of leading entries of `sorted` to use. @default sorted.length */
  n?: number;
  /** Σp over the n pixels, when the caller has it already. @default computed */
  mu?: number;
  /** The objective. @default 'dice' */
  metric?: 'dice' | 'iou';
  /** γ. @default 0 */
  smooth?: number;
}

/**
 * Smallest argmax over τ = 1..n of the package's RMA objective (τ = 0 is never chosen, as in the package).
 * `sorted` is descending.
 */
export function rmaK(sorted: Float64Array, options: RmaOptions = {}): number {
  const n = options.n ?? sorted.length;
  const g = options.smooth ?? 0;
  const metric = options.metric ?? 'dice';
  let mu = options.mu ?? 0;
  if (options.mu === undefined) for (let i = 0; i < n; i++) mu += sorted[i];
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
