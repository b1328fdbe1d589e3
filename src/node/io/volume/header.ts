/**
 * Shared pieces of the two text-header formats (NRRD, MetaImage): splitting the header from the binary data,
 * number lists, and gathering a non-spatial axis into channel-first order.
 */
import { InputError } from '../../../core/errors';
import type { VoxelArray } from './types';

/** Header text larger than this is refused (real headers are a few KiB; Slicer segmentations ~ tens of KiB). */
export const MAX_HEADER_BYTES = 1 << 20;

/** Parses whitespace- or comma-separated numbers; undefined entries for words like "nan" / "none" are refused. */
export function numbers(text: string, field: string, source: string, finite = true): number[] {
  const parts = text
    .trim()
    .split(/[\s,]+/)
    .filter((p) => p.length > 0);
  const values = parts.map(Number);
  if (values.some((v) => Number.isNaN(v))) {
    throw new InputError(`field '${field}' must hold numbers, got '${short(text)}'`, source);
  }
  // Geometry and sizes must be finite: "1e309" reads as Infinity and would poison every distance in mm.
  if (finite && values.some((v) => !Number.isFinite(v))) {
    throw new InputError(`field '${field}' must hold finite numbers, got '${short(text)}'`, source);
  }
  return values;
}

const short = (text: string): string => {
  const t = text.trim();
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
};

/**
 * Reorders interleaved data (a non-spatial axis of size `channels` that varies fastest, as in an NRRD "list" axis
 * or MetaImage ElementNumberOfChannels) into channel-first order: channel c's voxels contiguous.
 */
export function deinterleave<T extends VoxelArray>(data: T, channels: number): T {
  if (channels === 1) return data;
  const n = data.length / channels;
  const out = new (data.constructor as new (len: number) => T)(data.length);
  for (let v = 0; v < n; v++) for (let c = 0; c < channels; c++) out[c * n + v] = data[v * channels + c];
  return out;
}
