/**
 * Connected components (docs/specs/metrics.md §4.1) by union-find, in 2-D (connectivity 4/8) and 3-D (6/18/26).
 * Component ids are 1…n in the order of each component's first pixel in C (row-major) order, which fixes every id
 * in the output; sizes and inclusive bounding boxes come with them. 2-D and 3-D masks are labelled on their runs
 * (componentRuns.ts); other dimensions by the two-pass pixel algorithm below.
 */
import { OptionError } from '../errors';
import { type Components, componentsByRuns, find } from './componentRuns';

export type { Components } from './componentRuns';

/** How many axes may change at once between neighbours, for a connectivity in a given dimension. */
function maxChangedAxes(connectivity: number, nd: number): number {
  if (nd === 2 && connectivity === 4) return 1;
  if (nd === 2 && connectivity === 8) return 2;
  if (nd === 3 && connectivity === 6) return 1;
  if (nd === 3 && connectivity === 18) return 2;
  if (nd === 3 && connectivity === 26) return 3;
  if (nd === 1 && (connectivity === 2 || connectivity === 4 || connectivity === 8)) return 1;
  throw new OptionError(
    'connectivity',
    connectivity,
    nd === 3 ? '6, 18 or 26 for a 3-D mask' : '4 or 8 for a 2-D mask',
  );
}

/** Offsets (per axis, in {−1,0,1}) of the neighbours that precede a pixel in C order. */
function backwardOffsets(nd: number, maxChanged: number): number[][] {
  const out: number[][] = [];
  const total = 3 ** nd;
  for (let code = 0; code < total; code++) {
    const off: number[] = [];
    let c = code;
    for (let a = 0; a < nd; a++) {
      off.unshift((c % 3) - 1);
      c = Math.floor(c / 3);
    }
    const changed = off.filter((o) => o !== 0).length;
    const firstNonZero = off.find((o) => o !== 0);
    if (changed > 0 && changed <= maxChanged && firstNonZero === -1) out.push(off);
  }
  return out;
}

/** The union-find array doubled (at most `cap` long), its entries kept. */
function grown(parent: Int32Array, cap: number): Int32Array {
  const g = new Int32Array(Math.min(cap, parent.length * 2));
  g.set(parent);
  return g;
}

/**
 * Labels the connected components of a binary mask.
 * @param mask non-zero = foreground, C order, length = product(shape).
 * @param shape [H, W] or [D, H, W].
 * @param connectivity 4 or 8 in 2-D; 6, 18 or 26 in 3-D.
 */
export function connectedComponents(
  mask: ArrayLike<number>,
  shape: readonly number[],
  connectivity: number,
): Components {
  const nd = shape.length;
  const offsets = backwardOffsets(nd, maxChangedAxes(connectivity, nd));
  // 2-D and 3-D masks go by runs (componentRuns.ts); a 2-D mask is one slice, where 4 is 6 and 8 is 26.
  if (nd === 2) return componentsByRuns(mask, 1, shape[0], shape[1], connectivity === 4 ? 6 : 26, 2);
  if (nd === 3) return componentsByRuns(mask, shape[0], shape[1], shape[2], connectivity as 6 | 18 | 26, 3);
  let total = 1;
  for (const d of shape) total *= d;
  const strides = new Array<number>(nd);
  let s = 1;
  for (let a = nd - 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a];
  }
  const nOff = offsets.length;
  const offIndex = new Int32Array(nOff);
  const offFlat = new Int32Array(nOff * nd);
  for (let k = 0; k < nOff; k++) {
    let d = 0;
    for (let a = 0; a < nd; a++) {
      offFlat[k * nd + a] = offsets[k][a];
      d += offsets[k][a] * strides[a];
    }
    offIndex[k] = d;
  }
  const labels = new Int32Array(total);
  // Provisional labels grow on demand; total + 1 always suffices.
  let parent: Int32Array = new Int32Array(Math.min(total + 1, 1024));
  let next = 1;
  /** Joins the provisional label `nl` into the pixel's current label (a root), keeping the smaller root. */
  const join = (label: number, nl: number): number => {
    const r1 = find(parent, nl);
    if (label === 0) return r1;
    if (r1 === label) return label;
    // The smaller label stays root, so each root is the label of the component's first pixel.
    if (r1 < label) {
      parent[label] = r1;
      return r1;
    }
    parent[r1] = label;
    return label;
  };
  const fresh = (): number => {
    if (next >= parent.length) parent = grown(parent, total + 1);
    parent[next] = next;
    return next++;
  };
  {
    const coord = new Int32Array(nd);
    for (let i = 0; i < total; i++) {
      if (mask[i]) {
        let label = 0;
        for (let k = 0; k < nOff; k++) {
          let ok = true;
          for (let a = 0; a < nd; a++) {
            const c = coord[a] + offFlat[k * nd + a];
            if (c < 0 || c >= shape[a]) {
              ok = false;
              break;
            }
          }
          if (!ok) continue;
          const nl = labels[i + offIndex[k]];
          if (nl !== 0) label = join(label, nl);
        }
        labels[i] = label === 0 ? fresh() : label;
      }
      for (let a = nd - 1; a >= 0; a--) {
        if (++coord[a] < shape[a]) break;
        coord[a] = 0;
      }
    }
  }
  // Final ids in order of the roots, i.e. of each component's first pixel.
  const finalId = new Int32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const r = find(parent, l);
    finalId[l] = r === l ? ++count : finalId[r];
  }
  const sizes = new Float64Array(count + 1);
  const bboxMin = new Int32Array((count + 1) * nd).fill(2147483647);
  const bboxMax = new Int32Array((count + 1) * nd).fill(-1);
  const coord = new Int32Array(nd);
  const W = shape[nd - 1];
  const lines = total / W;
  const last = nd - 1;
  // Second pass line by line and run by run: a run of one provisional label (the first pass labels whole runs) gets
  // its final id in one fill, its size in one addition and its box from its two ends.
  for (let line = 0; line < lines; line++) {
    const base = line * W;
    let x = 0;
    while (x < W) {
      const l = labels[base + x];
      if (l === 0) {
        x++;
        continue;
      }
      const a = x;
      while (x < W && labels[base + x] === l) x++;
      const id = finalId[l];
      labels.fill(id, base + a, base + x);
      sizes[id] += x - a;
      const b = id * nd;
      for (let k = 0; k < last; k++) {
        const c = coord[k];
        if (c < bboxMin[b + k]) bboxMin[b + k] = c;
        if (c > bboxMax[b + k]) bboxMax[b + k] = c;
      }
      if (a < bboxMin[b + last]) bboxMin[b + last] = a;
      if (x - 1 > bboxMax[b + last]) bboxMax[b + last] = x - 1;
    }
    for (let k = nd - 2; k >= 0; k--) {
      if (++coord[k] < shape[k]) break;
      coord[k] = 0;
    }
  }
  return { labels, count, sizes, bboxMin, bboxMax };
}
