/**
 * NIfTI-1 and NIfTI-2 single files (`.nii`, `.nii.gz`): the header read field by field (either byte order), its
 * geometry by the standard's sform → qform → pixdim precedence (src/core/volume/niftiTransform.ts), the voxel count
 * checked against the limit before any data is decompressed, then the data (Node's zlib, bounded to the announced
 * size). Field offsets are those of nifti1.h / nifti2.h.
 */
import { InputError } from '../../../core/errors';
import { Vec3, VolumeGeometry, completeThirdAxis, isColumnProblem } from '../../../core/volume/geometry';
import { niftiTransform } from '../../../core/volume/niftiTransform';
import { DEFAULT_MAX_ELEMENTS } from '../../../core/io/load';
import {
  VOXEL_BYTES,
  checkRawSize,
  checkVoxelLimit,
  gunzipHead,
  inflateExactly,
  isGzip,
  voxelsFromBytes,
} from './binary';
import type { Volume, VolumeReadOptions, VoxelType } from './types';

/** NIfTI datatype codes SegLens reads (nifti1.h DT_*); others are refused by name. */
const DATATYPES: Record<number, VoxelType> = {
  2: 'uint8',
  4: 'int16',
  8: 'int32',
  16: 'float32',
  64: 'float64',
  256: 'int8',
  512: 'uint16',
  768: 'uint32',
  1024: 'int64',
  1280: 'uint64',
};
const UNSUPPORTED: Record<number, string> = {
  0: 'unknown (0)',
  1: 'binary (1)',
  32: 'complex64',
  128: 'RGB24',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

export interface NiftiHeader {
  version: 1 | 2;
  littleEndian: boolean;
  dim: number[];
  datatype: number;
  pixdim: number[];
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  quatern: Vec3;
  qoffset: Vec3;
  srow: [number[], number[], number[]];
  magic: string;
}

const ascii = (b: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...b.subarray(from, to));

/** Whether uncompressed bytes start with a NIfTI-1 or -2 single-file header (size field and magic). */
export function isNiftiHeader(b: Uint8Array): boolean {
  // "ni1" (a .hdr of a .hdr/.img pair) is recognised too, so that it is refused by name rather than as unknown.
  if (b.length >= 348 && (ascii(b, 344, 347) === 'n+1' || ascii(b, 344, 347) === 'ni1')) return true;
  return b.length >= 540 && ascii(b, 4, 8) === 'n+2\0';
}

/** A NIfTI file, plain or gzip-compressed, recognised from its (decompressed) header. */
export function isNifti(bytes: Uint8Array): boolean {
  return isNiftiHeader(isGzip(bytes) ? gunzipHead(bytes, 544) : bytes);
}

export function parseNiftiHeader(b: Uint8Array, source: string): NiftiHeader {
  if (b.length < 348) throw new InputError(`the NIfTI header is truncated (${b.length} bytes)`, source);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = view.getInt32(0, true);
  const be = view.getInt32(0, false);
  const size = le === 348 || le === 540 ? le : be === 348 || be === 540 ? be : 0;
  if (size === 0)
    throw new InputError(`not a NIfTI header (sizeof_hdr is ${le}, expected 348 or 540)`, source);
  const little = le === size;
  if (size === 540 && b.length < 540) throw new InputError('the NIfTI-2 header is truncated', source);
  const i16 = (o: number) => view.getInt16(o, little);
  const i32 = (o: number) => view.getInt32(o, little);
  const f32 = (o: number) => view.getFloat32(o, little);
  const f64 = (o: number) => view.getFloat64(o, little);
  const i64 = (o: number) => Number(view.getBigInt64(o, little));
  if (size === 348) {
    const magic = ascii(b, 344, 347);
    if (magic === 'ni1') {
      throw new InputError(
        'a NIfTI .hdr/.img pair is not supported; convert it to a single .nii file',
        source,
      );
    }
    if (magic !== 'n+1') throw new InputError(`bad NIfTI-1 magic '${magic}'`, source);
    return {
      version: 1,
      littleEndian: little,
      dim: Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i)),
      datatype: i16(70),
      pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
      voxOffset: f32(108),
      sclSlope: f32(112),
      sclInter: f32(116),
      qformCode: i16(252),
      sformCode: i16(254),
      quatern: [f32(256), f32(260), f32(264)],
      qoffset: [f32(268), f32(272), f32(276)],
      srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f32(280 + 16 * r + 4 * c))) as NiftiHeader['srow'],
      magic,
    };
  }
  return {
    version: 2,
    littleEndian: little,
    dim: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
    datatype: i16(12),
    pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    qformCode: i32(344),
    sformCode: i32(348),
    quatern: [f64(352), f64(360), f64(368)],
    qoffset: [f64(376), f64(384), f64(392)],
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f64(400 + 32 * r + 8 * c))) as NiftiHeader['srow'],
    magic: 'n+2',
  };
}

