/**
 * The inner boundary band of a mask (boundaryIou.ts) without a distance transform, for thin bands around short
 * boundaries: every pixel within the band width of the mask's outer boundary is marked by stamping a ball of
 * offsets around each outer-boundary pixel.
 *
 * Why the outer boundary is enough: the non-mask pixel q nearest to a mask pixel x has a face neighbour one step
 * closer to x along an axis where they differ; that neighbour is nearer, so it is in the mask, and q touches the
 * mask. A squared distance is formed as edt.ts forms it (axis 0 first), so "≤ limit" decides as the transform does;
 * and the formula only grows with each |offset|, so no farther non-mask pixel can pass where the nearest fails.
 */

/** Stamp operations per crop pixel below which stamping is cheaper than one transform (measured ≈ 10). */
const STAMPS_PER_PIXEL = 6;

/** Offsets (flat, per the strides of `shape`) whose squared length, formed as edt.ts forms it, is ≤ limit. */
function ballOffsets(
  shape: readonly number[],
  spacing: readonly number[],
  limit: number,
): { flat: Int32Array; coords: Int32Array; reach: number[] } {
  const nd = shape.length;
  const s = spacing.map((v) => v * v);
  const reach = spacing.map((v) => Math.floor(Math.sqrt(limit) / v) + 1);
  const strides = new Array<number>(nd);
  let st = 1;
  for (let a = nd - 1; a >= 0; a--) {
    strides[a] = st;
    st *= shape[a];
  }
  const flat: number[] = [];
  const coords: number[] = [];
  const d = new Array<number>(nd).fill(0);
  const visit = (a: number): void => {
    if (a === nd) {
      let v = d[0] * d[0] * s[0];
      for (let b = 1; b < nd; b++) v = s[b] * d[b] * d[b] + v;
      if (v > limit) return;
      let f = 0;
      for (let b = 0; b < nd; b++) f += d[b] * strides[b];
      flat.push(f);
      coords.push(...d);
      return;
    }
    for (let k = -reach[a]; k <= reach[a]; k++) {
      d[a] = k;
      visit(a + 1);
    }
  };
  visit(0);
  return { flat: Int32Array.from(flat), coords: Int32Array.from(coords), reach };
}

/** Non-mask pixels with a face neighbour in the mask, by flat index (the mask has a background frame). */
function outerBoundary(mask: Uint8Array, shape: readonly number[]): Int32Array {
  const nd = shape.length;
  const strides = new Array<number>(nd);
  let st = 1;
  for (let a = nd - 1; a >= 0; a--) {
    strides[a] = st;
    st *= shape[a];
  }
  const n = mask.length;
  const seen = new Uint8Array(n);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    for (let a = 0; a < nd; a++) {
      const lo = i - strides[a];
      const hi = i + strides[a];
      if (!mask[lo] && !seen[lo]) {
        seen[lo] = 1;
        out.push(lo);
      }
      if (!mask[hi] && !seen[hi]) {
        seen[hi] = 1;
        out.push(hi);
      }
    }
  }
  return Int32Array.from(out);
}

/**
 * The band by stamping, or null when a transform would be cheaper (few boundary pixels × a small ball is the
 * stamping case; the caller then runs the transform).
 */
export function bandByStamping(
  mask: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
  limit: number,
): Uint8Array | null {
  const nd = shape.length;
  // Ball size estimate before building it: the volume of the ellipsoid of radius sqrt(limit) in pixels.
  const r = Math.sqrt(limit);
  let ball = nd === 3 ? (4 / 3) * Math.PI : nd === 2 ? Math.PI : 2;
  for (let a = 0; a < nd; a++) ball *= r / spacing[a] + 0.5;
  const boundary = outerBoundary(mask, shape);
  if (boundary.length * ball > STAMPS_PER_PIXEL * mask.length) return null;
  const { flat, coords, reach } = ballOffsets(shape, spacing, limit);
  const out = new Uint8Array(mask.length);
  const m = flat.length;
  const coord = new Int32Array(nd);
  for (let k = 0; k < boundary.length; k++) {
    const q = boundary[k];
    // Unravel q once; offsets that leave the array along some axis are skipped.
    let rest = q;
    for (let a = nd - 1; a >= 0; a--) {
      coord[a] = rest % shape[a];
      rest = (rest - coord[a]) / shape[a];
    }
    let clear = true;
    for (let a = 0; a < nd; a++) if (coord[a] < reach[a] || coord[a] >= shape[a] - reach[a]) clear = false;
    if (clear) {
      // The whole ball lies in the array: no per-offset bounds test.
      for (let o = 0; o < m; o++) {
        const x = q + flat[o];
        if (mask[x]) out[x] = 1;
      }
      continue;
    }
    for (let o = 0; o < m; o++) {
      let inside = true;
      for (let a = 0; a < nd; a++) {
        const c = coord[a] + coords[o * nd + a];
        if (c < 0 || c >= shape[a]) {
          inside = false;
          break;
        }
      }
      if (!inside) continue;
      const x = q + flat[o];
      if (mask[x]) out[x] = 1;
    }
  }
  return out;
}
