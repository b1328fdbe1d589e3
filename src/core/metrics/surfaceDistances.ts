/**
 * Surface-to-surface distances by direct comparison of the two surfaces' pixels, for the common case of short
 * surfaces in a large crop: a search among the other surface's pixels near each pixel costs less than two distance
 * transforms over the crop (at worst it compares all nG·nP pairs, which preferDirect bounds). The squared distance of a pair is formed in the order edt.ts forms it
 * (axis 0 first, then each further axis added in front), so the numbers are those of the transform.
 */

/** Pairs per crop pixel below which the direct comparison is cheaper than two transforms (measured ≈ 20). */
const PAIRS_PER_PIXEL = 8;

/** Whether surfaces of nG and nP pixels in a crop of `total` pixels should be compared directly. */
export function preferDirect(nG: number, nP: number, total: number): boolean {
  return nG * nP <= PAIRS_PER_PIXEL * total;
}

/** Coordinates (axis-major: coords[a·n + i]) of the set pixels of `mask`, in C order. */
function coordinatesOf(mask: Uint8Array, shape: readonly number[], n: number): Int32Array {
  const nd = shape.length;
  const out = new Int32Array(nd * n);
  const coord = new Int32Array(nd);
  const last = shape[nd - 1];
  let k = 0;
  for (let i = 0; i < mask.length; i += last) {
    for (let x = 0; x < last; x++) {
      if (!mask[i + x]) continue;
      for (let a = 0; a < nd - 1; a++) out[a * n + k] = coord[a];
      out[(nd - 1) * n + k] = x;
      k++;
    }
    for (let a = nd - 2; a >= 0; a--) {
      if (++coord[a] < shape[a]) break;
      coord[a] = 0;
    }
  }
  return out;
}

/**
 * For each pixel of `from` (coordinates axis-major, C order), the squared distance to the nearest pixel of `to`
 * (same layout). Both lists are sorted by their axis-0 coordinate, so the search starts at the first `to` pixel
 * on the same axis-0 line and walks outwards in both directions until the axis-0 gap alone exceeds the best
 * distance found: a pair's squared distance is never below its axis-0 term (every term is ≥ 0), so nothing
 * beyond can be nearer. On surfaces that lie close together that is a few lines per pixel, not all of `to`.
 */
function nearestSquared(
  from: Int32Array,
  nFrom: number,
  to: Int32Array,
  nTo: number,
  nd: number,
  sq: readonly number[],
  out: Float64Array,
  budget: number,
): number {
  const s0 = sq[0];
  let start = 0;
  let visits = 0;
  for (let i = 0; i < nFrom; i++) {
    const f0 = from[i];
    while (start < nTo && to[start] < f0) start++;
    let best = Number.POSITIVE_INFINITY;
    let j = start;
    for (; j < nTo; j++) {
      const d0 = to[j] - f0;
      let d = d0 * d0 * s0;
      if (d > best) break;
      for (let a = 1; a < nd; a++) {
        const da = to[a * nTo + j] - from[a * nFrom + i];
        d = sq[a] * da * da + d;
      }
      if (d < best) best = d;
    }
    visits += j - start;
    j = start - 1;
    for (; j >= 0; j--) {
      const d0 = to[j] - f0;
      let d = d0 * d0 * s0;
      if (d > best) break;
      for (let a = 1; a < nd; a++) {
        const da = to[a * nTo + j] - from[a * nFrom + i];
        d = sq[a] * da * da + d;
      }
      if (d < best) best = d;
    }
    visits += start - 1 - j;
    out[i] = best;
    if (visits > budget) return -1;
  }
  return visits;
}

/**
 * nearestSquared for 2-D, searching each line by its second coordinate too: the `to` pixels of a line are sorted
 * by it, so the search starts at the nearest one (binary search) and walks outwards until the pair's squared
 * distance exceeds the best: on a fixed line it only grows with the gap (each rounded product and sum is monotone),
 * so nothing beyond can be nearer. Lines are visited outwards from the pixel's own until the line gap alone
 * exceeds the best. The minimum is the same number as the exhaustive search's; only fewer pairs are formed.
 */
function nearestSquared2d(
  from: Int32Array,
  nFrom: number,
  to: Int32Array,
  nTo: number,
  s0: number,
  s1: number,
  out: Float64Array,
  budget: number,
): number {
  // Where each line's pixels start in `to` (lines 0 … H − 1, H past the last one).
  const H = to[nTo - 1] + 1;
  const lineStart = new Int32Array(H + 1);
  for (let j = 0; j < nTo; j++) lineStart[to[j] + 1]++;
  for (let y = 0; y < H; y++) lineStart[y + 1] += lineStart[y];
  visited = 0;
  for (let i = 0; i < nFrom; i++) {
    const f0 = from[i];
    const f1 = from[nFrom + i];
    let best = nearestOnLine(to, nTo, lineStart, H, f0, f0, f1, s0, s1, Number.POSITIVE_INFINITY);
    // Outwards, line by line, each way until the line gap alone exceeds the best (or the lines end that way).
    for (let k = 1; ; k++) {
      const gap = k * k * s0;
      if (gap > best || (f0 + k >= H && f0 - k < 0)) break;
      best = nearestOnLine(to, nTo, lineStart, H, f0 + k, f0, f1, s0, s1, best);
      best = nearestOnLine(to, nTo, lineStart, H, f0 - k, f0, f1, s0, s1, best);
    }
    out[i] = best;
    if (visited > budget) return -1;
  }
  return visited;
}

