/**
 * The expected-score evaluators as they were before issue 13 (two trimmed PMFs built by dynamic programming and
 * their double sum; the curve by the exact solver's O(maxK·W) pass), kept as the test oracle of the fast ones in
 * src/core/decoders/expected.ts and ./curve.ts. Slow but simple; tests only.
 */
import { exactRankDice } from '../../../../src/core/decoders/exactDice';
import { Ranker, gatherSorted } from '../../../../src/core/decoders/order';
import { pmfOfRange } from '../../../../src/core/decoders/pmf';
import type { EmptyConvention } from '../../../../src/core/decoders/primitives';

export interface OracleOptions {
  smooth?: number;
  emptyConvention?: EmptyConvention;
}

/** E[Dice_γ] and E[IoU_γ] of `mask` (nonzero = selected): Σ_a Σ_b P(TP=a)·P(N=b)·(2a+γ)/(τ+a+b+γ). */
export function oracleScore(
  probs: ArrayLike<number>,
  mask: ArrayLike<number>,
  options: OracleOptions = {},
): { dice: number; iou: number } {
  const n = probs.length;
  const inside = new Float64Array(n);
  const outside = new Float64Array(n);
  let tau = 0;
  let out = 0;
  let sumIn = 0;
  for (let j = 0; j < n; j++) {
    if (mask[j]) {
      inside[tau++] = probs[j];
      sumIn += probs[j];
    } else outside[out++] = probs[j];
  }
  const g = options.smooth ?? 0;
  const fn = pmfOfRange(outside, 0, out);
  if (tau === 0 && g === 0) {
    const v = options.emptyConvention === 'conv1' ? fn.at(0) : 0;
    return { dice: v, iou: v };
  }
  const tp = pmfOfRange(inside, 0, tau);
  let iouE = 0;
  for (let b = 0; b < fn.len; b++) iouE += fn.data[b] / (tau + g + fn.lo + b);
  let dice = 0;
  for (let a = 0; a < tp.len; a++) {
    const av = tp.lo + a;
    let inner = 0;
    for (let b = 0; b < fn.len; b++) inner += fn.data[b] / (tau + g + av + fn.lo + b);
    dice += tp.data[a] * (2 * av + g) * inner;
  }
  return { dice, iou: (sumIn + g) * iouE };
}

/** E[Dice] of the top-k mask for every k in `ks` (ascending), by the exact solver's curve. */
export function oracleCurve(
  probs: Float32Array | Float64Array,
  ks: Int32Array,
  options: OracleOptions = {},
): Float64Array {
  const n = probs.length;
  const order = new Ranker().rank(probs, 0, n);
  const sorted = gatherSorted(probs, 0, order, new Float64Array(n));
  const out = new Float64Array(ks.length);
  const maxK = ks.length ? ks[ks.length - 1] : 0;
  const g = options.smooth ?? 0;
  let next = 0;
  exactRankDice(sorted, {
    n,
    smooth: g,
    emptyConvention: options.emptyConvention,
    onScore: (tau, score) => {
      while (next < ks.length && ks[next] === tau) out[next++] = score;
    },
    maxTau: maxK,
  });
  let nnz = n;
  while (nnz > 0 && sorted[nnz - 1] <= 0) nnz--;
  const f = pmfOfRange(sorted, 0, nnz);
  for (; next < ks.length; next++) {
    let s = 0;
    for (let i = 0; i < f.len; i++) {
      const l = f.lo + i;
      const den = ks[next] + l + g;
      if (den > 0) s += (f.data[i] * (2 * l + g)) / den;
    }
    out[next] = s;
  }
  return out;
}
