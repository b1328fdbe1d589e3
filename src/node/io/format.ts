/**
 * What a file is (by its magic bytes, never its name) and the options every decoder takes, plus the one message
 * for images above the pixel limit, so every format words it the same way.
 */
import { InputError } from '../../core/errors';
import type { DecodeRole } from './raster';

export type FileFormat = 'png' | 'jpeg' | 'tiff' | 'webp' | 'bmp' | 'npy' | 'npz';

export interface DecodeOptions {
  /** Name used in messages (a path or URI). */
  source: string;
  /** Refuse images with more pixels than this, checked from the header. */
  maxPixels: number;
  role: DecodeRole;
}

/** Recognises a supported format from the first bytes of a file; undefined when none matches. */
export function detectFormat(bytes: Uint8Array): FileFormat | undefined {
  const b = (i: number) => bytes[i];
  if (bytes.length >= 8 && b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'png';
  if (bytes.length >= 3 && b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (bytes.length >= 4 && b(0) === 0x49 && b(1) === 0x49 && b(2) === 0x2a && b(3) === 0) return 'tiff';
  if (bytes.length >= 4 && b(0) === 0x4d && b(1) === 0x4d && b(2) === 0 && b(3) === 0x2a) return 'tiff';
  if (bytes.length >= 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF') {
    if (String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return 'webp';
  }
  if (bytes.length >= 2 && b(0) === 0x42 && b(1) === 0x4d) return 'bmp';
  if (bytes.length >= 6 && b(0) === 0x93 && String.fromCharCode(...bytes.subarray(1, 6)) === 'NUMPY')
    return 'npy';
  if (bytes.length >= 4 && b(0) === 0x50 && b(1) === 0x4b && b(2) === 3 && b(3) === 4) return 'npz';
  return undefined;
}

export function tooLarge(width: number, height: number, maxPixels: number, source: string): InputError {
  return new InputError(
    `image is ${width}×${height} (${width * height} pixels), above the limit of ${maxPixels} pixels (setting seglens.maxPixels)`,
    source,
  );
}
