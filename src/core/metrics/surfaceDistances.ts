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
): Float64Array {
  const out = new Float64Array(nFrom);
  const s0 = sq[0];
  let start = 0;
  for (let i = 0; i < nFrom; i++) {
    const f0 = from[i];
    while (start < nTo && to[start] < f0) start++;
    let best = Number.POSITIVE_INFINITY;
    for (let dir = 0; dir < 2; dir++) {
      const step = dir === 0 ? 1 : -1;
      for (let j = dir === 0 ? start : start - 1; j >= 0 && j < nTo; j += step) {
        const d0 = to[j] - f0;
        let d = d0 * d0 * s0;
        if (d > best) break;
        for (let a = 1; a < nd; a++) {
          const da = to[a * nTo + j] - from[a * nFrom + i];
          d = sq[a] * da * da + d;
        }
        if (d < best) best = d;
      }
    }
    out[i] = best;
  }
  return out;
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
  return directDistancesOfCoordinates(
    coordinatesOf(sg, shape, nG),
    nG,
    coordinatesOf(sp, shape, nP),
    nP,
    nd,
    spacing,
  );
}

/**
 * directSurfaceDistances from the surfaces' pixel coordinates (axis-major, C order: coordinatesOf's layout).
 */
export function directDistancesOfCoordinates(
  g: Int32Array,
  nG: number,
  p: Int32Array,
  nP: number,
  nd: number,
  spacing: readonly number[],
): { gToP: Float64Array; pToG: Float64Array } {
  const sq = spacing.map((v) => v * v);
  const gToP = nearestSquared(g, nG, p, nP, nd, sq);
  const pToG = nearestSquared(p, nP, g, nG, nd, sq);
  for (let i = 0; i < nG; i++) gToP[i] = Math.sqrt(gToP[i]);
  for (let j = 0; j < nP; j++) pToG[j] = Math.sqrt(pToG[j]);
  return { gToP, pToG };
}
