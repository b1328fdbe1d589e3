/**
 * Voxel bytes → typed arrays: sizes per voxel type, byte order, and the bounded decompression every reader uses
 * (Node's zlib with `maxOutputLength` = the size the header announces, so a lying header or a zip bomb cannot make
 * SegLens allocate more than the header's own size, which was checked against the voxel limit first).
 */
import { constants, gunzipSync, inflateSync } from 'node:zlib';
import { InputError } from '../../../core/errors';
import type { VoxelArray, VoxelType } from './types';

export const VOXEL_BYTES: Record<VoxelType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

const CTORS = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `count` voxels of `type` starting at `offset`, in an aligned array in host byte order: a view of `bytes` when the
 * caller owns them (`owned`: data it just decompressed) and no swap or realignment is needed, else a copy. 64-bit
 * integers become float64, refused when a value is beyond ±2^53 (it would not survive as a number).
 */
export function voxelsFromBytes(
  bytes: Uint8Array,
  offset: number,
  count: number,
  type: VoxelType,
  littleEndian: boolean,
  source: string,
  owned = false,
): VoxelArray {
  const size = VOXEL_BYTES[type];
  const start = bytes.byteOffset + offset;
  // Freshly inflated data in host order, aligned: a view instead of a copy (a 256³ float32 volume is 64 MiB).
  if (owned && type !== 'int64' && type !== 'uint64') {
    if (size === 1 || (littleEndian === HOST_LITTLE && start % size === 0)) {
      return new CTORS[type](bytes.buffer as ArrayBuffer, start, count);
    }
  }
  const copy = bytes.slice(offset, offset + count * size);
  if (littleEndian !== HOST_LITTLE && size > 1) {
    for (let p = 0; p < copy.length; p += size) copy.subarray(p, p + size).reverse();
  }
  if (type === 'int64' || type === 'uint64') {
    const wide = type === 'int64' ? new BigInt64Array(copy.buffer) : new BigUint64Array(copy.buffer);
    const out = new Float64Array(count);
    const limit = BigInt(Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < count; i++) {
      const v = wide[i];
      if (v > limit || v < -limit) {
        throw new InputError(
          `a ${type} voxel value (${v}) is beyond ±2^53 and cannot be read exactly`,
          source,
        );
      }
      out[i] = Number(v);
    }
    return out;
  }
  return new CTORS[type](copy.buffer, 0, count);
}

/** The first bytes of a gzip stream (for reading a compressed header); at most `want` bytes are kept. */
export function gunzipHead(bytes: Uint8Array, want: number): Uint8Array {
  // 4 KiB of deflate input inflates to at most ~4 MiB (deflate's ratio is below 1032:1), so this stays small.
  const input = bytes.subarray(0, Math.min(bytes.length, 4096));
  try {
    const out = gunzipSync(input, { finishFlush: constants.Z_SYNC_FLUSH });
    return new Uint8Array(out.buffer, out.byteOffset, Math.min(out.length, want));
  } catch {
    return new Uint8Array(0);
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 8;
}

/**
 * Decompresses gzip or zlib data that must hold exactly `expected` bytes (known from the header). Truncated data,
 * data longer than announced and corrupt streams are InputErrors naming the file and saying which.
 */
export function inflateExactly(
  data: Uint8Array,
  kind: 'gzip' | 'zlib',
  expected: number,
  source: string,
): Uint8Array {
  let out: Buffer;
  try {
    // One output chunk one byte larger than expected: zlib writes straight into it (the default 16 KiB chunks are
    // joined at the end, a second copy of the whole volume: 768 MB at the peak for a 384 MB probability volume).
    const o = { maxOutputLength: Math.max(1, expected), chunkSize: Math.max(64, expected + 1) };
    out = kind === 'gzip' ? gunzipSync(data, o) : inflateSync(data, o);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new InputError(
        `the compressed data holds more than the ${expected} bytes the header announces (header/data size mismatch)`,
        source,
      );
    }
    if (code === 'Z_BUF_ERROR') {
      throw new InputError(`the ${kind} data is truncated (unexpected end of the compressed stream)`, source);
    }
    throw new InputError(`the ${kind} data is corrupt: ${(e as Error).message}`, source);
  }
  if (out.length !== expected) {
    throw new InputError(
      `the data holds ${out.length} bytes but the header announces ${expected} (header/data size mismatch)`,
      source,
    );
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Raw data that must hold exactly `expected` bytes from `offset`. */
export function checkRawSize(available: number, expected: number, source: string): void {
  if (available !== expected) {
    throw new InputError(
      `the data holds ${available} bytes but the header announces ${expected} (header/data size mismatch${
        available < expected ? '; the file may be truncated' : ''
      })`,
      source,
    );
  }
}

/** Refuses a voxel count above the limit, before anything is read. */
export function checkVoxelLimit(count: number, maxElements: number, dims: string, source: string): void {
  if (!Number.isSafeInteger(count) || count > maxElements) {
    throw new InputError(
      `the volume is ${dims} (${count} voxels), above the limit of ${maxElements} voxels`,
      source,
    );
  }
}
