/**
 * The inner boundary band of a mask (boundaryIou.ts) without a distance transform: every mask pixel within the
 * band width of the mask's outer boundary is covered by the ball around some outer-boundary pixel. A ball is a
 * stack of intervals along the last axis, so each outer-boundary pixel adds one interval per ball row to a
 * per-line difference array, and one prefix-sum pass over the crop reads the coverage.
 *
 * Why the outer boundary is enough: the non-mask pixel q nearest to a mask pixel x has a face neighbour one step
 * closer to x along an axis where they differ; that neighbour is nearer, so it is in the mask, and q touches the
 * mask. A squared distance is formed as edt.ts forms it (axis 0 first, the last axis added last), so "≤ limit"
 * decides as the transform does; and the formula only grows with each |offset|, so a ball row is an interval and
 * no farther non-mask pixel can pass where the nearest fails.
 */

/** Interval operations per crop pixel below which covering is cheaper than one transform. */
const ROWS_PER_PIXEL = 4;

/** Ball rows: offsets of the leading axes (nd − 1 per row) and the half-width h of the row's interval. */
export interface BallRows {
  lead: Int32Array;
  half: Int32Array;
  count: number;
}

/**
 * How far the ball reaches along each axis, in pixels, capped at the crop's size (an offset beyond it can never
 * land inside): a tiny spacing on one axis must not make the ball astronomically long.
 */
export function ballReach(shape: readonly number[], spacing: readonly number[], limit: number): number[] {
  return spacing.map((v, a) => Math.min(Math.floor(Math.sqrt(limit) / v) + 1, shape[a]));
}

/** The ball of squared radius `limit` (formed as edt.ts forms squared distances) as rows along the last axis. */
function ballRows(spacing: readonly number[], limit: number, reach: readonly number[]): BallRows {
  const nd = spacing.length;
  const s = spacing.map((v) => v * v);
  const lead: number[] = [];
  const half: number[] = [];
  const d = new Array<number>(nd).fill(0);
  const visit = (a: number): void => {
    if (a === nd - 1) {
      // The leading axes' part, in the transform's order; then the widest last-axis offset that still fits.
      let v = 0;
      for (let b = 0; b < nd - 1; b++) v = b === 0 ? d[0] * d[0] * s[0] : s[b] * d[b] * d[b] + v;
      const last = s[nd - 1];
      const fits = (dx: number): boolean => (nd === 1 ? dx * dx * last : last * dx * dx + v) <= limit;
      if (!fits(0)) return;
      let h = 0;
      while (h < reach[nd - 1] && fits(h + 1)) h++;
      for (let b = 0; b < nd - 1; b++) lead.push(d[b]);
      half.push(h);
      return;
    }
    for (let k = -reach[a]; k <= reach[a]; k++) {
      d[a] = k;
      visit(a + 1);
    }
  };
  visit(0);
  return { lead: Int32Array.from(lead), half: Int32Array.from(half), count: half.length };
}

/** Balls already built, by spacing, limit and reach (a run needs one or two; the cache stays small). */
const balls = new Map<string, BallRows>();

/** ballRows, built once per spacing, limit and reach. */
export function cachedBallRows(
  spacing: readonly number[],
  limit: number,
  reach: readonly number[],
): BallRows {
  const key = `${spacing.join(',')}|${limit}|${reach.join(',')}`;
  let b = balls.get(key);
  if (!b) {
    if (balls.size >= 32) balls.clear();
    b = ballRows(spacing, limit, reach);
    balls.set(key, b);
  }
  return b;
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
 * The band: mask pixels whose squared distance to a non-mask pixel is ≤ `limit`; null when a transform would be
 * cheaper (a long boundary times a tall ball), in which case the caller runs the transform.
 */
export function bandByStamping(
  mask: Uint8Array,
  shape: readonly number[],
  spacing: readonly number[],
  limit: number,
): Uint8Array | null {
  const nd = shape.length;
  const boundary = outerBoundary(mask, shape);
  // The ball's rows are counted from its reach before any is built: a ball too tall for the budget is never made.
  const reach = ballReach(shape, spacing, limit);
  let rows = 1;
  for (let a = 0; a < nd - 1; a++) rows *= 2 * reach[a] + 1;
  if (boundary.length * rows > ROWS_PER_PIXEL * mask.length) return null;
  const ball = cachedBallRows(spacing, limit, reach);
  const W = shape[nd - 1];
  const lines = mask.length / W;
  const diff = new Int32Array(lines * (W + 1));
  const coord = new Int32Array(nd);
  for (let k = 0; k < boundary.length; k++) {
    let rest = boundary[k];
    for (let a = nd - 1; a >= 0; a--) {
      coord[a] = rest % shape[a];
      rest = (rest - coord[a]) / shape[a];
    }
    const x = coord[nd - 1];
    for (let r = 0; r < ball.count; r++) {
      // The line of this ball row: leading coordinates plus the row's offsets, skipped when outside the crop.
      let line = 0;
      let inside = true;
      for (let a = 0; a < nd - 1; a++) {
        const c = coord[a] + ball.lead[r * (nd - 1) + a];
        if (c < 0 || c >= shape[a]) {
          inside = false;
          break;
        }
        line = line * shape[a] + c;
      }
      if (!inside) continue;
      const h = ball.half[r];
      const x0 = x - h < 0 ? 0 : x - h;
      const x1 = x + h >= W ? W - 1 : x + h;
      const base = line * (W + 1);
      diff[base + x0]++;
      diff[base + x1 + 1]--;
    }
  }
  const out = new Uint8Array(mask.length);
  for (let line = 0; line < lines; line++) {
    const base = line * (W + 1);
    const row = line * W;
    let cover = 0;
    for (let x = 0; x < W; x++) {
      cover += diff[base + x];
      if (cover > 0 && mask[row + x]) out[row + x] = 1;
    }
  }
  return out;
}
