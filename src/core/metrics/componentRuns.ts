/**
 * Connected components of a 2-D or 3-D mask on its runs (components.ts delegates here): the mask is read once
 * into the foreground runs of each line (the last axis), runs that touch are joined by union–find over run
 * indices, and the output is written run by run. Per pixel that is one read (four at a time over background, as
 * in scan.ts) and one write per foreground pixel; everything else costs per run, and a mask has few runs.
 *
 * Ids: runs are numbered in C order, so a component's first run holds its first pixel; unions keep the smaller
 * root, so the roots, taken in run order, number the components in order of their first pixel, as components.ts
 * promises. A 2-D mask is a one-slice volume (4-connectivity is 6 there, 8 is 26).
 */

/** Connected components of a mask (see components.ts). */
export interface Components {
  /** Component id per pixel (0 = background), C order. */
  labels: Int32Array;
  /** Number of components n; ids are 1…n. */
  count: number;
  /** Pixel count per id (index 0 unused). */
  sizes: Float64Array;
  /** Inclusive bounding box per id: bboxMin[id·nd + axis], bboxMax[id·nd + axis]. */
  bboxMin: Int32Array;
  bboxMax: Int32Array;
}

/**
 * The lines before a line whose voxels can touch it, as (dz, dy, reach): `reach` is how far beside a run (along
 * the last axis) a touching voxel of that line may sit, 1 when the connectivity includes that diagonal. The run's
 * own line needs nothing: a run is maximal, so the voxels beside it are background.
 */
const LINES_BEFORE: Record<number, readonly (readonly [number, number, number])[]> = {
  6: [
    [0, -1, 0],
    [-1, 0, 0],
  ],
  18: [
    [0, -1, 1],
    [-1, -1, 0],
    [-1, 0, 1],
    [-1, 1, 0],
  ],
  26: [
    [0, -1, 1],
    [-1, -1, 1],
    [-1, 0, 1],
    [-1, 1, 1],
  ],
};

/** Foreground runs per line: line l holds [xs[2k], xs[2k + 1]) for k in first[l] … first[l + 1] − 1. */
interface Runs {
  first: Int32Array;
  xs: Int32Array;
  count: number;
}

/** The nonzero runs of every line of a mask (W pixels a line), skipping zero words four pixels at a time. */
function runsOf(mask: ArrayLike<number>, lines: number, W: number): Runs {
  const first = new Int32Array(lines + 1);
  // A line holds at most ⌈W/2⌉ runs (two numbers each): the list never needs more than lines·(W + 1) numbers, so
  // it grows by doubling up to that and no further (a checkerboard costs 4 bytes a pixel, not 8).
  const most = Math.max(2, lines * (W + 1));
  let xs = new Int32Array(Math.min(most, Math.max(16, 4 * lines)));
  let k = 0;
  const words =
    mask instanceof Uint8Array && mask.byteOffset % 4 === 0
      ? new Int32Array(mask.buffer, mask.byteOffset, mask.length >> 2)
      : null;
  for (let l = 0; l < lines; l++) {
    const base = l * W;
    const end = base + W;
    first[l] = k >> 1;
    let i = base;
    for (;;) {
      // Skip background: pixel by pixel to a word boundary, then whole zero words, then pixel by pixel.
      if (words !== null) {
        while (i < end && (i & 3) !== 0 && mask[i] === 0) i++;
        if (i < end && (i & 3) === 0) {
          while (i + 4 <= end && words[i >> 2] === 0) i += 4;
        }
      }
      while (i < end && mask[i] === 0) i++;
      if (i >= end) break;
      let j = i + 1;
      while (j < end && mask[j] !== 0) j++;
      if (k + 2 > xs.length) {
        const g = new Int32Array(Math.min(most, 2 * xs.length));
        g.set(xs);
        xs = g;
      }
      xs[k++] = i - base;
      xs[k++] = j - base;
      i = j;
    }
  }
  first[lines] = k >> 1;
  return { first, xs, count: k >> 1 };
}

