/**
 * Writes a NIfTI-1 single file (`.nii`, or `.nii.gz` gzip-compressed) on a given grid: what `seglens decode` writes
 * for a probability volume, so the decoded mask opens on its image in any viewer. Both transforms are written:
 * the sform (code 1, scanner) as the exact affine and the qform (code 1) as its quaternion with qfac — the inverse of
 * the reading rules of src/core/volume/niftiTransform.ts.
 */
import { gzipSync } from 'node:zlib';
import { VolumeGeometry, affineOf } from '../../../core/volume/geometry';
import { quaternionOf } from '../../../core/volume/niftiTransform';

export type NiftiWritable = Uint8Array | Int16Array | Int32Array | Float32Array;

const DATATYPE = (d: NiftiWritable): [number, number] =>
  d instanceof Uint8Array
    ? [2, 8]
    : d instanceof Int16Array
      ? [4, 16]
      : d instanceof Int32Array
        ? [8, 32]
        : [16, 32];

/**
 * The bytes of a NIfTI-1 file holding `volumes` consecutive 3-D volumes of the geometry (dim[0] = 4 when more than
 * one), voxels in file order (i fastest) — the core's C-order [volumes, nk, nj, ni].
 */
export function writeNifti(
  data: NiftiWritable,
  geometry: VolumeGeometry,
  o: { volumes?: number; gzip?: boolean; description?: string } = {},
): Uint8Array {
  const volumes = o.volumes ?? 1;
  const header = new ArrayBuffer(352);
  const v = new DataView(header);
  const [datatype, bitpix] = DATATYPE(data);
  v.setInt32(0, 348, true);
  const dims = [volumes > 1 ? 4 : 3, ...geometry.dims, volumes, 1, 1, 1];
  dims.forEach((x, i) => v.setInt16(40 + 2 * i, x, true));
  v.setInt16(70, datatype, true);
  v.setInt16(72, bitpix, true);
  const q = quaternionOf(geometry.direction);
  [q.qfac, ...geometry.spacing, 1, 1, 1, 1].forEach((x, i) => v.setFloat32(76 + 4 * i, x, true));
  v.setFloat32(108, 352, true);
  v.setFloat32(112, 0, true); // scl_slope 0: no scaling
  v.setUint8(123, 2); // xyzt_units: millimetres
  const text = new TextEncoder().encode((o.description ?? 'SegLens').slice(0, 79));
  new Uint8Array(header, 148, 80).set(text);
  v.setInt16(252, 1, true);
  v.setInt16(254, 1, true);
  [q.b, q.c, q.d, ...geometry.origin].forEach((x, i) => v.setFloat32(256 + 4 * i, x, true));
  const affine = affineOf(geometry);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 4; c++) v.setFloat32(280 + 16 * r + 4 * c, affine[r][c], true);
  new Uint8Array(header, 344, 4).set([0x6e, 0x2b, 0x31, 0]); // "n+1\0"
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error('writing NIfTI needs a little-endian host');
  }
  const out = new Uint8Array(352 + data.byteLength);
  out.set(new Uint8Array(header), 0);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 352);
  return o.gzip ? new Uint8Array(gzipSync(out)) : out;
}
