/**
 * JPEG, TIFF and WebP through sharp (libvips), loaded lazily because it is a native module and activation must not
 * pay for it. Deep data keeps its depth: grey16 as uint16, float TIFF as float32 (docs/architecture.md §9).
 */
import { InputError, errorMessage } from '../../core/errors';
import { clampChannels, finish } from './build';
import { DecodeOptions, tooLarge } from './options';
import type { Raster } from './raster';
type SharpModule = (typeof import('sharp'))['default'];
let sharpModule: Promise<SharpModule> | undefined;

/** Loads sharp on first use: it is a native module, and activation must not pay for it (docs/architecture.md §7). */
function loadSharp(): Promise<SharpModule> {
  // Bundled as CommonJS, the dynamic import yields { default: module.exports }; tsx may hand back either shape.
  sharpModule ??= import('sharp').then(
    (m) => (m as { default?: SharpModule }).default ?? (m as unknown as SharpModule),
  );
  return sharpModule;
}

/** The formats sharp decodes for us. */
export type SharpFormat = 'jpeg' | 'tiff' | 'webp';

export async function fromSharp(bytes: Uint8Array, format: SharpFormat, o: DecodeOptions): Promise<Raster> {
  const sharp = await loadSharp();
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // failOn 'error' turns truncated or corrupt data into an error instead of a silently grey image.
  const make = () => sharp(input, { limitInputPixels: false, failOn: 'error', sequentialRead: true });
  let meta: Awaited<ReturnType<ReturnType<SharpModule>['metadata']>>;
  try {
    meta = await make().metadata();
  } catch (e) {
    throw new InputError(`corrupt or unreadable ${format.toUpperCase()}: ${errorMessage(e)}`, o.source);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new InputError(`${format.toUpperCase()} header has no size`, o.source);
  if (width * height > o.maxPixels) throw tooLarge(width, height, o.maxPixels, o.source);
  const depth = meta.depth ?? 'uchar';
  const notes: string[] = [];
  try {
    if (depth === 'float' || depth === 'double') {
      const { data } = await make()
        .extractChannel(0)
        .raw({ depth: 'float' })
        .toBuffer({ resolveWithObject: true });
      const f = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      if ((meta.channels ?? 1) > 1) notes.push(`Showing channel 0 of ${meta.channels}.`);
      return finish(width, height, 1, 'float32', f, format, 'float32', o, notes);
    }
    if (depth === 'ushort' || depth === 'short') {
      const grey = (meta.channels ?? 1) <= 2;
      const pipeline = grey ? make().toColourspace('grey16') : make().toColourspace('rgb16');
      const { data, info } = await pipeline.raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
      const u = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      const ch = clampChannels(info.channels);
      const sourceDtype = depth === 'short' ? 'int16' : 'uint16';
      return finish(width, height, ch, 'uint16', u, format, sourceDtype, o, notes);
    }
    const { data, info } = await make().raw().toBuffer({ resolveWithObject: true });
    const u8 = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    return finish(width, height, clampChannels(info.channels), 'uint8', u8, format, 'uint8', o, notes);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`corrupt or truncated ${format.toUpperCase()}: ${errorMessage(e)}`, o.source);
  }
}
