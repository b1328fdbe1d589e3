/**
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
 *
 * The walk stops far above most pixels of a map (its background), and only the buckets it visits are read. So the
 * first pass keeps the buckets at or above LOW_BUCKET only, and gathers those pixels' indices on the way: the
 * pixels below cost one addition (μ, which must be summed in pixel order), the counters to clear are a few
 * hundred, and the candidates come from that short list instead of a second pass over the map. A walk that would
 * read a bucket below LOW_BUCKET (a map with no clear foreground) runs again on a full histogram; either way every
 * bucket it reads holds the same count, sum and max, so k and the set are the same.
 */
import { Ranker } from './order';

export interface RmaSelection {
  k: number;
  /** Flat indices (within the class) of the top-k pixels, best first. */
  top: Uint32Array;
  /** Largest probability of the class (for pruning). */
  maxP: number;
}

const BUCKETS = 0x3f81; // float32 bits >>> 16 for values in [0, 1] lie in 0 .. 0x3f80
/** Lowest bucket of the first pass: float32 0.125 (0x3e000000) and above, 0x181 buckets. */
const LOW_BUCKET = 0x3e00;

/** Scratch buffers reused across classes. */
export class RmaSelector {
  private readonly count = new Uint32Array(BUCKETS);
  private readonly sum = new Float64Array(BUCKETS);
  private readonly max = new Float64Array(BUCKETS);
  private readonly ranker = new Ranker();
  private gatheredIdx = new Uint32Array(0);
  private gatheredVal = new Float32Array(0);
  /** Flat indices of the first pass's pixels (at or above LOW_BUCKET), sized to the map. */
  private upper = new Uint32Array(0);

  /** Makes the candidate buffers hold at least m entries. */
  private reserve(m: number): void {
    if (this.gatheredIdx.length < m) {
      this.gatheredIdx = new Uint32Array(m);
      this.gatheredVal = new Float32Array(m);
    }
  }

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
    const words = new Uint32Array(values.buffer, values.byteOffset + offset * 4, n);
    // First pass: buckets ≥ LOW_BUCKET only, their pixels listed in flat order.
    for (let b = LOW_BUCKET; b < BUCKETS; b++) {
      count[b] = 0;
      sum[b] = 0;
      max[b] = 0;
    }
    if (this.upper.length < n) this.upper = new Uint32Array(n);
    const upper = this.upper;
    const r = upperHistogram(values, offset, words, count, sum, max, upper);
    const mu = r.mu;
    let walk = walkBuckets(count, sum, max, mu, metric, g, LOW_BUCKET);
    let m = 0;
    let gi: Uint32Array;
    let gv: Float32Array;
    if (walk !== null) {
      if (walk.maxP <= 0) return { k: 0, top: new Uint32Array(0), maxP: walk.maxP };
      for (let b = walk.cut; b < BUCKETS; b++) m += count[b];
      this.reserve(m);
      gi = this.gatheredIdx;
      gv = this.gatheredVal;
      gatherListed(values, offset, words, upper, r.listed, walk.cut, gi, gv);
    } else {
      // The walk needs a bucket below the first pass's: every bucket, and a pass to gather.
      count.fill(0);
      sum.fill(0);
      max.fill(0);
      histogram(values, offset, words, count, sum, max);
      walk = walkBuckets(count, sum, max, mu, metric, g, 0) as BucketWalk;
      if (walk.maxP <= 0) return { k: 0, top: new Uint32Array(0), maxP: walk.maxP };
      for (let b = walk.cut; b < BUCKETS; b++) m += count[b];
      this.reserve(m);
      gi = this.gatheredIdx;
      gv = this.gatheredVal;
      gather(values, offset, words, walk.cut, gi, gv);
    }
    const maxP = walk.maxP;
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

/** Where the bucket walk stopped: the lowest bucket to rank, and the largest probability. */
interface BucketWalk {
  cut: number;
  maxP: number;
}

/**
 * Walks bucket boundaries from the top: after bucket b, τ = pixels so far, p_(τ+1) = max of the next non-empty
 * bucket. Stops at the first boundary where g (or h) ≤ 0: τ0 lies at or before it, and `cut` is the next non-empty
 * bucket (a margin, so rounding near the turn cannot hide the argmax). Reads buckets ≥ low only: null when it
 * would need one below (low > 0), or maxP ≤ 0 when no pixel is positive.
 */
function walkBuckets(
  count: Uint32Array,
  sum: Float64Array,
  max: Float64Array,
  mu: number,
  metric: 'dice' | 'iou',
  g: number,
  low: number,
): BucketWalk | null {
  let top = BUCKETS - 1;
  while (top > low && count[top] === 0) top--;
  if (low > 0 && count[top] === 0) return null;
  const maxP = max[top];
  if (maxP <= 0) return { cut: 0, maxP };
  let tau = 0;
  let S = 0;
  for (let b = top; b >= low; b--) {
    if (count[b] === 0) continue;
    tau += count[b];
    S += sum[b];
    let next = b - 1;
    while (next >= low && count[next] === 0) next--;
    if (next < low) return low > 0 ? null : { cut: b, maxP };
    const p = max[next];
    const crit = metric === 'dice' ? p * (mu + tau + 1 + g) - S : p * (mu + tau + 2 * g) - (S + g);
    if (crit <= 0) return { cut: next, maxP };
  }
  return low > 0 ? null : { cut: 0, maxP };
}

// The pixel loops are functions of their own: V8 then optimises each whole, instead of optimising select()
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

/**
 * histogram() for the buckets ≥ LOW_BUCKET only, listing those pixels' flat indices in `upper`; μ still sums
 * every value in pixel order (the same bits). Returns μ and how many pixels were listed.
 */
function upperHistogram(
  values: Float32Array,
  offset: number,
  words: Uint32Array,
  count: Uint32Array,
  sum: Float64Array,
  max: Float64Array,
  upper: Uint32Array,
): { mu: number; listed: number } {
  let mu = 0;
  let listed = 0;
  for (let j = 0; j < words.length; j++) {
    const b = words[j] >>> 16;
    const p = values[offset + j];
    mu += p;
    if (b >= LOW_BUCKET) {
      count[b]++;
      sum[b] += p;
      if (p > max[b]) max[b] = p;
      upper[listed++] = j;
    }
  }
  return { mu, listed };
}

/** gather() from the first pass's list: its pixels in bucket `cut` or above (cut ≥ LOW_BUCKET), in flat order. */
function gatherListed(
  values: Float32Array,
  offset: number,
  words: Uint32Array,
  upper: Uint32Array,
  listed: number,
  cut: number,
  gi: Uint32Array,
  gv: Float32Array,
): void {
  let w = 0;
  for (let i = 0; i < listed; i++) {
    const j = upper[i];
    if (words[j] >>> 16 >= cut) {
      gi[w] = j;
      gv[w++] = values[offset + j];
    }
  }
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
