/**
 * The inner boundary band of a mask (boundaryIou.ts) and the boundary IoU, worked out on runs: each line of a crop
 * (along its last axis) is a short list of intervals of mask pixels, so the band costs a few interval operations
 * per line instead of passes over every pixel of the crop.
 *
 * A mask pixel x is OUTSIDE the band when no non-mask pixel lies within the band width. The ball of that width is
 * a stack of rows (bandStamp.ts: ball row r is the line at lead offset off_r, holding the last-axis offsets
 * −h_r … h_r), so x is outside exactly when, on every row's line inside the crop, all of x − h_r … x + h_r is
 * mask: x lies in that line's runs shrunk by h_r at both ends. The band of a line is therefore its runs minus the
 * intersection, over the ball rows, of the neighbouring lines' shrunk runs. Lines beyond the crop hold no pixel
 * the transform would see, so they constrain nothing (the one-pixel background frame of a crop is nearer anyway).
 * The pixels are those of bandByStamping and of the transform (tests compare all three).
 */
import { BallRows, ballReach, cachedBallRows } from './bandStamp';
import { runEnd, wordsOf } from './scan';

/** Runs of a mask per line: line l holds the intervals [xs[2k], xs[2k + 1]) for k in start[l] … start[l + 1] − 1. */
export interface LineRuns {
  /** Lines (the product of every axis but the last). */
  lines: number;
  /** Length of a line (the last axis). */
  width: number;
  start: Int32Array;
  xs: Int32Array;
}

/** Interval operations per crop pixel above which the runs are not used (the caller stamps or transforms). */
const OPS_PER_PIXEL = 4;

/** The runs of a 0/1 mask of `shape` (C order), read four pixels at a time (scan.ts). */
export function maskRuns(mask: Uint8Array, shape: readonly number[]): LineRuns {
  const width = shape[shape.length - 1];
  const lines = width === 0 ? 0 : mask.length / width;
  const start = new Int32Array(lines + 1);
  let xs = new Int32Array(Math.max(16, 2 * lines));
  let k = 0;
  const words = wordsOf(mask);
  for (let l = 0; l < lines; l++) {
    const base = l * width;
    const end = base + width;
    start[l] = k >> 1;
    let i = runEnd(mask, words, base, end, 0);
    while (i < end) {
      const j = runEnd(mask, words, i + 1, end, 1);
      if (k + 2 > xs.length) {
        const grown = new Int32Array(2 * xs.length);
        grown.set(xs);
        xs = grown;
      }
      xs[k++] = i - base;
      xs[k++] = j - base;
      i = runEnd(mask, words, j, end, 0);
    }
  }
  start[lines] = k >> 1;
  return { lines, width, start, xs: xs.subarray(0, k) };
}

/**
 * out ← a ∩ (runs of `b` in [from, to) shrunk by h at both ends); returns the interval count of out. Intervals are
 * pairs [x0, x1) in increasing order; `a` holds na of them.
 */
function intersectShrunk(
  a: Int32Array,
  na: number,
  b: Int32Array,
  from: number,
  to: number,
  h: number,
  out: Int32Array,
): number {
  let n = 0;
  let i = 0;
  let j = from;
  while (i < na && j < to) {
    const b0 = b[2 * j] + h;
    const b1 = b[2 * j + 1] - h;
    if (b0 >= b1) {
      j++;
      continue;
    }
    const a0 = a[2 * i];
    const a1 = a[2 * i + 1];
    const lo = a0 > b0 ? a0 : b0;
    const hi = a1 < b1 ? a1 : b1;
    if (lo < hi) {
      out[2 * n] = lo;
      out[2 * n + 1] = hi;
      n++;
    }
    if (a1 < b1) i++;
    else j++;
  }
  return n;
}

/**
 * The band (mask pixels within the squared distance `limit` of a non-mask pixel, squared distances formed as
 * edt.ts forms them) as runs, or null when the ball is so tall that the interval work would exceed
 * OPS_PER_PIXEL per crop pixel. @param runs maskRuns of a mask with a background frame of one pixel.
 */
