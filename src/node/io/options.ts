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
  /**
   * The user's channel choice for a multi-channel file (0-based): an image or mask shows that channel alone, a
   * probability map that class's probability. Absent = the automatic choice.
   */
  channel?: number;
  /** The user said the file holds logits: converted with this activation instead of being refused. */
  logits?: 'sigmoid' | 'softmax';
  /**
   * Keep every band (up to 4) of a multi-band float image instead of showing band 0: a model must see the
   * picture's real channels. @default false (the viewer shows one band and offers the others)
   */
  keepBands?: boolean;
  /**
   * How the user lifts the pixel limit, named in the refusal: the CLI's flag or the VS Code setting.
   * @default "setting seglens.maxPixels"
   */
  limitHint?: string;
}

/** The refusal of a channel the file does not have. */
export function noSuchChannel(channel: number, channels: number, source: string): InputError {
  return new InputError(
    `has ${channels} channel${channels === 1 ? '' : 's'} (0…${channels - 1}); channel ${channel} does not exist`,
    source,
  );
}

/** The default way to lift the pixel limit (the VS Code setting; the CLI passes its flag instead). */
export const MAX_PIXELS_SETTING = 'setting seglens.maxPixels';

export function tooLarge(
  width: number,
  height: number,
  maxPixels: number,
  source: string,
  limitHint: string = MAX_PIXELS_SETTING,
): InputError {
  return new InputError(
    `image is ${width}×${height} (${width * height} pixels), above the limit of ${maxPixels} pixels (${limitHint})`,
    source,
  );
}
