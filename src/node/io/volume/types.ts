/**
 * A volume as the readers return it: the voxels exactly as stored (type kept, so label maps keep their integers),
 * the geometry in the core's convention (src/core/volume/geometry.ts) and what the header said about scaling and
 * extra dimensions. Conversion to the core's LabelMap / ProbMap / an image is maps.ts.
 */
import type { VolumeGeometry } from '../../../core/volume/geometry';

export type VoxelType =
  'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'int64' | 'uint64' | 'float32' | 'float64';

export type VoxelArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export type VolumeFormat = 'nifti' | 'nrrd' | 'metaimage';

export interface Volume {
  readonly format: VolumeFormat;
  /** File name used in messages. */
  readonly source: string;
  readonly geometry: VolumeGeometry;
  /**
   * Every voxel of the file, channel-first: `channels` consecutive 3-D volumes, each in file order (i fastest), i.e.
   * C-order [channels, nk, nj, ni]. 64-bit integers are widened to float64 (exact up to 2^53, checked).
   */
  readonly data: VoxelArray;
  /** The stored voxel type (before any widening). */
  readonly dtype: VoxelType;
  /** Number of 3-D volumes in the file (NIfTI dim[4]·dim[5]…, an NRRD/MetaImage non-spatial axis); 1 for most. */
  readonly channels: number;
  /** Linear scaling of stored values to real values (NIfTI scl_slope / scl_inter); identity elsewhere. */
  readonly scale: { readonly slope: number; readonly inter: number };
  /** What the reader noticed and did (e.g. "transform from the qform (sform_code 0)"). */
  readonly notes: string[];
}

export interface VolumeReadOptions {
  /** Name used in messages (a path or URI). */
  source: string;
  /**
   * Refuse volumes with more voxels than this (all channels), checked from the header before any data is read or
   * decompressed. @default DEFAULT_MAX_ELEMENTS of src/core/io/load.ts (2^28)
   */
  maxElements?: number;
  /**
   * Reads a file named by the header next to the source (MetaImage `ElementDataFile = x.raw`, NRRD `data file`).
   * Without it, such headers are refused with a message naming the data file.
   */
  readCompanion?: (name: string) => Uint8Array;
}