export function bandRuns(
  runs: LineRuns,
  shape: readonly number[],
  spacing: readonly number[],
  limit: number,
): LineRuns | null {
  const nd = shape.length;
  const { lines, width, start } = runs;
  const reach = ballReach(shape, spacing, limit);
  let rows = 1;
  for (let a = 0; a < nd - 1; a++) rows *= 2 * reach[a] + 1;
  const nRuns = start[lines];
  if ((nRuns + lines) * rows > OPS_PER_PIXEL * lines * width) return null;
  return withoutInterior(runs, shape, cachedBallRows(spacing, limit, reach));
}

/** Cross-shaped "balls" per dimension: the line itself shrunk by one pixel, and its face-neighbour lines. */
const crosses = new Map<number, BallRows>();

/**
 * The surface of a mask (its pixels with a face neighbour outside it, as surface.ts surfaceOf marks them) as
 * runs: a pixel is inside when its line's run holds both its neighbours along the last axis and the neighbour
 * lines along every other axis hold it. @param runs maskRuns of a mask with a background frame of one pixel.
 */
export function surfaceRuns(runs: LineRuns, shape: readonly number[]): LineRuns {
  const nd = shape.length;
  let cross = crosses.get(nd);
  if (!cross) {
    const lead: number[] = new Array<number>(nd - 1).fill(0);
    const half = [1];
    for (let a = 0; a < nd - 1; a++)
      for (const d of [-1, 1]) {
        const row = new Array<number>(nd - 1).fill(0);
        row[a] = d;
        lead.push(...row);
        half.push(0);
      }
    cross = { lead: Int32Array.from(lead), half: Int32Array.from(half), count: half.length };
    crosses.set(nd, cross);
  }
  return withoutInterior(runs, shape, cross);
}

/**
 * The runs minus their interior: the pixels x of a line for which, on the line of every row of `ball` (lead
 * offsets, and the half-width h along the last axis), all of x − h … x + h lies in that line's runs. Rows whose
 * line is beyond the crop constrain nothing.
 */
function withoutInterior(runs: LineRuns, shape: readonly number[], ball: BallRows): LineRuns {
  const nd = shape.length;
  const { lines, width, start, xs } = runs;
  // Per ball row, the line offset it adds (within the crop's line grid) and, to test that it stays inside, the
  // lead offsets; the row with no lead offset is the line itself.
  const lead = nd - 1;
  const lineStride = new Array<number>(lead);
  let s = 1;
  for (let a = lead - 1; a >= 0; a--) {
    lineStride[a] = s;
    s *= shape[a];
  }
  const delta = new Int32Array(ball.count);
  let self = -1;
  for (let r = 0; r < ball.count; r++) {
    let d = 0;
    let zero = true;
    for (let a = 0; a < lead; a++) {
      d += ball.lead[r * lead + a] * lineStride[a];
      if (ball.lead[r * lead + a] !== 0) zero = false;
    }
    delta[r] = d;
    if (zero) self = r;
  }
  let maxRuns = 0;
  for (let l = 0; l < lines; l++) maxRuns = Math.max(maxRuns, start[l + 1] - start[l]);
  // Scratch for the running intersection (it can split runs, at most one more interval per row).
  const cap = 2 * (maxRuns + 1) * (ball.count + 1);
  let cur = new Int32Array(cap);
  let nxt = new Int32Array(cap);
  const outStart = new Int32Array(lines + 1);
  let out = new Int32Array(Math.max(16, xs.length * 2));
  let k = 0;
  const coord = new Int32Array(Math.max(lead, 1));
  for (let l = 0; l < lines; l++) {
    outStart[l] = k >> 1;
    const r0 = start[l];
    const r1 = start[l + 1];
    if (r0 < r1) {
      // The interior (pixels outside the band): this line's runs shrunk by the self row, then cut by every row.
      let n = 0;
      const hs = self >= 0 ? ball.half[self] : 0;
      for (let j = r0; j < r1; j++) {
        const x0 = xs[2 * j] + hs;
        const x1 = xs[2 * j + 1] - hs;
        if (x0 < x1) {
          cur[2 * n] = x0;
          cur[2 * n + 1] = x1;
          n++;
        }
      }
      for (let r = 0; r < ball.count && n > 0; r++) {
        if (r === self) continue;
        let inside = true;
        for (let a = 0; a < lead; a++) {
          const c = coord[a] + ball.lead[r * lead + a];
          if (c < 0 || c >= shape[a]) {
            inside = false;
            break;
          }
        }
        if (!inside) continue;
        const m = l + delta[r];
        n = intersectShrunk(cur, n, xs, start[m], start[m + 1], ball.half[r], nxt);
        const t = cur;
        cur = nxt;
        nxt = t;
      }
      // The band: each run minus the interior intervals inside it (the interior lies within the runs).
      if (k + 2 * (r1 - r0 + n) > out.length) {
        const grown = new Int32Array(2 * (out.length + 2 * (r1 - r0 + n)));
        grown.set(out.subarray(0, k));
        out = grown;
      }
      let q = 0;
      for (let j = r0; j < r1; j++) {
        let x = xs[2 * j];
        const x1 = xs[2 * j + 1];
        while (q < n && cur[2 * q + 1] <= x1) {
          if (cur[2 * q] > x) {
            out[k++] = x;
            out[k++] = cur[2 * q];
          }
          x = cur[2 * q + 1];
          q++;
        }
        if (x < x1) {
          out[k++] = x;
          out[k++] = x1;
        }
      }
    }
    for (let a = lead - 1; a >= 0; a--) {
      if (++coord[a] < shape[a]) break;
      coord[a] = 0;
    }
  }
  outStart[lines] = k >> 1;
  return { lines, width, start: outStart, xs: out.subarray(0, k) };
}

