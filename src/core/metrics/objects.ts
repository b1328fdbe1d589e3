/**
 * Object-level metrics (docs/specs/metrics.md §4.2–§4.5): greedy IoU matching of GT and predicted components,
 * object precision / recall / F1, per-object records and missed / spurious objects by size.
 */
import { BothEmptyPolicy, sizeBinLabels } from './config';
import { Components } from './components';
import { emptyCaseOf, safeRatio } from './ratio';
import { BoundingBox, GtObjectRecord, ObjectMetrics, PredObjectRecord } from './types';

export interface ObjectOptions {
  matchIouThreshold: number;
  objectSizeBins: readonly number[];
  bothEmpty: BothEmptyPolicy;
}

/** Intersections |g ∩ p| for all overlapping pairs, as parallel arrays (gt id, pred id, pixels). */
interface Overlaps {
  gt: Int32Array;
  pred: Int32Array;
  inter: Float64Array;
}

/** Dense table when it is small, else a Map: typical images have few objects, crowded ones many. */
function overlaps(g: Components, p: Components): Overlaps {
  const lg = g.labels;
  const lp = p.labels;
  const w = p.count + 1;
  const cells = (g.count + 1) * w;
  const gs: number[] = [];
  const ps: number[] = [];
  const is: number[] = [];
  if (cells <= 1 << 22) {
    const table = new Float64Array(cells);
    for (let i = 0; i < lg.length; i++) {
      const a = lg[i];
      if (a !== 0) {
        const b = lp[i];
        if (b !== 0) table[a * w + b]++;
      }
    }
    for (let k = 0; k < cells; k++) {
      if (table[k] > 0) {
        gs.push(Math.floor(k / w));
        ps.push(k % w);
        is.push(table[k]);
      }
    }
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < lg.length; i++) {
      const a = lg[i];
      if (a !== 0) {
        const b = lp[i];
        if (b !== 0) {
          const key = a * w + b;
          map.set(key, (map.get(key) ?? 0) + 1);
        }
      }
    }
    for (const key of [...map.keys()].sort((x, y) => x - y)) {
      gs.push(Math.floor(key / w));
      ps.push(key % w);
      is.push(map.get(key) ?? 0);
    }
  }
  return { gt: Int32Array.from(gs), pred: Int32Array.from(ps), inter: Float64Array.from(is) };
}

function bboxOf(c: Components, id: number, origin: readonly number[]): BoundingBox {
  const nd = origin.length;
  const min: number[] = [];
  const max: number[] = [];
  for (let a = 0; a < nd; a++) {
    min.push(c.bboxMin[id * nd + a] + origin[a]);
    max.push(c.bboxMax[id * nd + a] + origin[a]);
  }
  return { min, max };
}

/** Index of the size bin of an object of `size` pixels: the first bin whose upper edge is > size. */
function sizeBin(size: number, edges: readonly number[]): number {
  for (let b = 0; b < edges.length; b++) if (size < edges[b]) return b;
  return edges.length;
}

/**
 * Matches GT and predicted components of one class and scores them.
 * @param origin image coordinate of index 0 of the arrays the components were labelled on (zeros for a whole
 *   image; a crop's origin otherwise), added to every bounding box.
 */
export function objectMetrics(
  g: Components,
  p: Components,
  origin: readonly number[],
  opt: ObjectOptions,
): ObjectMetrics {
  const ov = overlaps(g, p);
  const nPairs = ov.inter.length;
  const iou = new Float64Array(nPairs);
  const maxIouG = new Float64Array(g.count + 1);
  const maxIouP = new Float64Array(p.count + 1);
  const candidates: number[] = [];
  for (let k = 0; k < nPairs; k++) {
    const inter = ov.inter[k];
    const v = inter / (g.sizes[ov.gt[k]] + p.sizes[ov.pred[k]] - inter);
    iou[k] = v;
    if (v > maxIouG[ov.gt[k]]) maxIouG[ov.gt[k]] = v;
    if (v > maxIouP[ov.pred[k]]) maxIouP[ov.pred[k]] = v;
    // Strictly greater: an IoU of exactly the threshold does not match (spec §4.2, fixture p07).
    if (v > opt.matchIouThreshold) candidates.push(k);
  }
  candidates.sort((a, b) => iou[b] - iou[a] || ov.gt[a] - ov.gt[b] || ov.pred[a] - ov.pred[b]);
  const matchG = new Int32Array(g.count + 1);
  const matchP = new Int32Array(p.count + 1);
  const pairOfG = new Int32Array(g.count + 1).fill(-1);
  let tp = 0;
  for (const k of candidates) {
    const a = ov.gt[k];
    const b = ov.pred[k];
    if (matchG[a] !== 0 || matchP[b] !== 0) continue;
    matchG[a] = b;
    matchP[b] = a;
    pairOfG[a] = k;
    tp++;
  }
  const labels = sizeBinLabels(opt.objectSizeBins);
  const missed = new Array<number>(labels.length).fill(0);
  const spurious = new Array<number>(labels.length).fill(0);
  const gtObjects: GtObjectRecord[] = [];
  for (let id = 1; id <= g.count; id++) {
    const k = pairOfG[id];
    const matched = k >= 0;
    const inter = matched ? ov.inter[k] : 0;
    if (!matched) missed[sizeBin(g.sizes[id], opt.objectSizeBins)]++;
    gtObjects.push({
      id,
      size: g.sizes[id],
      bbox: bboxOf(g, id, origin),
      matchedPred: matched ? matchG[id] : null,
      iou: matched ? iou[k] : 0,
      dice: matched ? (2 * inter) / (g.sizes[id] + p.sizes[matchG[id]]) : 0,
      maxIou: maxIouG[id],
    });
  }
  const iouOfPred = new Float64Array(p.count + 1);
  for (let id = 1; id <= g.count; id++) if (pairOfG[id] >= 0) iouOfPred[matchG[id]] = iou[pairOfG[id]];
  const predObjects: PredObjectRecord[] = [];
  for (let id = 1; id <= p.count; id++) {
    const matched = matchP[id] !== 0;
    if (!matched) spurious[sizeBin(p.sizes[id], opt.objectSizeBins)]++;
    predObjects.push({
      id,
      size: p.sizes[id],
      bbox: bboxOf(p, id, origin),
      matchedGt: matched ? matchP[id] : null,
      iou: matched ? iouOfPred[id] : 0,
      maxIou: maxIouP[id],
    });
  }
  const fn = g.count - tp;
  const fp = p.count - tp;
  const missedBySize: Record<string, number> = {};
  const spuriousBySize: Record<string, number> = {};
  labels.forEach((l, i) => {
    missedBySize[l] = missed[i];
    spuriousBySize[l] = spurious[i];
  });
  return {
    nGt: g.count,
    nPred: p.count,
    tp,
    fn,
    fp,
    emptyCase: emptyCaseOf(g.count, p.count),
    ...objectScores(tp, fp, fn, opt.bothEmpty),
    gtObjects,
    predObjects,
    missedBySize,
    spuriousBySize,
  };
}

/** Object precision, recall and F1 with the zero-denominator rule (spec §4.3). */
export function objectScores(
  tp: number,
  fp: number,
  fn: number,
  policy: BothEmptyPolicy,
): { precision: number; recall: number; f1: number } {
  return {
    precision: safeRatio(tp, tp + fp, fp, fn, policy),
    recall: safeRatio(tp, tp + fn, fp, fn, policy),
    f1: safeRatio(2 * tp, 2 * tp + fp + fn, fp, fn, policy),
  };
}
