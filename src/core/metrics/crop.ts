/**
 * Cropping a class to the bounding box of G ∪ P grown by one pixel on every side (docs/specs/metrics.md §3.9).
 * Every site and query pixel of the surface metrics lies inside that box, so distances computed in the crop equal
 * those in the full image, at a fraction of the cost for small objects. Pixels of the box beyond the image are
 * background, which is exactly the spec's "outside the image counts as not in A".
 */
import { LabelData } from '../types';
import type { LineRuns } from './lineRuns';
import { runEnd, wordsOf } from './scan';

export interface ClassCrop {
  /** Crop shape (the grown bounding box), C order. */
  shape: number[];
  /** Image coordinate of crop index 0 along each axis (may be −1). */
  origin: number[];
  /** 1 where gt = class. */
  gt: Uint8Array;
  /** 1 where pred = class. */
  pred: Uint8Array;
  /** The runs of `gt` (absent when the GT crop was reused) and of `pred`, as maskRuns would read them. */
  gtRuns?: LineRuns;
  predRuns?: LineRuns;
}

/** Inclusive bounding box of a class over both maps: lo/hi per axis. */
export interface ClassBox {
  lo: number[];
  hi: number[];
}

/**
 * Per class, the inclusive box of its pixels in ONE label map, into flat lo/hi arrays (lo[c·nd + axis]; a class
 * that is absent keeps lo = 2³¹ − 1, hi = −1). Labels ≥ numClasses (an ignore label) belong to no class. Each line
 * is read as runs of one label (four pixels a step, scan.ts), so a box takes one update per run, not one per pixel.
 */
function boxesOfLabels(
  labels: LabelData,
  shape: readonly number[],
  numClasses: number,
  lo: Int32Array,
  hi: Int32Array,
): void {
  const nd = shape.length;
  const last = shape[nd - 1];
  const lines = last === 0 ? 0 : labels.length / last;
  const coord = new Int32Array(nd);
  // Per line, the first and last x of each class seen on it (and which classes were seen).
  const first = new Int32Array(numClasses).fill(-1);
  const lastX = new Int32Array(numClasses);
  const seen = new Int32Array(numClasses);
  const words = wordsOf(labels);
  for (let line = 0; line < lines; line++) {
    const base = line * last;
    const end = base + last;
    let nSeen = 0;
    let i = base;
    while (i < end) {
      const a = labels[i];
      const j = runEnd(labels, words, i + 1, end, a);
      if (a < numClasses) {
        if (first[a] < 0) {
          first[a] = i - base;
          seen[nSeen++] = a;
        }
        lastX[a] = j - 1 - base;
      }
      i = j;
    }
    for (let k = 0; k < nSeen; k++) {
      const c = seen[k];
      const o = c * nd;
      for (let ax = 0; ax < nd - 1; ax++) {
        if (coord[ax] < lo[o + ax]) lo[o + ax] = coord[ax];
        if (coord[ax] > hi[o + ax]) hi[o + ax] = coord[ax];
      }
      if (first[c] < lo[o + nd - 1]) lo[o + nd - 1] = first[c];
      if (lastX[c] > hi[o + nd - 1]) hi[o + nd - 1] = lastX[c];
      first[c] = -1;
    }
    for (let ax = nd - 2; ax >= 0; ax--) {
      if (++coord[ax] < shape[ax]) break;
      coord[ax] = 0;
    }
  }
}

/** Flat per-class boxes of one label map (see boxesOfLabels). */
export interface FlatBoxes {
  lo: Int32Array;
  hi: Int32Array;
}

/** The boxes of every class in one label map (a class in neither map: lo = 2³¹ − 1, hi = −1). */
export function labelBoxes(labels: LabelData, shape: readonly number[], numClasses: number): FlatBoxes {
  const nd = shape.length;
  const lo = new Int32Array(numClasses * nd).fill(2147483647);
  const hi = new Int32Array(numClasses * nd).fill(-1);
  boxesOfLabels(labels, shape, numClasses, lo, hi);
  return { lo, hi };
}

