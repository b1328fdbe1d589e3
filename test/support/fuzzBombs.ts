/**
 * Decompression bombs, built in a few milliseconds without ever holding what they expand to: a deflate stream of
 * N zero bytes is one small compressed block of 1 MiB of zeros (ended by a sync flush, so it is byte-aligned and
 * not final) repeated N / 1 MiB times, then an empty final block. 2,048 repeats are ~2 MB on disk and 2 GiB
 * inflated. Used by the child-process bomb tests (test/unit/fuzz/bombs.test.ts) and the editor's
 * (test/integration/bomb.test.ts).
 */
import { constants, deflateRawSync, gzipSync, gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { chunk, concat } from './pngBytes';
import { repoPath } from './repo';

const MIB = 1 << 20;
let zeroBlock: Uint8Array | undefined;

/** Raw deflate blocks (not final) expanding to `mib` MiB of zeros, optionally after `prefix` bytes. */
export function zeroDeflate(mib: number, prefix: Uint8Array = new Uint8Array(0)): Uint8Array {
  zeroBlock ??= new Uint8Array(
    deflateRawSync(new Uint8Array(MIB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH }),
  );
  const head = new Uint8Array(deflateRawSync(prefix, { finishFlush: constants.Z_SYNC_FLUSH }));
  const out = new Uint8Array(head.length + zeroBlock.length * mib + 2);
  out.set(head);
  for (let i = 0; i < mib; i++) out.set(zeroBlock, head.length + i * zeroBlock.length);
  // An empty final block with fixed Huffman codes: BFINAL 1, BTYPE 01, end-of-block 0000000.
  out.set([0x03, 0x00], out.length - 2);
  return out;
}

/** A zlib stream of `mib` MiB of zeros (Adler-32 of n zeros: a = 1, b = n mod 65521). */
export function zeroZlib(mib: number): Uint8Array {
  const raw = zeroDeflate(mib);
  const n = mib * MIB;
  const adler = ((n % 65521) * 65536 + 1) >>> 0;
  const out = new Uint8Array(raw.length + 6);
  out.set([0x78, 0xda]);
  out.set(raw, 2);
  new DataView(out.buffer).setUint32(out.length - 4, adler);
  return out;
}

/** A PNG whose IHDR declares `width`×`height` at `depth` bits and colour type `colour`, over `mib` MiB of zeros. */
export function pngBomb(
  width: number,
  height: number,
  depth: number,
  colour: number,
  mib: number,
): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([depth, colour, 0, 0, 0], 8);
  return concat([
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    chunk('IDAT', zeroZlib(mib)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The PNG bomb: 2 MB on disk, 16384² RGBA 16-bit declared (2 GiB decoded), 2 GiB of zeros inflated. */
export const bigPngBomb = (): Uint8Array => pngBomb(16384, 16384, 16, 6, 2048);
/** The lying variant: a 1×1 grey header over the same 2 GiB of zeros. */
export const lyingPngBomb = (): Uint8Array => pngBomb(1, 1, 8, 0, 2048);

/** A .npy header (version 1.0) for `descr` and `shape`, padded so the data start on a 64-byte boundary. */
export function npyHeader(descr: string, shape: number[]): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let text = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  text += ' '.repeat((64 - ((10 + text.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + text.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

/**
 * An .npz holding one deflated member `name` (an .npy header, then `mib` MiB of zeros), whose ZIP directory states
 * `declaredSize` as the member's size (the true size when undefined). CRCs are left 0: the readers refuse the
 * archive before a CRC would matter, and fflate does not check them.
 */
export function npzBomb(name: string, header: Uint8Array, mib: number, declaredSize?: number): Uint8Array {
  const data = zeroDeflate(mib, header);
  const size = declaredSize ?? header.length + mib * MIB;
  const fname = new TextEncoder().encode(name);
  const local = new Uint8Array(30 + fname.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint16(8, 8, true); // deflate
  lv.setUint32(18, data.length, true);
  lv.setUint32(22, size >>> 0, true);
  lv.setUint16(26, fname.length, true);
  local.set(fname, 30);
  const central = new Uint8Array(46 + fname.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(4, 20, true);
  cv.setUint16(6, 20, true);
  cv.setUint16(10, 8, true);
  cv.setUint32(20, data.length, true);
  cv.setUint32(24, size >>> 0, true);
  cv.setUint16(28, fname.length, true);
  cv.setUint32(42, 0, true); // local header offset
  central.set(fname, 46);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 1, true);
  ev.setUint16(10, 1, true);
  ev.setUint32(12, central.length, true);
  ev.setUint32(16, local.length + data.length, true);
  return concat([local, data, central, end]);
}

/** The NPZ bomb: 2 MB on disk, a uint8 member of 2^31 elements (2 GiB inflated), sizes honest. */
export const bigNpzBomb = (): Uint8Array => npzBomb('probs.npy', npyHeader('|u1', [32768, 65536]), 2048);
/** The lying variant: the directory says 1,000 bytes, the data inflate to 2 GiB. */
export const lyingNpzBomb = (): Uint8Array => npzBomb('probs.npy', npyHeader('|u1', [10, 10]), 2048, 1000);

/** A NIfTI-1 header (the fixture gt.nii.gz's) with dims replaced; datatype uint8 kept. */
function niftiHeaderWithDims(dims: number[]): Uint8Array {
  const nii = new Uint8Array(gunzipSync(readFileSync(repoPath('test/fixtures/volume/gt.nii.gz'))));
  const head = nii.slice(0, 352);
  const v = new DataView(head.buffer);
  v.setInt16(40, dims.length, true);
  for (let i = 0; i < 7; i++) v.setInt16(42 + 2 * i, dims[i] ?? 1, true);
  v.setInt16(70, 2, true); // uint8
  v.setInt16(72, 8, true);
  v.setFloat32(108, 352, true);
  return head;
}

/** The NIfTI bomb: a .nii.gz whose header declares 2048×1024×1024 = 2^31 uint8 voxels. */
export const bigNiftiBomb = (): Uint8Array =>
  new Uint8Array(gzipSync(concat([niftiHeaderWithDims([2048, 1024, 1024]), new Uint8Array(MIB)])));

/** The lying variant: a 24×20×16 header over a gzip stream of 2 GiB of zeros (the header's voxels, then more). */
export function lyingNiftiBomb(): Uint8Array {
  const raw = zeroDeflate(2048, niftiHeaderWithDims([24, 20, 16]));
  // gzip member: magic, deflate, no flags, mtime 0, xfl 0, OS unknown; CRC-32 and size left 0 (never reached).
  return concat([Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255), raw, new Uint8Array(8)]);
}
