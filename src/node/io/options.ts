/**
 * The options every decoder takes and the one message for images above the pixel limit, so every format words it
 * the same way. Apart from the format table (format.ts) so the decoders can import it without a cycle.
 */
import { InputError } from '../../core/errors';
import type { DecodeRole } from './raster';

export interface DecodeOptions {
  /** Name used in messages (a path or URI). */
  source: string;
  /** Refuse images with more pixels than this, checked from the header. */
  maxPixels: number;
  role: DecodeRole;
}

export function tooLarge(width: number, height: number, maxPixels: number, source: string): InputError {
  return new InputError(
    `image is ${width}×${height} (${width * height} pixels), above the limit of ${maxPixels} pixels (setting seglens.maxPixels)`,
    source,
  );
}
