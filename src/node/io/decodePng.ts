/**
 * PNG through the core's fast-png reader: palette indices and 16-bit samples survive (sharp would expand palettes
 * to RGB), which is what masks need. Images stored as palette PNGs are shown in their palette colours.
 */
import { InputError } from '../../core/errors';
import { decodePngImage } from '../../core/io/png';
import { colourNotes, firstChannel, imageRaster, labelRaster } from './build';
import { DecodeOptions, tooLarge } from './options';
import { labelsFromColours } from './labels';
import type { Raster } from './raster';
import { decodePlainPng } from './plainPng';

/**
 * A PNG's raster. The common 8-bit grey/colour file is decoded natively (./plainPng.ts: the same samples, an order
 * of magnitude sooner); every other file, and any file that path turns down, through fast-png as before.
 */
export async function fromPng(bytes: Uint8Array, o: DecodeOptions): Promise<Raster> {
  const plain = await decodePlainPng(bytes, o.maxPixels);
  return fromDecodedPng(plain ?? fastPng(bytes, o), o);
}

function fastPng(bytes: Uint8Array, o: DecodeOptions): ReturnType<typeof decodePngImage> {
  try {
    return decodePngImage(bytes, { source: o.source, maxPixels: o.maxPixels });
  } catch (e) {
    if (e instanceof InputError && /above the limit/.test(e.message)) {
      const m = /(\d+)×(\d+)/.exec(e.message);
      if (m) throw tooLarge(Number(m[1]), Number(m[2]), o.maxPixels, o.source, o.limitHint);
    }
    throw e;
  }
}

function fromDecodedPng(png: ReturnType<typeof decodePngImage>, o: DecodeOptions): Raster {
  const { width, height } = png;
  const is16 = png.data instanceof Uint16Array;
  const palette = png.palette?.map((c) => [c[0], c[1], c[2]] as [number, number, number]);
  const sourceDtype = palette ? 'uint8 palette' : is16 ? 'uint16' : 'uint8';
  const channels = png.channels as 1 | 2 | 3 | 4;
  if (o.role === 'labels') {
    if (palette || channels === 1 || channels === 2) {
      const data = channels === 2 ? firstChannel(png.data, 2) : png.data;
      return labelRaster(width, height, data, 'png', sourceDtype, o.source, [], palette);
    }
    const { labels, colours } = labelsFromColours(png.data, channels, o.source);
    const colourPalette = colours.length ? colours : undefined;
    return labelRaster(
      width,
      height,
      labels,
      'png',
      sourceDtype,
      o.source,
      colourNotes(colours),
      colourPalette,
    );
  }
  if (palette) {
    // An image stored as a palette PNG is shown in its colours; only masks keep the raw indices.
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0, n = width * height; i < n; i++) {
      const c = palette[png.data[i]] ?? [0, 0, 0];
      rgb[i * 3] = c[0];
      rgb[i * 3 + 1] = c[1];
      rgb[i * 3 + 2] = c[2];
    }
    return imageRaster(width, height, 3, 'uint8', rgb, 'png', sourceDtype, []);
  }
  return imageRaster(width, height, channels, is16 ? 'uint16' : 'uint8', png.data, 'png', sourceDtype, []);
}
