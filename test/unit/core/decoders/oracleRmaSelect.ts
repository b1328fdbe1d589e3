/**
 * The RMA bucket selection as it was before issue 12's speed pass (one full histogram, a second pass to gather),
 * kept as the test oracle of src/core/decoders/rmaSelect.ts, which must choose the same k and the same pixels.
 * Original description follows.
 *
 * RMA by bucket selection: the same k as sorting every pixel (./rma), but only the pixels that can matter
 * are sorted.
 *
 * The RMA objectives are unimodal. With p_(1) ≥ p_(2) ≥ …, S_τ = Σ_{j≤τ} p_(j) and μ = Σ p:
 *   Dice: R(τ+1) > R(τ) needs g(τ) = p_(τ+1)·(μ+τ+1+γ) − S_τ > 0;
 *   IoU:  R(τ+1) > R(τ) iff   h(τ) = p_(τ+1)·(μ+τ+2γ) − (S_τ+γ) > 0.
 * Both g and h never increase with τ (their step is (p_(τ+2) − p_(τ+1))·(…) ≤ 0), so R falls from the first τ0
 * where they turn ≤ 0, and k ≤ τ0. One histogram pass over the float32 bit patterns (16-bit buckets: count,
 * sum, max) evaluates g/h at every bucket boundary and finds the bucket holding τ0. Only the pixels at or
 * above that bucket, plus the next bucket as a margin against rounding, are ranked by (−p, flat index).
 */
import { Ranker } from '../../../../src/core/decoders/order';

export interface RmaSelection {
  k: number;
  /** Flat indices (within the class) of the top-k pixels, best first. */
  top: Uint32Array;
  /** Largest probability of the class (for pruning). */
  maxP: number;
}

const BUCKETS = 0x3f81; // float32 bits >>> 16 for values in [0, 1] lie in 0 .. 0x3f80

/** Scratch buffers reused across classes. */
export class OracleRmaSelector {
  private readonly count = new Uint32Array(BUCKETS);
  private readonly sum = new Float64Array(BUCKETS);
  private readonly max = new Float64Array(BUCKETS);
  private readonly ranker = new Ranker();
  private gatheredIdx = new Uint32Array(0);
  private gatheredVal = new Float32Array(0);

  select(
    values: Float32Array,
    offset: number,
    n: number,
    metric: 'dice' | 'iou',
    smooth: number,
  ): RmaSelection {
    const g = smooth;
    const count = this.count;
    const sum = this.sum;
    const max = this.max;
    count.fill(0);
    sum.fill(0);
    max.fill(0);
    const words = new Uint32Array(values.buffer, values.byteOffset + offset * 4, n);
    const mu = histogram(values, offset, words, count, sum, max);
    let top = BUCKETS - 1;
    while (top > 0 && count[top] === 0) top--;
    const maxP = max[top];
    if (maxP <= 0) return { k: 0, top: new Uint32Array(0), maxP };

    // Walk bucket boundaries from the top: after bucket b, τ = pixels so far, p_(τ+1) = max of the next
    // non-empty bucket. Stop at the first boundary where g (or h) ≤ 0: τ0 lies at or before it.
    let tau = 0;
    let S = 0;
    let cut = 0; // lowest bucket to rank
    for (let b = top; b >= 0; b--) {
      if (count[b] === 0) continue;
      tau += count[b];
      S += sum[b];
      let next = b - 1;
      while (next >= 0 && count[next] === 0) next--;
      if (next < 0) {
        cut = b;
        break;
      }
      const p = max[next];
      const crit = metric === 'dice' ? p * (mu + tau + 1 + g) - S : p * (mu + tau + 2 * g) - (S + g);
      if (crit <= 0) {
        // Margin: also rank the next non-empty bucket, so rounding near the turn cannot hide the argmax.
        cut = next;
        break;
      }
    }

    // Gather the candidates in flat order (ties then stay in flat-index order) and rank them.
    let m = 0;
    for (let b = cut; b <= top; b++) m += count[b];
    if (this.gatheredIdx.length < m) {
      this.gatheredIdx = new Uint32Array(m);
      this.gatheredVal = new Float32Array(m);
    }
    const gi = this.gatheredIdx;
    const gv = this.gatheredVal;
    gather(values, offset, words, cut, gi, gv);
    const order = this.ranker.rank(gv, 0, m);
    // Smallest argmax over τ = 1..m of the package formulas, accumulated in float64.
    let best = -Infinity;
    let k = 1;
    let s = 0;
    for (let t = 1; t <= m; t++) {
      s += gv[order[t - 1]];
      const r =
        metric === 'dice' ? (2 * s) / (mu + t + 1 + g) + g / (mu + t + g) : (s + g) / (mu - s + t + g);
      if (r > best) {
        best = r;
        k = t;
      }
    }
    const out = new Uint32Array(k);
    for (let i = 0; i < k; i++) out[i] = gi[order[i]];
    return { k, top: out, maxP };
  }
}

// The two pixel loops are functions of their own: V8 then optimises each whole, instead of optimising select()
// in the middle of a loop and deoptimising it at the first line after the loop on the first samples of a run.

/** Per 16-bit bucket of the float32 bits: count, sum and max of the values; returns the sum of all of them. */
function histogram(
  values: Float32Array,
  offset: number,
  words: Uint32Array,
  count: Uint32Array,
  sum: Float64Array,
  max: Float64Array,
): number {
  let mu = 0;
  for (let j = 0; j < words.length; j++) {
    const b = words[j] >>> 16;
    const p = values[offset + j];
    count[b]++;
    sum[b] += p;
    if (p > max[b]) max[b] = p;
    mu += p;
  }
  return mu;
}

/** The flat indices and values of the pixels in bucket `cut` or above, in flat order. */
function gather(
  values: Float32Array,
  offset: number,
  words: Uint32Array,
  cut: number,
  gi: Uint32Array,
  gv: Float32Array,
): void {
  let w = 0;
  for (let j = 0; j < words.length; j++) {
    if (words[j] >>> 16 >= cut) {
      gi[w] = j;
      gv[w++] = values[offset + j];
    }
  }
}
