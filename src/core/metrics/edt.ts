/**
 * Exact squared Euclidean distance transform in linear time (Felzenszwalb & Huttenlocher, "Distance Transforms
 * of Sampled Functions", 2012), n-dimensional, with per-axis spacing (docs/specs/metrics.md §3.9).
 *
 * The first axis is done with two running scans (exact for a 0/∞ input, and cache-friendly because it walks
 * the array in memory order); every further axis runs the lower-envelope-of-parabolas pass. All in float64.
 */

/** Reusable scratch buffers for the 1-D pass, sized for the longest line. */
interface Scratch {
  f: Float64Array;
  v: Int32Array;
  z: Float64Array;
}

function makeScratch(n: number): Scratch {
  return { f: new Float64Array(n), v: new Int32Array(n), z: new Float64Array(n + 1) };
}

/**
 * One 1-D pass along a line of `n` samples starting at `base` with stride `stride` in `g`, in place:
 * g[q] ← min_p ( s²(q−p)² + g[p] ). Lines with no finite sample stay +∞.
 */
function pass1d(g: Float64Array, base: number, stride: number, n: number, s2: number, sc: Scratch): void {
  const { f, v, z } = sc;
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = g[base + q * stride];
    f[q] = fq;
    if (fq === Number.POSITIVE_INFINITY) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = Number.NEGATIVE_INFINITY;
      z[1] = Number.POSITIVE_INFINITY;
      continue;
    }
    const a = fq + s2 * q * q;
    let x: number;
    for (;;) {
      const p = v[k];
      x = (a - (f[p] + s2 * p * p)) / (2 * s2 * (q - p));
      if (x <= z[k] && k > 0) k--;
      else break;
    }
    // With k = 0 and x ≤ z[0] = −∞ impossible, so the loop above only stops at k = 0 when x > −∞.
    k++;
    v[k] = q;
    z[k] = x;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  if (k < 0) return;
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1] < q) j++;
    const d = q - v[j];
    g[base + q * stride] = s2 * d * d + f[v[j]];
  }
}

/**
 * Squared distance from every pixel to the nearest site, in physical units. Sites are the non-zero entries of
 * `sites` (or the zero entries when `invert` is true, which saves building an inverted mask). Returns +∞
 * everywhere when there is no site.
 * @param shape array shape, C order; @param spacing one positive spacing per axis.
 * @param out optional output buffer of the same length (reused between calls to avoid allocation).
 */
export function squaredEdt(
  sites: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
  out?: Float64Array,
  invert = false,
): Float64Array {
  const nd = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  const g = out && out.length === total ? out : new Float64Array(total);
  if (total === 0) return g;
  const n0 = shape[0];
  const rest = total / n0;
  const INF = Number.POSITIVE_INFINITY;
  const on = invert ? 0 : 1;
  // Axis 0: distance in rows to the nearest site in the same column: a forward scan, then a backward scan that
  // also squares and scales (exact for a 0/∞ input, and it walks memory in order).
  for (let j = 0; j < rest; j++) g[j] = (sites[j] !== 0 ? 1 : 0) === on ? 0 : INF;
  for (let i = 1; i < n0; i++) {
    const row = i * rest;
    const prev = row - rest;
    for (let j = 0; j < rest; j++) g[row + j] = (sites[row + j] !== 0 ? 1 : 0) === on ? 0 : g[prev + j] + 1;
  }
  const s0 = spacing[0] * spacing[0];
  // `run` holds, per column, the row distance of the row below (unsquared), so squaring fuses into this scan.
  const run = new Float64Array(rest);
  const last = (n0 - 1) * rest;
  for (let j = 0; j < rest; j++) {
    const d = g[last + j];
    run[j] = d;
    g[last + j] = d * d * s0;
  }
  for (let i = n0 - 2; i >= 0; i--) {
    const row = i * rest;
    for (let j = 0; j < rest; j++) {
      let d = g[row + j];
      const below = run[j] + 1;
      if (below < d) d = below;
      run[j] = d;
      g[row + j] = d * d * s0;
    }
  }
  // Remaining axes: lower envelope of parabolas along every line of that axis.
  let maxLen = 0;
  for (let a = 1; a < nd; a++) maxLen = Math.max(maxLen, shape[a]);
  const sc = makeScratch(maxLen);
  for (let a = 1; a < nd; a++) {
    const n = shape[a];
    let stride = 1;
    for (let b = a + 1; b < nd; b++) stride *= shape[b];
    const outer = total / (n * stride);
    const s2 = spacing[a] * spacing[a];
    for (let o = 0; o < outer; o++) {
      const block = o * n * stride;
      for (let inner = 0; inner < stride; inner++) pass1d(g, block + inner, stride, n, s2, sc);
    }
  }
  return g;
}
