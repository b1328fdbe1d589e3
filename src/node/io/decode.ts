/**
 * Decodes an image or mask file into a `Raster` (docs/architecture.md §3, §9). The format comes from the file's magic bytes,
 * not its name, and every path checks the pixel limit from the header before decoding:
 *
 * - PNG through the core's fast-png reader, so palette indices and 16-bit samples survive (sharp expands palettes);
 * - JPEG, TIFF and WebP through sharp, loaded lazily (grey16 and float TIFF kept at full depth);
 * - BMP through our own reader (libvips has no BMP loader);
 * - NPY through the core reader, NPZ through fflate plus the core reader.
 *
 * `role` decides the interpretation: an image is decoded for display; labels become one class index per pixel.
 * No vscode import: the worker threads and the CLI run this. Each format lives in its own decode*.ts file.
 */
import { InputError } from '../../core/errors';
import { decodeBmp } from './bmp';
import { finish, imageRaster, labelRaster } from './build';
import { fromNdarray, fromNpz, readNpyChecked } from './decodeArray';
import { fromPng } from './decodePng';
import { fromProbabilities } from './decodeProb';
import { fromSharp } from './decodeSharp';
import { DecodeOptions, detectFormat } from './format';
import type { Raster } from './raster';

export { detectFormat } from './format';
export type { DecodeOptions, FileFormat } from './format';

export async function decodeRaster(bytes: Uint8Array, options: DecodeOptions): Promise<Raster> {
  const { source } = options;
  if (bytes.length === 0) throw new InputError('the file is empty', source);
  const format = detectFormat(bytes);
  if (options.role === 'prob') return fromProbabilities(bytes, format, options);
  switch (format) {
    case 'png':
      return fromPng(bytes, options);
    case 'jpeg':
    case 'tiff':
    case 'webp':
      return fromSharp(bytes, format, options);
    case 'bmp':
      return fromBmp(bytes, options);
    case 'npy':
      return fromNdarray(readNpyChecked(bytes, source, options.maxPixels), 'npy', options, []);
    case 'npz':
      return fromNpz(bytes, options);
    default:
      throw new InputError(
        'unknown or unsupported file format (SegLens reads PNG, JPEG, TIFF, BMP, WebP, NPY and NPZ)',
        source,
      );
  }
}

function fromBmp(bytes: Uint8Array, o: DecodeOptions): Raster {
  const bmp = decodeBmp(bytes, o.source, o.maxPixels);
  if (bmp.palette) {
    if (o.role === 'labels') {
      return labelRaster(bmp.width, bmp.height, bmp.data, 'bmp', 'uint8 palette', o.source, [], bmp.palette);
    }
    const rgb = new Uint8Array(bmp.width * bmp.height * 3);
    for (let i = 0; i < bmp.data.length; i++) {
      const c = bmp.palette[bmp.data[i]] ?? [0, 0, 0];
      rgb.set(c, i * 3);
    }
    return imageRaster(bmp.width, bmp.height, 3, 'uint8', rgb, 'bmp', 'uint8 palette', []);
  }
  return finish(bmp.width, bmp.height, bmp.channels, 'uint8', bmp.data, 'bmp', 'uint8', o, []);
}