/**
 * Per class, the box over two maps' flat boxes (the box of G ∪ P is the box around the box of G and that of P),
 * null for a class in neither.
 */
export function mergedBoxes(a: FlatBoxes, b: FlatBoxes, nd: number): (ClassBox | null)[] {
  const numClasses = a.lo.length / nd;
  const out: (ClassBox | null)[] = [];
  for (let c = 0; c < numClasses; c++) {
    const o = c * nd;
    if (a.hi[o] < 0 && b.hi[o] < 0) {
      out.push(null);
      continue;
    }
    const lo = new Array<number>(nd);
    const hi = new Array<number>(nd);
    for (let ax = 0; ax < nd; ax++) {
      lo[ax] = Math.min(a.lo[o + ax], b.lo[o + ax]);
      hi[ax] = Math.max(a.hi[o + ax], b.hi[o + ax]);
    }
    out.push({ lo, hi });
  }
  return out;
}

/**
 * Bounding boxes of every class over G ∪ P (null for a class in neither map): one scan of each map, so that a
 * multi-class image costs two scans plus the crops, not one full scan per class.
 */
export function classBoxes(
  gt: LabelData,
  pred: LabelData,
  shape: readonly number[],
  numClasses: number,
): (ClassBox | null)[] {
  return mergedBoxes(labelBoxes(gt, shape, numClasses), labelBoxes(pred, shape, numClasses), shape.length);
}

/** The box of one class by a scan of the two maps (see classBoxes for all classes at once). */
function boxOf(gt: LabelData, pred: LabelData, shape: readonly number[], cls: number): ClassBox | null {
  const nd = shape.length;
  const last = shape[nd - 1];
  const lines = last === 0 ? 0 : gt.length / last;
  const lo = new Array<number>(nd).fill(Number.POSITIVE_INFINITY);
  const hi = new Array<number>(nd).fill(-1);
  const coord = new Array<number>(nd).fill(0);
  for (let line = 0; line < lines; line++) {
    const base = line * last;
    let first = -1;
    let lastX = -1;
    for (let x = 0; x < last; x++) {
      if (gt[base + x] === cls || pred[base + x] === cls) {
        if (first < 0) first = x;
        lastX = x;
      }
    }
    if (first >= 0) {
      // Decompose the line index into the outer coordinates only for lines that hold the class.
      let r = line;
      for (let a = nd - 2; a >= 0; a--) {
        coord[a] = r % shape[a];
        r = Math.floor(r / shape[a]);
      }
      for (let a = 0; a < nd - 1; a++) {
        if (coord[a] < lo[a]) lo[a] = coord[a];
        if (coord[a] > hi[a]) hi[a] = coord[a];
      }
      if (first < lo[nd - 1]) lo[nd - 1] = first;
      if (lastX > hi[nd - 1]) hi[nd - 1] = lastX;
    }
  }
  return hi[0] < 0 ? null : { lo, hi };
}

/**
 * Line `at` of a crop from image pixels [from, to): dst[at + 1 + (i − from)] = 1 where src[i] = cls (dst is zero
 * there already), run by run; each run [x0, x1) of the crop line is appended to `runs` at k. Returns the new k.
 */
function markClass(
  src: LabelData,
  words: Int32Array | null,
  from: number,
  to: number,
  cls: number,
  dst: Uint8Array,
  at: number,
  runs: Int32Array,
  k: number,
): number {
  let i = from;
  const shift = 1 - from;
  while (i < to) {
    const a = src[i];
    const j = runEnd(src, words, i + 1, to, a);
    if (a === cls) {
      // Short runs by a loop, long ones by fill (a call, but a memset).
      if (j - i < 32) for (let m = i; m < j; m++) dst[at + shift + m] = 1;
      else dst.fill(1, at + shift + i, at + shift + j);
      runs[k++] = i + shift;
      runs[k++] = j + shift;
    }
    i = j;
  }
  return k;
}

