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

/** The `max` best candidates of the store (score, then size, then row), in the summary's shape. */
export function labelErrorList(
  store: RowStore,
  classNames: ReadonlyMap<number, string>,
  max: number,
): LabelErrorCandidate[] {
  const name = (c: number) => classNames.get(c) ?? `class ${c}`;
  return [...store.labelErrors]
    .sort((a, b) => b.score - a.score || b.pixels - a.pixels || a.row - b.row)
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
