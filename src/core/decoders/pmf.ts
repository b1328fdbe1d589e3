/**
 * Poisson-binomial PMFs by dynamic programming with a trimmed support window (docs/specs/decoders.md §2.1).
 *
 * Adding a Bernoulli(q) maps f to f'(l) = (1−q)·f(l) + q·f(l−1). Entries below PMF_FLOOR at either end are
 * dropped: the largest entry of a PMF on L points is at least 1/L, so the floor is below 1e-26 of the peak
 * for any map under 10^6 pixels and the dropped mass cannot move a float64 score. The window then stays
 * within about μ ± 11σ, which is what makes the exact solvers O(N·W) instead of O(N²).
 */

/** Absolute value below which tail entries are dropped. */
export const PMF_FLOOR = 1e-32;

/**
 * A PMF on the integers lo .. lo+len−1, stored in data[start .. start+len). The buffer is sized so that
 * adding every pixel never runs past its end (each pixel extends the window by at most one entry).
 */
export class Pmf {
  data: Float64Array;
  start = 0;
  len = 1;
  /** The integer value of data[start]. */
  lo = 0;

  constructor(capacity: number) {
    this.data = new Float64Array(capacity + 2);
    this.data[0] = 1;
  }

  /** Resets to the point mass at 0, keeping the buffer when it is large enough. */
  reset(capacity: number): void {
    if (this.data.length < capacity + 2) this.data = new Float64Array(capacity + 2);
    this.data[0] = 1;
    this.start = 0;
    this.len = 1;
    this.lo = 0;
  }

  /** Adds one independent Bernoulli(q). q = 0 changes nothing and q = 1 is a shift, so neither widens the window. */
  add(q: number): void {
    if (q <= 0) return;
    if (q >= 1) {
      this.lo++;
      return;
    }
    const d = this.data;
    const s = this.start;
    let e = s + this.len; // one past the last entry; becomes the new last entry
    const a = 1 - q;
    d[e] = q * d[e - 1];
    for (let l = e - 1; l > s; l--) d[l] = a * d[l] + q * d[l - 1];
    d[s] = a * d[s];
    e++;
    // Trim both tails; at least one entry always survives because the entries sum to 1.
    while (e - 1 > s && d[e - 1] < PMF_FLOOR) e--;
    let ns = s;
    while (ns < e - 1 && d[ns] < PMF_FLOOR) ns++;
    this.lo += ns - s;
    this.start = ns;
    this.len = e - ns;
  }

  /** Adds two Bernoullis in one sweep (half the memory traffic of two add() calls). */
  add2(q: number, r: number): void {
    if (q <= 0 || q >= 1 || r <= 0 || r >= 1) {
      this.add(q);
      this.add(r);
      return;
    }
    const d = this.data;
    const s = this.start;
    const e = s + this.len;
    const c0 = (1 - q) * (1 - r);
    const c1 = q * (1 - r) + r * (1 - q);
    const c2 = q * r;
    // New entries at e and e+1; sweep downwards so d[l−1], d[l−2] are still the old values.
    d[e + 1] = c2 * d[e - 1];
    d[e] = c1 * d[e - 1] + (e - 2 >= s ? c2 * d[e - 2] : 0);
    for (let l = e - 1; l >= s + 2; l--) d[l] = c0 * d[l] + c1 * d[l - 1] + c2 * d[l - 2];
    if (e - 1 >= s + 1) d[s + 1] = c0 * d[s + 1] + c1 * d[s];
    d[s] = c0 * d[s];
    let ne = e + 2;
    while (ne - 1 > s && d[ne - 1] < PMF_FLOOR) ne--;
    let ns = s;
    while (ns < ne - 1 && d[ns] < PMF_FLOOR) ns++;
    this.lo += ns - s;
    this.start = ns;
    this.len = ne - ns;
  }

  /** P(X = x). */
  at(x: number): number {
    const i = x - this.lo;
    return i >= 0 && i < this.len ? this.data[this.start + i] : 0;
  }

  /** Moves the window to the front of the buffer (start = 0) so callers can index data[l − lo] directly. */
  compact(): void {
    if (this.start === 0) return;
    this.data.copyWithin(0, this.start, this.start + this.len);
    this.start = 0;
  }
}

/** Ranges at most this long are built by the sequential DP; longer ones by divide and conquer. */
const LEAF = 64;

/**
 * PMF of the sum of Bernoulli(values[i]) for i in [from, to).
 *
 * Long ranges are split in halves whose PMFs are convolved directly. A sum of m Bernoullis has a window of
 * about 22σ_m ∝ √m, so each level of the recursion costs O(N·σ²/N) and the whole build O(N·log N) instead of
 * the O(N·W) of adding pixels one by one (1.4 s → tens of ms at 1024²). Every term is non-negative, so the
 * convolution has no cancellation and keeps full relative accuracy.
 */
export function pmfOfRange(values: Float64Array, from: number, to: number, into?: Pmf): Pmf {
  const pmf = into ?? new Pmf(to - from);
  pmf.reset(to - from);
  if (to - from <= LEAF) {
    addRange(pmf, values, from, to);
  } else {
    const part = build(values, from, to);
    pmf.data.set(part.data.subarray(0, part.len));
    pmf.lo = part.lo;
    pmf.len = part.len;
  }
  pmf.compact();
  return pmf;
}

/** Optional index list: PMF of Bernoulli(values[offset + idx[i]]) for i in [0, count). */
export function pmfOfIndexed(
  values: Float32Array | Float64Array,
  offset: number,
  idx: Uint32Array,
  count: number,
  into?: Pmf,
): Pmf {
  const tmp = new Float64Array(count);
  for (let i = 0; i < count; i++) tmp[i] = values[offset + idx[i]];
  return pmfOfRange(tmp, 0, count, into);
}

interface Part {
  data: Float64Array;
  lo: number;
  len: number;
}

function addRange(pmf: Pmf, values: Float64Array, from: number, to: number): void {
  let i = to - 1;
  for (; i - 1 >= from; i -= 2) pmf.add2(values[i], values[i - 1]);
  if (i >= from) pmf.add(values[i]);
}

function build(values: Float64Array, from: number, to: number): Part {
  if (to - from <= LEAF) {
    const pmf = new Pmf(to - from);
    addRange(pmf, values, from, to);
    pmf.compact();
    return { data: pmf.data, lo: pmf.lo, len: pmf.len };
  }
  const mid = (from + to) >>> 1;
  return convolve(build(values, from, mid), build(values, mid, to));
}

function convolve(a: Part, b: Part): Part {
  // Loop over the longer operand innermost so the hot loop runs long.
  const [x, y] = a.len >= b.len ? [a, b] : [b, a];
  const len = x.len + y.len - 1;
  const out = new Float64Array(len);
  const xd = x.data;
  for (let j = 0; j < y.len; j++) {
    const yj = y.data[j];
    if (yj === 0) continue;
    for (let i = 0; i < x.len; i++) out[i + j] += xd[i] * yj;
  }
  let s = 0;
  let e = len;
  while (e - 1 > s && out[e - 1] < PMF_FLOOR) e--;
  while (s < e - 1 && out[s] < PMF_FLOOR) s++;
  return { data: s > 0 ? out.subarray(s, e) : out, lo: x.lo + y.lo + s, len: e - s };
}