/** The root of x's set, compressing the path on the way (union–find). */
export function find(parent: Int32Array, x: number): number {
  let r = x;
  while (parent[r] !== r) r = parent[r];
  while (parent[x] !== r) {
    const next = parent[x];
    parent[x] = r;
    x = next;
  }
  return r;
}

/** Joins two runs' sets; the smaller root stays (the earlier run in C order). */
function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

/**
 * Joins every run of line `l` with the runs of line `o` it touches (overlapping once widened by `reach`): a merge
 * of the two sorted run lists, so it costs the runs of both lines.
 */
function joinLines(runs: Runs, parent: Int32Array, l: number, o: number, reach: number): void {
  const xs = runs.xs;
  let p = runs.first[o];
  const pEnd = runs.first[o + 1];
  const aEnd = runs.first[l + 1];
  for (let a = runs.first[l]; a < aEnd; a++) {
    const a0 = xs[2 * a] - reach;
    const a1 = xs[2 * a + 1] + reach;
    // Runs of the other line that end before this run's widened start touch no later run of this line either.
    while (p < pEnd && xs[2 * p + 1] <= a0) p++;
    for (let q = p; q < pEnd && xs[2 * q] < a1; q++) union(parent, a, q);
  }
}

/** Connected components of a [D, H, W] mask (nonzero = foreground) under 6-, 18- or 26-connectivity. */
export function componentsByRuns(
  mask: ArrayLike<number>,
  D: number,
  H: number,
  W: number,
  connectivity: 6 | 18 | 26,
  nd: 2 | 3,
): Components {
  const lines = D * H;
  const runs = runsOf(mask, lines, W);
  const R = runs.count;
  const parent = new Int32Array(R);
  for (let r = 0; r < R; r++) parent[r] = r;
  const before = LINES_BEFORE[connectivity];
  for (let z = 0; z < D; z++) {
    for (let y = 0; y < H; y++) {
      const l = z * H + y;
      if (runs.first[l] === runs.first[l + 1]) continue;
      for (let k = 0; k < before.length; k++) {
        const zz = z + before[k][0];
        const yy = y + before[k][1];
        if (zz < 0 || yy < 0 || yy >= H) continue;
        joinLines(runs, parent, l, zz * H + yy, before[k][2]);
      }
    }
  }
  const id = new Int32Array(R);
  let count = 0;
  for (let r = 0; r < R; r++) {
    const root = find(parent, r);
    id[r] = root === r ? ++count : id[root];
  }
  return writeComponents(runs, id, count, D, H, W, nd);
}

/** The per-pixel ids, sizes and inclusive boxes, run by run. */
function writeComponents(
  runs: Runs,
  id: Int32Array,
  count: number,
  D: number,
  H: number,
  W: number,
  nd: 2 | 3,
): Components {
  const labels = new Int32Array(D * H * W);
  const sizes = new Float64Array(count + 1);
  const bboxMin = new Int32Array((count + 1) * nd).fill(2147483647);
  const bboxMax = new Int32Array((count + 1) * nd).fill(-1);
  const xs = runs.xs;
  for (let z = 0; z < D; z++) {
    for (let y = 0; y < H; y++) {
      const l = z * H + y;
      const base = l * W;
      const end = runs.first[l + 1];
      for (let r = runs.first[l]; r < end; r++) {
        const c = id[r];
        const x0 = xs[2 * r];
        const x1 = xs[2 * r + 1];
        labels.fill(c, base + x0, base + x1);
        sizes[c] += x1 - x0;
        const b = c * nd;
        if (nd === 3) {
          if (z < bboxMin[b]) bboxMin[b] = z;
          if (z > bboxMax[b]) bboxMax[b] = z;
        }
        const yAxis = b + nd - 2;
        if (y < bboxMin[yAxis]) bboxMin[yAxis] = y;
        if (y > bboxMax[yAxis]) bboxMax[yAxis] = y;
        const xAxis = b + nd - 1;
        if (x0 < bboxMin[xAxis]) bboxMin[xAxis] = x0;
        if (x1 - 1 > bboxMax[xAxis]) bboxMax[xAxis] = x1 - 1;
      }
    }
  }
  return { labels, count, sizes, bboxMin, bboxMax };
}
