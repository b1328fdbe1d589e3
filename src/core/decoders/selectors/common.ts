/**
 * Helpers shared by the selectors: the per-(image, class) loop of the decoders that decide each class on its own.
 */
import type { ClassSelection, Selection, SelectionInput } from '../row';

/** A class that was decided normally (no pruning, no solver). */
export const PLAIN: Readonly<ClassSelection> = { pruned: false, solver: null, active: true };

/** An empty report, to be filled per image. */
export function emptySelection(): Selection {
  return { classes: [], pruned: 0, allZero: 0, fallbacks: [] };
}

/**
 * Runs `decide(offset)` for every (image, class) in order, polling cancellation before each, and reports every
 * class as PLAIN (a selector that prunes or uses solvers writes its own loop).
 */
export function selectEachClass(x: SelectionInput, decide: (offset: number) => void): Selection {
  const out = emptySelection();
  for (let b = 0; b < x.batch; b++) {
    const row: ClassSelection[] = [];
    for (let c = 0; c < x.classes; c++) {
      x.checkCancel();
      decide((b * x.classes + c) * x.pixels);
      row.push({ ...PLAIN });
    }
    out.classes.push(row);
  }
  return out;
}

/** Sets out[off + j] = 1 where data[off + j] > t (strict). */
export function selectAbove(
  data: Float32Array | Float64Array,
  off: number,
  n: number,
  t: number,
  out: Uint8Array,
): void {
  for (let j = 0; j < n; j++) if (data[off + j] > t) out[off + j] = 1;
}
