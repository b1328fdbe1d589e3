/**
 * JPEG, TIFF and WebP through sharp (libvips), loaded lazily because it is a native module and activation must not
 * pay for it. Deep data keeps its depth: grey16 as uint16, signed 16-bit as float32 (negative values kept), float
 * TIFF as float32 (docs/architecture.md §9).
 */
import { InputError, errorMessage } from '../../core/errors';
import { clampChannels, finish } from './build';
import { DecodeOptions, tooLarge } from './options';
import type { Raster } from './raster';
type SharpModule = (typeof import('sharp'))['default'];
let sharpModule: Promise<SharpModule> | undefined;

/** Loads sharp on first use: it is a native module, and activation must not pay for it (docs/architecture.md §7). */
export function loadSharp(): Promise<SharpModule> {
  // Bundled as CommonJS, the dynamic import yields { default: module.exports }; tsx may hand back either shape.
  sharpModule ??= import('sharp').then(
    (m) => (m as { default?: SharpModule }).default ?? (m as unknown as SharpModule),
  );
  return sharpModule;
}

/** The formats sharp decodes for us. */
export type SharpFormat = 'jpeg' | 'tiff' | 'webp';

/** What each EXIF orientation value asks for, in the words of the TIFF/EXIF specification's transforms. */
const ORIENTATIONS: Record<number, string> = {
  2: 'mirrored',
  3: 'rotated 180°',
  4: 'flipped vertically',
  5: 'mirrored and rotated 90° counter-clockwise',
  6: 'rotated 90° clockwise',
  7: 'mirrored and rotated 90° clockwise',
  8: 'rotated 90° counter-clockwise',
};

export async function fromSharp(bytes: Uint8Array, format: SharpFormat, o: DecodeOptions): Promise<Raster> {
  const sharp = await loadSharp();
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // failOn 'error' turns truncated or corrupt data into an error instead of a silently grey image.
  const open = () => sharp(input, { limitInputPixels: false, failOn: 'error', sequentialRead: true });
  let meta: Awaited<ReturnType<ReturnType<SharpModule>['metadata']>>;
  try {
    meta = await open().metadata();
  } catch (e) {
    throw new InputError(`corrupt or unreadable ${format.toUpperCase()}: ${errorMessage(e)}`, o.source);
  }
  const storedWidth = meta.width ?? 0;
  const storedHeight = meta.height ?? 0;
  if (storedWidth <= 0 || storedHeight <= 0)
    throw new InputError(`${format.toUpperCase()} header has no size`, o.source);
  if (storedWidth * storedHeight > o.maxPixels)
    throw tooLarge(storedWidth, storedHeight, o.maxPixels, o.source, o.limitHint);
  const notes: string[] = [];
  // A phone photo is stored as the sensor saw it, with an EXIF tag saying how to turn it; photo viewers (and
  // VS Code's image preview) apply it, so we do too and say so — else a map comes out sideways (issue 14).
  const orientation = meta.orientation ?? 1;
  const oriented = orientation > 1 && orientation <= 8;
  const make = oriented ? () => open().rotate() : open;
  const swap = oriented && orientation >= 5;
  const width = swap ? storedHeight : storedWidth;
  const height = swap ? storedWidth : storedHeight;
  if (oriented) {
    notes.push(
      `EXIF orientation ${orientation} applied (${ORIENTATIONS[orientation]}), as photo viewers show it: the file ` +
        `stores ${storedWidth}×${storedHeight} pixels, shown and used as ${width}×${height}.`,
    );
  }
  // sharp reads the first page of a multi-page TIFF (or the first frame of an animated WebP) unless told
  // otherwise; a stack of slices must not pass for one image silently.
  const pages = meta.pages ?? 1;
  if (pages > 1) {
    const what = format === 'tiff' ? 'pages' : 'frames';
    notes.push(
      `${format.toUpperCase()} holds ${pages} ${what}; only the first is read (save a stack of slices as a NIfTI or NRRD volume to see them all).`,
    );
  }
  const depth = meta.depth ?? 'uchar';
  try {
    if (depth === 'float' || depth === 'double') {
      const bands = meta.channels ?? 1;
      // Float RGB TIFFs are scRGB to libvips, which would convert them to gamma-encoded sRGB on the way out;
      // staying in scRGB hands back the stored values exactly.
      const linear = meta.space === 'scrgb';
      const exact = () => (linear ? make().pipelineColourspace('scrgb').toColourspace('scrgb') : make());
      if (o.keepBands && bands > 1 && bands <= 4) {
        const { data, info } = await exact().raw({ depth: 'float' }).toBuffer({ resolveWithObject: true });
        const f = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
        notes.push(`All ${info.channels} float bands kept.`);
        return finish(width, height, clampChannels(info.channels), 'float32', f, format, 'float32', o, notes);
      }
      const { data } = await exact()
        .extractChannel(0)
        .raw({ depth: 'float' })
        .toBuffer({ resolveWithObject: true });
      const f = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      if (bands > 1) notes.push(`Showing channel 0 of ${bands}.`);
      return finish(width, height, 1, 'float32', f, format, 'float32', o, notes);
    }
    if (depth === 'short') {
      // libvips casts signed 16-bit samples (CT in Hounsfield units) to unsigned on the way out, clipping every
      // negative value to 0. Shifting by 32768 first maps -32768…32767 onto 0…65535 exactly; the shift is undone
      // here, and the samples travel as float32 (exact for every int16) so images and the model see true values.
      const grey = (meta.channels ?? 1) <= 2;
      const { data, info } = await make()
        .linear(1, 32768)
        .toColourspace(grey ? 'grey16' : 'rgb16')
        .raw({ depth: 'int' })
        .toBuffer({ resolveWithObject: true });
      const shifted = new Int32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      const f = new Float32Array(shifted.length);
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < f.length; i++) {
        const v = shifted[i] - 32768;
        f[i] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      notes.push(`Signed 16-bit samples kept as stored (${lo} to ${hi}), not clipped at 0.`);
      return finish(width, height, clampChannels(info.channels), 'float32', f, format, 'int16', o, notes);
    }
    if (depth === 'ushort') {
      const grey = (meta.channels ?? 1) <= 2;
      const pipeline = grey ? make().toColourspace('grey16') : make().toColourspace('rgb16');
      const { data, info } = await pipeline.raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
      const u = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      const ch = clampChannels(info.channels);
      return finish(width, height, ch, 'uint16', u, format, 'uint16', o, notes);
    }
    const { data, info } = await make().raw().toBuffer({ resolveWithObject: true });
    const u8 = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    return finish(width, height, clampChannels(info.channels), 'uint8', u8, format, 'uint8', o, notes);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`corrupt or truncated ${format.toUpperCase()}: ${errorMessage(e)}`, o.source);
  }
}
