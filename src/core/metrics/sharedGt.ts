/**
 * Work on the ground truth shared by several predictions of one image (the dataset mode scores every decoder of a
 * sample against the same GT). Each class is cropped to ONE box that holds the class in the GT and in every
 * prediction, so the GT's crop, surface, distance transform, boundary band and connected components are computed
 * once and reused. Distances and components computed in any box that holds every site and query pixel equal
 * those of the whole image (crop.ts), so a shared box changes no number, only the work.
 */
import type { LineRuns } from './lineRuns';
import type { Components } from './components';
import { ClassBox, labelBoxes, mergedBoxes } from './crop';
import type { LabelData } from '../types';

/** What one class's GT crop has already computed (filled lazily by crop.ts, components and surface.ts). */
export interface GtClassWork {
  /** The GT crop (1 where gt = class) of the shared box. */
  crop?: Uint8Array;
  /** Runs of the GT crop's lines (lineRuns.ts). */
  maskRuns?: LineRuns;
  /** Surface pixels of the GT crop as runs, and their count. */
  surfaceRuns?: LineRuns;
  surfaceCount?: number;
  /** Squared EDT to the GT surface over the crop (null until needed). */
  surfaceEdt?: Float64Array;
  /** The GT's inner boundary band (boundary IoU) for a band width. */
  band?: { width: number; mask: Uint8Array };
  /** The same band as runs (lineRuns.ts; null when the ball is too tall for runs). */
  bandRuns?: { width: number; runs: LineRuns | null };
  /** Connected components of the GT crop per connectivity. */
  components: Map<number, Components>;
}

export class SharedGtWork {
  private readonly work = new Map<number, GtClassWork>();
  /** The numClasses and ignore label the GT's labels were checked with (validate.ts), once per image. */
  gtCheckedFor?: string;
  /** Each prediction's own class boxes, found while building the union (so they are not scanned again). */
  private readonly own = new WeakMap<LabelData, (ClassBox | null)[]>();

  /** Remembers the class boxes of `pred` over the GT (unionClassBoxes computed them). */
  rememberBoxes(pred: LabelData, boxes: (ClassBox | null)[]): void {
    this.own.set(pred, boxes);
  }

  /** The class boxes of `pred` over the GT when already known. */
  boxesOf(pred: LabelData): (ClassBox | null)[] | undefined {
    return this.own.get(pred);
  }

  /**
   * @param boxes per class, a box holding the class in the GT and in every prediction that will use this object
   *   (unionClassBoxes); a prediction outside it is still scored exactly, on its own box, without sharing.
   */
  constructor(readonly boxes: readonly (ClassBox | null)[]) {}

  /**
   * The box class `c` is cropped to for a prediction whose own box is `own`: the shared box when it holds `own`
   * (then `shared` is true and GT work may be reused), else `own`. A class in neither map keeps no box.
   */
  boxFor(c: number, own: ClassBox | null): { box: ClassBox | null; shared: boolean } {
    const s = this.boxes[c];
    if (!own) return { box: null, shared: false };
    if (!s || !contains(s, own)) return { box: own, shared: false };
    return { box: s, shared: true };
  }

  /** The reusable GT work of class `c` in its shared box. */
  classWork(c: number): GtClassWork {
    let w = this.work.get(c);
    if (!w) {
      w = { components: new Map() };
      this.work.set(c, w);
    }
    return w;
  }
}

function contains(outer: ClassBox, inner: ClassBox): boolean {
  for (let a = 0; a < outer.lo.length; a++) {
    if (inner.lo[a] < outer.lo[a] || inner.hi[a] > outer.hi[a]) return false;
  }
  return true;
}

/**
 * Per class, the bounding box over the GT and every prediction (null where the class is in none of them);
 * `remember` receives each prediction's own boxes (SharedGtWork.rememberBoxes keeps them for computeImageMetrics).
 */
export function unionClassBoxes(
  gt: LabelData,
  preds: readonly LabelData[],
  shape: readonly number[],
  numClasses: number,
  remember?: (pred: LabelData, boxes: (ClassBox | null)[]) => void,
): (ClassBox | null)[] {
  // The GT's boxes are found once; each prediction's box over G ∪ P is the box around both maps' boxes.
  const nd = shape.length;
  const g = labelBoxes(gt, shape, numClasses);
  let out: (ClassBox | null)[] = new Array<ClassBox | null>(numClasses).fill(null);
  for (const pred of preds) {
    const boxes = mergedBoxes(g, labelBoxes(pred, shape, numClasses), nd);
    remember?.(pred, boxes);
    out = out.map((a, c) => {
      const b = boxes[c];
      if (!a) return b;
      if (!b) return a;
      return { lo: a.lo.map((v, i) => Math.min(v, b.lo[i])), hi: a.hi.map((v, i) => Math.max(v, b.hi[i])) };
    });
  }
  return out;
}