/** Pairs formed by nearestOnLine since nearestSquared2d started (its budget). */
let visited = 0;

/**
 * The smaller of `best` and the squared distance from (f0, f1) to the nearest `to` pixel on line y (none when y is
 * outside 0 … H − 1): from the first pixel at or right of f1 (binary search) outwards both ways while the pair's
 * squared distance does not exceed the best.
 */
function nearestOnLine(
  to: Int32Array,
  nTo: number,
  lineStart: Int32Array,
  H: number,
  y: number,
  f0: number,
  f1: number,
  s0: number,
  s1: number,
  best: number,
): number {
  if (y < 0 || y >= H) return best;
  const d0 = y - f0;
  const base = d0 * d0 * s0;
  if (base > best) return best;
  const lo = lineStart[y];
  const hi = lineStart[y + 1];
  let a = lo;
  let b = hi;
  while (a < b) {
    const m = (a + b) >> 1;
    if (to[nTo + m] < f1) a = m + 1;
    else b = m;
  }
  let j = a;
  for (; j < hi; j++) {
    const da = to[nTo + j] - f1;
    const d = s1 * da * da + base;
    if (d > best) break;
    if (d < best) best = d;
  }
  visited += j - a + 1;
  j = a - 1;
  for (; j >= lo; j--) {
    const da = to[nTo + j] - f1;
    const d = s1 * da * da + base;
    if (d > best) break;
    if (d < best) best = d;
  }
  visited += a - j;
  return best;
}

/**
 * Pair visits allowed to the direct comparison of surfaces of nG and nP pixels in a crop of `total` pixels of
 * `nd` dimensions before it gives up for the transforms: unbounded when even all pairs are few (preferDirect);
 * otherwise, in 2-D (where the search narrows each line by position), what two transforms would cost, so a search
 * among close surfaces (a few pairs per pixel) still goes direct and one between far-apart surfaces stops early;
 * 0 (do not try) in other dimensions, whose search narrows by the first axis only.
 */
export function directBudget(nG: number, nP: number, total: number, nd: number): number {
  if (preferDirect(nG, nP, total)) return Number.POSITIVE_INFINITY;
  return nd === 2 ? 2 * PAIRS_PER_PIXEL * total : 0;
}

/**
 * Distances (physical units) from each pixel of surface G to the nearest pixel of surface P and back, each in
 * C order of its own surface (as distancesAt in surface.ts reads them from a transform).
 */
export function directSurfaceDistances(
  sg: Uint8Array,
  sp: Uint8Array,
  nG: number,
  nP: number,
  shape: readonly number[],
  spacing: readonly number[],
): { gToP: Float64Array; pToG: Float64Array } {
  const nd = shape.length;
  // Unbounded: never null.
  return directDistancesOfCoordinates(
    coordinatesOf(sg, shape, nG),
    nG,
    coordinatesOf(sp, shape, nP),
    nP,
    nd,
    spacing,
  ) as { gToP: Float64Array; pToG: Float64Array };
}

/**
 * directSurfaceDistances from the surfaces' pixel coordinates (axis-major, C order: coordinatesOf's layout), or
 * null when the search needs more than `budget` pair visits (directBudget).
 */
export function directDistancesOfCoordinates(
  g: Int32Array,
  nG: number,
  p: Int32Array,
  nP: number,
  nd: number,
  spacing: readonly number[],
  budget = Number.POSITIVE_INFINITY,
): { gToP: Float64Array; pToG: Float64Array } | null {
  const sq = spacing.map((v) => v * v);
  const gToP = new Float64Array(nG);
  const pToG = new Float64Array(nP);
  const used =
    nd === 2
      ? nearestSquared2d(g, nG, p, nP, sq[0], sq[1], gToP, budget)
      : nearestSquared(g, nG, p, nP, nd, sq, gToP, budget);
  if (used < 0) return null;
  const rest = budget - used;
  const back =
    nd === 2
      ? nearestSquared2d(p, nP, g, nG, sq[0], sq[1], pToG, rest)
      : nearestSquared(p, nP, g, nG, nd, sq, pToG, rest);
  if (back < 0) return null;
  for (let i = 0; i < nG; i++) gToP[i] = Math.sqrt(gToP[i]);
  for (let j = 0; j < nP; j++) pToG[j] = Math.sqrt(pToG[j]);
  return { gToP, pToG };
}
