/**
 * Deterministic ranking of one (image, class): pixels sorted by (−p, flat index).
 *
 * Probabilities are non-negative, so their IEEE-754 bit patterns order like the values. An LSD radix sort on
 * the inverted bits is stable, which puts tied pixels in increasing flat index for free, and runs in O(N)
 * without comparison callbacks (RMA must decode 1024² in well under 50 ms).
 */

/** Below this size a comparison sort is cheaper than clearing 16-bit radix histograms. */
const SMALL = 2048;
const RADIX = 1 << 16;
/**
 * Float32 values from TINY up to WIDE32 are sorted by three 11-bit digits instead (histograms of 2048 that one
 * pass fills together): two 16-bit passes clear and sum 2 × 65536 counters whatever n is, which dominated the
 * few thousand candidates of an RMA selection, and a comparison sort with a callback costs more still.
 */
const TINY = 64;
const WIDE32 = 1 << 18;
const RADIX11 = 1 << 11;

/** Reusable buffers so repeated calls (one per class) do not allocate. */
export class Ranker {
  private idx = new Uint32Array(0);
  private tmp = new Uint32Array(0);
  private readonly hist = new Uint32Array(RADIX);
  private readonly hist11 = new Uint32Array(3 * RADIX11);

  /**
   * Returns the permutation (indices into `values[offset .. offset+n)`) sorted by (−p, index). The returned
   * array is owned by the ranker and overwritten by the next call.
   */
  rank(values: Float32Array | Float64Array, offset: number, n: number): Uint32Array {
    if (this.idx.length < n) {
      this.idx = new Uint32Array(n);
      this.tmp = new Uint32Array(n);
    }
    const idx = this.idx.subarray(0, n);
    if (values instanceof Float32Array && n >= TINY && n < WIDE32) return this.rank11(values, offset, n, idx);
    if (n < SMALL) {
      for (let i = 0; i < n; i++) idx[i] = i;
      idx.sort((a, b) => values[offset + b] - values[offset + a] || a - b);
      return idx;
    }
    const words =
      values instanceof Float32Array
        ? new Uint32Array(values.buffer, values.byteOffset + offset * 4, n)
        : new Uint32Array(values.buffer, values.byteOffset + offset * 8, 2 * n);
    const stride = values instanceof Float32Array ? 1 : 2;
    // Digits from least to most significant: (word, shift) pairs. Float64 words are little-endian (lo, hi).
    const digits: Array<[number, number]> =
      stride === 1
        ? [
            [0, 0],
            [0, 16],
          ]
        : [
            [0, 0],
            [0, 16],
            [1, 0],
            [1, 16],
          ];
    let src = idx;
    let dst = this.tmp.subarray(0, n);
    for (let i = 0; i < n; i++) src[i] = i;
    const hist = this.hist;
    for (const [word, shift] of digits) {
      hist.fill(0);
      for (let i = 0; i < n; i++) hist[(~words[i * stride + word] >>> shift) & 0xffff]++;
      // Skip a pass whose digit is constant: the order is unchanged and stability is preserved.
      let sum = 0;
      let constant = false;
      for (let b = 0; b < RADIX; b++) {
        const c = hist[b];
        if (c === n) constant = true;
        hist[b] = sum;
        sum += c;
      }
      if (constant) continue;
      for (let i = 0; i < n; i++) {
        const j = src[i];
        dst[hist[(~words[j * stride + word] >>> shift) & 0xffff]++] = j;
      }
      const t = src;
      src = dst;
      dst = t;
    }
    if (src !== idx) idx.set(src);
    return idx;
  }

  /**
   * rank() of float32 values by three 11-bit digits (bits 0–10, 11–21, 22–31 of the inverted pattern). The sign
   * bit is cleared first, so −0 ties with +0 as in the comparison sort. The order by (−p, index) is unique, so
   * this returns the same permutation as the other two ways.
   */
  private rank11(
    values: Float32Array,
    offset: number,
    n: number,
    idx: Uint32Array<ArrayBuffer>,
  ): Uint32Array {
    const words = new Uint32Array(values.buffer, values.byteOffset + offset * 4, n);
    const h = this.hist11;
    h.fill(0);
    for (let i = 0; i < n; i++) {
      const k = ~(words[i] & 0x7fffffff);
      h[k & 0x7ff]++;
      h[RADIX11 + ((k >>> 11) & 0x7ff)]++;
      h[2 * RADIX11 + (k >>> 22)]++;
    }
    let src = idx;
    let dst = this.tmp.subarray(0, n);
    for (let i = 0; i < n; i++) src[i] = i;
    for (let d = 0; d < 3; d++) {
      const base = d * RADIX11;
      const shift = d * 11;
      // Skip a digit that is the same for every value: the order is unchanged and stability is preserved.
      let sum = 0;
      let constant = false;
      for (let b = base; b < base + RADIX11; b++) {
        const c = h[b];
        if (c === n) constant = true;
        h[b] = sum;
        sum += c;
      }
      if (constant) continue;
      for (let i = 0; i < n; i++) {
        const j = src[i];
        dst[h[base + ((~(words[j] & 0x7fffffff) >>> shift) & 0x7ff)]++] = j;
      }
      const t = src;
      src = dst;
      dst = t;
    }
    if (src !== idx) idx.set(src);
    return idx;
  }
}

/** Copies the sorted probabilities into `out` (float64) and returns it. */
export function gatherSorted(
  values: Float32Array | Float64Array,
  offset: number,
  order: Uint32Array,
  out: Float64Array,
): Float64Array {
  const n = order.length;
  for (let i = 0; i < n; i++) out[i] = values[offset + order[i]];
  return out;
}