/** Pixels in the runs. */
export function runPixels(r: LineRuns): number {
  let n = 0;
  for (let j = 0; j < r.xs.length; j += 2) n += r.xs[j + 1] - r.xs[j];
  return n;
}

/** Pixels in both run sets (same line grid). */
export function sharedPixels(a: LineRuns, b: LineRuns): number {
  let n = 0;
  for (let l = 0; l < a.lines; l++) {
    let i = a.start[l];
    const ie = a.start[l + 1];
    let j = b.start[l];
    const je = b.start[l + 1];
    while (i < ie && j < je) {
      const a0 = a.xs[2 * i];
      const a1 = a.xs[2 * i + 1];
      const b0 = b.xs[2 * j];
      const b1 = b.xs[2 * j + 1];
      const lo = a0 > b0 ? a0 : b0;
      const hi = a1 < b1 ? a1 : b1;
      if (lo < hi) n += hi - lo;
      if (a1 < b1) i++;
      else j++;
    }
  }
  return n;
}

/** The runs as a 0/1 mask (for callers and tests that want pixels). */
export function runsToMask(r: LineRuns): Uint8Array {
  const out = new Uint8Array(r.lines * r.width);
  for (let l = 0; l < r.lines; l++)
    for (let j = r.start[l]; j < r.start[l + 1]; j++)
      out.fill(1, l * r.width + r.xs[2 * j], l * r.width + r.xs[2 * j + 1]);
  return out;
}

/**
 * Coordinates (axis-major: out[a·n + i]) of the n pixels of the runs, in C order (as surfaceDistances.ts lists
 * a mask's pixels).
 */
export function runCoordinates(r: LineRuns, shape: readonly number[], n: number): Int32Array {
  const nd = shape.length;
  const out = new Int32Array(nd * n);
  const coord = new Int32Array(nd);
  let k = 0;
  for (let l = 0; l < r.lines; l++) {
    for (let j = r.start[l]; j < r.start[l + 1]; j++) {
      for (let x = r.xs[2 * j]; x < r.xs[2 * j + 1]; x++) {
        for (let a = 0; a < nd - 1; a++) out[a * n + k] = coord[a];
        out[(nd - 1) * n + k] = x;
        k++;
      }
    }
    for (let a = nd - 2; a >= 0; a--) {
      if (++coord[a] < shape[a]) break;
      coord[a] = 0;
    }
  }
  return out;
}

/** Square roots of a squared distance map at the pixels of the runs, in C order (physical distances). */
export function distancesAtRuns(sq: Float64Array, r: LineRuns, n: number): Float64Array {
  const out = new Float64Array(n);
  let k = 0;
  for (let l = 0; l < r.lines; l++) {
    const base = l * r.width;
    for (let j = r.start[l]; j < r.start[l + 1]; j++) {
      for (let x = base + r.xs[2 * j]; x < base + r.xs[2 * j + 1]; x++) out[k++] = Math.sqrt(sq[x]);
    }
  }
  return out;
}
