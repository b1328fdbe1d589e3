/**
 * The "check this label" list of the summary: the label-error candidates of the run (the engine scores them, see
 * src/core/dataset/labelErrors.ts), best first, each with the words shown and the region the viewer zooms to.
 * Pure: plain node tests cover it.
 */
import type { ImageRegion } from '../../protocol';
import type { LabelErrorCandidate } from '../../protocol/dataset';
import type { RowStore } from './rowStore';

/**
 * The image region of a candidate's inclusive bounding box (one coordinate per array axis, rows first): x and y
 * from the last two axes, so a volume's box gives its in-plane extent. Null for a box of fewer than two axes.
 */
export function regionOfBox(bbox: { min: readonly number[]; max: readonly number[] }): ImageRegion | null {
  const n = bbox.min.length;
  if (n < 2 || bbox.max.length !== n) return null;
  const [y0, x0] = [bbox.min[n - 2], bbox.min[n - 1]];
  const [y1, x1] = [bbox.max[n - 2], bbox.max[n - 1]];
  if (![x0, y0, x1, y1].every(Number.isFinite) || x1 < x0 || y1 < y0 || x0 < 0 || y0 < 0) return null;
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Mean per-image Dice of each model (first decoder) over the set: how far a model's disagreement with a label is
 * worth anything. A model that misses everything is "confident" against every label, and says nothing about any.
 */
export function modelAgreement(store: RowStore): number[] {
  return store.layout.models.map((_, m) => {
    let sum = 0;
    let n = 0;
    for (let r = 0; r < store.total; r++) {
      const v = store.value(r, m, 0, 0, 'dice');
      if (Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n ? sum / n : 0;
  });
}

/**
 * The `max` best candidates of the store, in the summary's shape. Order: the candidate's score weighted by its
 * model's agreement with the labels over the set (modelAgreement), then score, size and row — so a broken model's
 * blanket disagreement does not bury a good model's few confident ones. The score shown is the candidate's own.
 */
export function labelErrorList(
  store: RowStore,
  classNames: ReadonlyMap<number, string>,
  max: number,
): LabelErrorCandidate[] {
  const name = (c: number) => classNames.get(c) ?? `class ${c}`;
  const agreement = modelAgreement(store);
  const weight = (e: { score: number; model: number }) => e.score * (agreement[e.model] ?? 0);
  return [...store.labelErrors]
    .sort((a, b) => weight(b) - weight(a) || b.score - a.score || b.pixels - a.pixels || a.row - b.row)
    .slice(0, max)
    .map((e) => ({
      row: e.row,
      id: store.items[e.row].id,
      classIndex: e.classIndex,
      className: name(e.classIndex),
      model: store.layout.models[e.model],
      score: e.score,
      detail:
        e.kind === 'missed'
          ? `${e.pixels} px labelled ${name(e.classIndex)} that the model rejects (mean confidence ${e.score.toFixed(2)})`
          : `${e.pixels} px the model calls ${name(e.classIndex)} that the label does not (mean confidence ${e.score.toFixed(2)})`,
      region: regionOfBox(e.bbox),
    }));
}