/**
 * Builds the crop of class `cls` from two label maps, or returns null when the class occurs in neither.
 * @param box the class's bounding box when already known (classBoxes); otherwise it is found by a scan.
 * @param gtCrop the GT crop of this same box and class, already built (sharedGt.ts): reused, not rebuilt.
 */
export function cropClass(
  gt: LabelData,
  pred: LabelData,
  shape: readonly number[],
  cls: number,
  box?: ClassBox | null,
  gtCrop?: Uint8Array,
): ClassCrop | null {
  const nd = shape.length;
  const last = shape[nd - 1];
  const b = box === undefined ? boxOf(gt, pred, shape, cls) : box;
  if (!b) return null;
  const { lo, hi } = b;
  const cshape = lo.map((l, a) => hi[a] - l + 3);
  const origin = lo.map((l) => l - 1);
  let total = 1;
  for (const d of cshape) total *= d;
  const reuse = gtCrop !== undefined && gtCrop.length === total;
  const g = reuse ? gtCrop : new Uint8Array(total);
  const p = new Uint8Array(total);
  const clast = cshape[nd - 1];
  const clines = total / clast;
  const gw = reuse ? null : wordsOf(gt);
  const pw = wordsOf(pred);
  // The runs of both crops are written as they are found (the surface metrics read the crops as runs).
  const gStart = new Int32Array(clines + 1);
  const pStart = new Int32Array(clines + 1);
  let gk = 0;
  let pk = 0;
  // The box's lines are read from the image by runs; the one-pixel frame (and any line of it) stays background.
  for (let line = 0; line < clines; line++) {
    gStart[line] = gk >> 1;
    pStart[line] = pk >> 1;
    let r = line;
    let imgLine = 0;
    let mul = 1;
    let inside = true;
    for (let a = nd - 2; a >= 0; a--) {
      const q = r % cshape[a];
      r = (r - q) / cshape[a];
      if (q === 0 || q === cshape[a] - 1) {
        inside = false;
        break;
      }
      imgLine += (q + origin[a]) * mul;
      mul *= shape[a];
    }
    if (!inside) continue;
    const cbase = line * clast;
    const ibase = imgLine * last + lo[nd - 1];
    // A line holds at most clast / 2 runs (two numbers each).
    if (gk + clast + 2 > gRuns.length) gRuns = grown(gRuns, gk + clast + 2);
    if (pk + clast + 2 > pRuns.length) pRuns = grown(pRuns, pk + clast + 2);
    if (!reuse) gk = markClass(gt, gw, ibase, ibase + clast - 2, cls, g, cbase, gRuns, gk);
    pk = markClass(pred, pw, ibase, ibase + clast - 2, cls, p, cbase, pRuns, pk);
  }
  gStart[clines] = gk >> 1;
  pStart[clines] = pk >> 1;
  const runsOf = (start: Int32Array, xs: Int32Array, k: number): LineRuns => ({
    lines: clines,
    width: clast,
    start,
    xs: xs.slice(0, k),
  });
  const out: ClassCrop = {
    shape: cshape,
    origin,
    gt: g,
    pred: p,
    ...(reuse ? {} : { gtRuns: runsOf(gStart, gRuns, gk) }),
    predRuns: runsOf(pStart, pRuns, pk),
  };
  // A huge crop (a noisy volume) must not keep its scratch alive for the rest of the process.
  if (gRuns.length > SCRATCH_KEPT) gRuns = new Int32Array(1024);
  if (pRuns.length > SCRATCH_KEPT) pRuns = new Int32Array(1024);
  return out;
}

/** Largest run scratch kept between crops (entries; 4 MB). */
const SCRATCH_KEPT = 1 << 20;

/** Scratch for the runs cropClass finds (copied out per crop), grown as needed. */
let gRuns: Int32Array = new Int32Array(1024);
let pRuns: Int32Array = new Int32Array(1024);

function grown(a: Int32Array, need: number): Int32Array {
  const out = new Int32Array(Math.max(need, 2 * a.length));
  out.set(a);
  return out;
}
