/**
 * What the volume panel sends the webview from the voxels it keeps (no vscode import, so it is unit-tested in
 * plain node): one slice of every layer in the wire's compact types (src/protocol/volumePixels.ts), and the exact
 * values at the crosshair for the read-out — the image's float voxel as read, never its 16-bit level.
 */
import type { LabelData } from '../../core/types';
import { extractSlice, type PlaneMapping } from '../../core/volume/slice';
import type { VolumeSetResult } from '../../node/volume/volumeSet';
import type { ToVolumeWebview, VolumeSlice } from '../../protocol/volume';
import { packLabels, type PackedLabels } from '../../protocol/viewerPixels';
import { labelTypeFor, quantiseImage, type VolumeLabelType } from '../../protocol/volumePixels';

/** The layers a slice is cut from (the worker's result). */
export type SliceSource = Pick<VolumeSetResult, 'geometry' | 'image' | 'gt' | 'pred' | 'heat'>;

/** The wire type of the labels: the loaders store labels in the smallest type that holds them (Uint8 up to 255). */
export function labelTypeOf(r: Pick<SliceSource, 'gt' | 'pred'>): VolumeLabelType {
  const wide = (d: LabelData | undefined) => d !== undefined && !(d instanceof Uint8Array);
  return labelTypeFor(wide(r.gt) || wide(r.pred) ? 65535 : 255);
}

/**
 * Slice `index` of plane `m` of every layer: the image as levels over its [min, max], labels in `labelType` and
 * the heatmap's levels packed (runs or bits when smaller). `scratch` (the slice's pixel count) holds the image's floats before quantisation.
 */
export function cutSlice(
  r: SliceSource,
  m: PlaneMapping,
  index: number,
  labelType: VolumeLabelType,
  scratch: Float32Array = new Float32Array(m.width * m.height),
): VolumeSlice {
  const dims = r.geometry.dims;
  const n = m.width * m.height;
  const s: VolumeSlice = { plane: m.plane, index };
  if (r.image) {
    extractSlice(r.image.data, dims, m, index, scratch);
    const levels = new Uint16Array(n);
    quantiseImage(scratch, r.image.min, r.image.max, levels);
    s.image = levels.buffer;
  }
  const labels = (d: LabelData | undefined): PackedLabels | undefined => {
    if (!d) return undefined;
    return packLabels(
      extractSlice(d, dims, m, index, labelType === 'uint8' ? new Uint8Array(n) : new Uint16Array(n)),
    );
  };
  const gt = labels(r.gt);
  if (gt) s.gt = gt;
  const pred = labels(r.pred);
  if (pred) s.pred = pred;
  if (r.heat) s.heat = packLabels(extractSlice(r.heat, dims, m, index, new Uint8Array(n)));
  return s;
}

/** The exact values at voxel (i, j, k): the image's float (null when NaN or infinite) and the stored labels. */
export function voxelValues(
  r: SliceSource,
  voxel: readonly [number, number, number],
  generation: number,
): Extract<ToVolumeWebview, { type: 'voxel' }> {
  const [ni, nj] = r.geometry.dims;
  const [i, j, k] = voxel;
  const at = (k * nj + j) * ni + i;
  const msg: Extract<ToVolumeWebview, { type: 'voxel' }> = { type: 'voxel', generation, voxel: [i, j, k] };
  if (r.image) {
    const v = r.image.data[at];
    msg.image = Number.isFinite(v) ? v : null;
  }
  if (r.gt) msg.gt = r.gt[at];
  if (r.pred) msg.pred = r.pred[at];
  return msg;
}
