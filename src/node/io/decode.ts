/**
 * Decodes an image, mask or probability-map file into a `Raster` (docs/architecture.md §3, §9). The format comes from
 * the file's magic bytes, not its name, through the format table (format.ts: one row per format, one decoder per
 * role); every decoder checks the pixel limit from the header before decoding:
 *
 * - PNG through the core's fast-png reader, so palette indices and 16-bit samples survive (sharp expands palettes);
 * - JPEG, TIFF and WebP through sharp, loaded lazily (grey16 and float TIFF kept at full depth);
 * - BMP through our own reader (libvips has no BMP loader);
 * - NPY through the core reader, NPZ through fflate plus the core reader.
 *
 * `role` decides the interpretation: an image is decoded for display; labels become one class index per pixel; a
 * probability map becomes one displayable map. No vscode import: the worker threads and the CLI run this.
 */
import { InputError } from '../../core/errors';
import { formatList, formatOf } from './format';
import type { DecodeOptions } from './options';
import type { Raster } from './raster';

export { detectFormat } from './format';
export type { DecodeOptions, FileFormat } from './format';

export async function decodeRaster(bytes: Uint8Array, options: DecodeOptions): Promise<Raster> {
  const { source, role } = options;
  if (bytes.length === 0) throw new InputError('the file is empty', source);
  const row = formatOf(bytes);
  const decoder = row?.decoders[role];
  if (decoder) return decoder(bytes, options);
  if (role === 'prob') {
    throw new InputError(
      `a probability map must be a float ${formatList('prob', 'or')} file${row ? `, not ${row.label}` : ''}`,
      source,
    );
  }
  if (row) throw new InputError(`SegLens cannot read a ${row.label} file as ${role}`, source);
  throw new InputError(`unknown or unsupported file format (SegLens reads ${formatList()})`, source);
}