/** dim[0] and dim[1..dim[0]] checked: rank 1–7, every size ≥ 1; a lying dim[0] is named. */
function checkedDims(h: NiftiHeader, source: string): number[] {
  const n = h.dim[0];
  if (!Number.isInteger(n) || n < 1 || n > 7) {
    throw new InputError(`dim[0] = ${n} is not a number of dimensions (1–7): the header is corrupt`, source);
  }
  const dims = h.dim.slice(1, n + 1);
  const bad = dims.findIndex((d) => !Number.isInteger(d) || d < 1);
  if (bad >= 0) {
    throw new InputError(
      `dim[${bad + 1}] = ${dims[bad]} but dim[0] = ${n} says it is used; sizes must be ≥ 1`,
      source,
    );
  }
  return dims;
}

export function readNifti(bytes: Uint8Array, o: VolumeReadOptions): Volume {
  const { source } = o;
  const gz = isGzip(bytes);
  const head = gz ? gunzipHead(bytes, 540) : bytes;
  if (gz && head.length < 348)
    throw new InputError('the gzip data is truncated or corrupt before the end of the NIfTI header', source);
  const h = parseNiftiHeader(head, source);
  const notes: string[] = [];
  const dims = checkedDims(h, source);
  const type = DATATYPES[h.datatype];
  if (!type) {
    const name = UNSUPPORTED[h.datatype] ?? `code ${h.datatype}`;
    throw new InputError(
      `unsupported NIfTI datatype ${name}; SegLens reads integer and float voxels`,
      source,
    );
  }
  const spatial = [dims[0], dims[1] ?? 1, dims[2] ?? 1] as [number, number, number];
  const channels = dims.slice(3).reduce((a, d) => a * d, 1);
  if (dims.length > 3)
    notes.push(`${dims.length}-D file (${dims.join('×')}): ${channels} volumes of ${spatial.join('×')}`);
  const count = spatial[0] * spatial[1] * spatial[2] * channels;
  checkVoxelLimit(count, o.maxElements ?? DEFAULT_MAX_ELEMENTS, dims.join('×'), source);
  const headerBytes = h.version === 1 ? 348 : 540;
  const offset = Math.floor(h.voxOffset);
  if (!(offset >= headerBytes) || offset !== h.voxOffset) {
    throw new InputError(
      `vox_offset = ${h.voxOffset} is not a whole number of bytes after the header`,
      source,
    );
  }
  const expected = offset + count * VOXEL_BYTES[type];
  const all = gz ? inflateExactly(bytes, 'gzip', expected, source) : bytes;
  if (!gz) checkRawSize(bytes.length - offset, count * VOXEL_BYTES[type], source);
  const data = voxelsFromBytes(all, offset, count, type, h.littleEndian, source, gz);

  const t = niftiTransform({
    pixdim: h.pixdim,
    qformCode: h.qformCode,
    sformCode: h.sformCode,
    quatern: h.quatern,
    qoffset: h.qoffset,
    srow: h.srow,
  });
  if (isColumnProblem(t)) throw new InputError(t.text, source);
  // The fields the chosen transform reads must be finite, or the grid (and every distance in mm) is undefined.
  const used: [string, readonly number[]] =
    t.method === 'sform'
      ? ['srow_x, srow_y, srow_z (the sform)', h.srow.flat()]
      : t.method === 'qform'
        ? [
            'quatern_b/c/d, qoffset_x/y/z and pixdim (the qform)',
            [...h.quatern, ...h.qoffset, ...h.pixdim.slice(0, 4)],
          ]
        : ['pixdim', h.pixdim.slice(1, 4)];
  if (used[1].some((v) => !Number.isFinite(v)))
    throw new InputError(
      `${used[0]} hold a non-finite value: the volume's grid (its origin and axes) is unknown`,
      source,
    );
  if (t.method === 'qform' && h.sformCode === 0) notes.push('geometry from the qform (sform_code 0)');
  if (t.method === 'pixdim')
    notes.push('no qform or sform: geometry from pixdim only (origin 0, axes R, A, S)');
  // The rank is what dim[0] says: a 3-D file with one slice stays 3-D (nnU-Net stores 2-D data that way).
  const rank = dims.length >= 3 ? 3 : 2;
  const direction: [Vec3, Vec3, Vec3] =
    rank === 2
      ? [t.direction[0], t.direction[1], completeThirdAxis(t.direction[0], t.direction[1])]
      : t.direction;
  const geometry: VolumeGeometry = { rank, dims: spatial, spacing: t.spacing, direction, origin: t.origin };
  // scl_slope = 0 means "no scaling" (nifti1.h); non-finite values are treated the same way.
  const scaled = h.sclSlope !== 0 && Number.isFinite(h.sclSlope);
  const slope = scaled ? h.sclSlope : 1;
  const inter = scaled && Number.isFinite(h.sclInter) ? h.sclInter : 0;
  return { format: 'nifti', source, geometry, data, dtype: type, channels, scale: { slope, inter }, notes };
}
