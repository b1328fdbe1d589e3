/**
 * The missed and spurious 3-D objects of one class, for the volume viewer's "jump to each missed/spurious object":
 * a missed object is a connected component of the ground truth's class that no predicted voxel of the class
 * touches; a spurious one a component of the prediction that touches no ground-truth voxel of the class (the
 * object metrics' "unmatched" in its simplest, overlap-free sense). Components use full (26) connectivity, the
 * metrics' default object view on volumes (docs/metrics.md). Each object is given by its size and the voxel of the
 * object nearest to its centroid (the crosshair lands inside it, also on a curved object).
 */
import { connectedComponents } from '../../core/metrics/components';
import type { LabelData } from '../../core/types';

export interface VolumeObject {
  /** A voxel (i, j, k) of the object, the one nearest its centroid. */
  voxel: [number, number, number];
  /** Voxel count. */
  size: number;
}

/** Most objects listed per class and kind (largest first): more is not a list a user steps through. */
export const MAX_OBJECTS = 50;

/** The objects of `mask` (components of label `cls`) that share no voxel with label `cls` of `other`. */
function unmatched(
  mask: LabelData,
  other: LabelData,
  dims: readonly [number, number, number],
  cls: number,
): VolumeObject[] {
  const [ni, nj, nk] = dims;
  const n = mask.length;
  const binary = new Uint8Array(n);
  let any = false;
  for (let p = 0; p < n; p++)
    if (mask[p] === cls) {
      binary[p] = 1;
      any = true;
    }
  if (!any) return [];
  const comp = connectedComponents(binary, [nk, nj, ni], 26);
  const touched = new Uint8Array(comp.count + 1);
  const sum = new Float64Array((comp.count + 1) * 3);
  for (let p = 0, k = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++, p++) {
        const id = comp.labels[p];
        if (id === 0) continue;
        if (other[p] === cls) touched[id] = 1;
        sum[id * 3] += i;
        sum[id * 3 + 1] += j;
        sum[id * 3 + 2] += k;
      }
  const best = new Float64Array(comp.count + 1).fill(Infinity);
  const at: [number, number, number][] = [];
  for (let p = 0, k = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++, p++) {
        const id = comp.labels[p];
        if (id === 0 || touched[id]) continue;
        const s = comp.sizes[id];
        const d =
          (i - sum[id * 3] / s) ** 2 + (j - sum[id * 3 + 1] / s) ** 2 + (k - sum[id * 3 + 2] / s) ** 2;
        if (d < best[id]) {
          best[id] = d;
          at[id] = [i, j, k];
        }
      }
  const out: VolumeObject[] = [];
  for (let id = 1; id <= comp.count; id++)
    if (!touched[id]) out.push({ voxel: at[id], size: comp.sizes[id] });
  // Largest first; ties by position in the file, so the order is fixed.
  out.sort(
    (a, b) =>
      b.size - a.size || a.voxel[2] - b.voxel[2] || a.voxel[1] - b.voxel[1] || a.voxel[0] - b.voxel[0],
  );
  return out.slice(0, MAX_OBJECTS);
}

/** The missed (GT-only) and spurious (prediction-only) objects of class `cls`. */
export function missedAndSpurious(
  gt: LabelData,
  pred: LabelData,
  dims: readonly [number, number, number],
  cls: number,
): { missed: VolumeObject[]; spurious: VolumeObject[] } {
  return { missed: unmatched(gt, pred, dims, cls), spurious: unmatched(pred, gt, dims, cls) };
}
