/**
 * A read volume as the core computes on it: a LabelMap (integers kept exactly, scaling ignored), an image (float32
 * with scl_slope / scl_inter applied) or a ProbMap (channel-first [C, nk, nj, ni]). Shapes are the core's C-order
 * array shapes of the geometry (arrayShape); extra volumes of a 4-D/5-D file are dropped with a note for labels
 * and images, and are the classes of a probability volume.
 */
import { InputError } from '../../../core/errors';
import { detectValueKind } from '../../../core/io/probMap';
import { DEFAULT_IGNORE_INDEX, LabelData, LabelMap, ProbMap } from '../../../core/types';
import { arrayShape, voxelCount } from '../../../core/volume/geometry';
import type { Volume, VoxelArray } from './types';

/** Voxel (i, j, k) of a flat index of the first volume, for messages. */
function voxelAt(v: Volume, index: number): string {
  const [ni, nj] = v.geometry.dims;
  const i = index % ni;
  const j = Math.floor(index / ni) % nj;
  const k = Math.floor(index / (ni * nj));
  return `voxel (i ${i}, j ${j}, k ${k})`;
}

/** The first 3-D volume's voxels (a view, no copy), with a note when the file holds more. */
function firstVolume(v: Volume, role: string): VoxelArray {
  const n = voxelCount(v.geometry);
  if (v.channels > 1) v.notes.push(`the file holds ${v.channels} volumes; the first is used as the ${role}`);
  return v.channels > 1 ? (v.data.subarray(0, n) as VoxelArray) : v.data;
}

export interface VolumeLabelOptions {
  /** The "don't care" label recorded on the map. @default 255 (DEFAULT_IGNORE_INDEX) */
  ignoreIndex?: number;
}

/**
 * The label map of a volume: every voxel a whole number ≥ 0 (float files holding integers are fine), stored in the
 * smallest integer type. scl_slope / scl_inter are not applied: a label is a stored integer, never a measurement.
 */
export function volumeLabelMap(v: Volume, o: VolumeLabelOptions = {}): LabelMap {
  const values = firstVolume(v, 'label map');
  if (v.scale.slope !== 1 || v.scale.inter !== 0) {
    v.notes.push(
      `scl_slope ${v.scale.slope} / scl_inter ${v.scale.inter} ignored: label values are used as stored`,
    );
  }
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== x) throw new InputError(`the label map has a NaN at ${voxelAt(v, i)}`, v.source);
    if (!Number.isInteger(x)) {
      throw new InputError(
        `value ${x} at ${voxelAt(v, i)} is not a whole number: a label map holds class indices (is this a probability volume?)`,
        v.source,
      );
    }
    if (x < 0) throw new InputError(`negative label ${x} at ${voxelAt(v, i)}`, v.source);
    if (x > max) max = x;
  }
  if (max > 2147483647) throw new InputError(`label ${max} is too large`, v.source);
  const n = values.length;
  let data: LabelData;
  if (max < 256) data = values instanceof Uint8Array ? values : Uint8Array.from(values as ArrayLike<number>);
  else if (max < 65536)
    data = values instanceof Uint16Array ? values : Uint16Array.from(values as ArrayLike<number>);
  else data = values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
  if (data.length !== n) throw new Error('label conversion lost voxels');
  return { data, shape: arrayShape(v.geometry), ignoreIndex: o.ignoreIndex ?? DEFAULT_IGNORE_INDEX };
}

export interface VolumeImage {
  /** Real values (scaling applied), float32, shape [nk, nj, ni]. */
  data: Float32Array;
  shape: number[];
  /** Smallest and largest finite value. */
  min: number;
  max: number;
  /** NaN voxels (shown as the minimum; metrics never use image values). */
  nanCount: number;
}

/** The image of a volume: float32 with scl_slope / scl_inter applied; NaN voxels are counted and noted. */
export function volumeImage(v: Volume): VolumeImage {
  const values = firstVolume(v, 'image');
  const { slope, inter } = v.scale;
  const identity = slope === 1 && inter === 0;
  // Float32 voxels without scaling are used as they are (no second 64 MiB for a 256³ volume).
  const data = identity && values instanceof Float32Array ? values : new Float32Array(values.length);
  let min = Infinity;
  let max = -Infinity;
  let nanCount = 0;
  for (let i = 0; i < values.length; i++) {
    const x = identity ? values[i] : values[i] * slope + inter;
    data[i] = x;
    if (x !== x || !Number.isFinite(x)) nanCount++;
    else {
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (nanCount === values.length)
    throw new InputError('every voxel of the image is NaN or infinite', v.source);
  if (nanCount) v.notes.push(`${nanCount} voxels are NaN or infinite`);
  if (slope !== 1 || inter !== 0) v.notes.push(`values scaled by scl_slope ${slope} and scl_inter ${inter}`);
  return { data, shape: arrayShape(v.geometry), min, max, nanCount };
}

/**
 * A probability volume as a channel-first ProbMap: a 3-D file is one foreground probability ([1, nk, nj, ni]); a
 * 4-D file's volumes are the classes. Float voxels only, no NaN, values in [0, 1] (logits are refused, as for
 * every probability map: docs/architecture.md §3). Scaling applies (a uint8 file with slope 1/255 is a probability).
 */
export function volumeProbMap(v: Volume): ProbMap {
  const scaled = v.scale.slope !== 1 || v.scale.inter !== 0;
  if (!scaled && v.dtype !== 'float32' && v.dtype !== 'float64') {
    throw new InputError(`a probability volume must hold float voxels, got ${v.dtype}`, v.source);
  }
  const data =
    v.data instanceof Float32Array && !scaled
      ? v.data
      : Float32Array.from(v.data as ArrayLike<number>, (x) => x * v.scale.slope + v.scale.inter);
  const { kind, min, max } = detectValueKind(data);
  if (kind === 'invalid') {
    const bad = data.findIndex((x) => !Number.isFinite(x));
    throw new InputError(
      `the probability volume has a NaN or infinite value at ${voxelAt(v, bad % voxelCount(v.geometry))}` +
        (v.channels > 1 ? ` of volume ${Math.floor(bad / voxelCount(v.geometry))}` : ''),
      v.source,
    );
  }
  if (kind === 'logits') {
    throw new InputError(
      `values range over [${min}, ${max}], outside [0, 1]: a probability volume holds probabilities, not logits`,
      v.source,
    );
  }
  return { data, shape: [v.channels, ...arrayShape(v.geometry)] };
}

/**
 * Every channel of a volume as real values (scaling applied), unchecked, shape [C, nk, nj, ni]: the input of the
 * decoders, which validate values themselves and can convert logits on request (`--transform`).
 */
export function volumeChannels(v: Volume): { data: Float32Array | Float64Array; shape: number[] } {
  const { slope, inter } = v.scale;
  const identity = slope === 1 && inter === 0;
  const data =
    identity && (v.data instanceof Float32Array || v.data instanceof Float64Array)
      ? v.data
      : Float32Array.from(v.data as ArrayLike<number>, (x) => x * slope + inter);
  return { data, shape: [v.channels, ...arrayShape(v.geometry)] };
}
