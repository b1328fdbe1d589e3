/**
 * Decodes an image, mask or probability-map file into a `Raster` (docs/architecture.md §3, §9). The format comes from
 * the file's magic bytes, not its name, through the format table (format.ts: one row per format, one decoder per
 * role); every decoder checks the pixel limit from the header before decoding:
 *
 * - PNG through the core's fast-png reader, so palette indices and 16-bit samples survive (sharp expands palettes);
 *   a plain 8-bit grey/RGB/RGBA file whose chunks check out through libvips instead, the same samples (plainPng.ts);
 * - JPEG, TIFF and WebP through sharp, loaded lazily (grey16 and float TIFF kept at full depth);
 * - BMP through our own reader (libvips has no BMP loader);
 * - NPY through the core reader, NPZ through fflate plus the core reader.
 *
 * `role` decides the interpretation: an image is decoded for display; labels become one class index per pixel; a
 * probability map becomes one displayable map. No vscode import: the worker threads and the CLI run this.
 */
import { InputError } from '../../core/errors';
import { formatList, formatOf } from './format';
import { type DecodeOptions, noSuchChannel } from './options';
import { type Raster, valueRange } from './raster';

export { detectFormat } from './format';
export type { DecodeOptions, FileFormat } from './format';

export async function decodeRaster(bytes: Uint8Array, options: DecodeOptions): Promise<Raster> {
  const { source, role } = options;
  if (bytes.length === 0) throw new InputError('the file is empty', source);
  const row = formatOf(bytes);
  const decoder = row?.decoders[role];
  if (decoder) return chosenChannel(await decoder(bytes, options), options);
  if (role === 'prob') {
    throw new InputError(
      `a probability map must be a float ${formatList('prob', 'or')} file${row ? `, not ${row.label}` : ''}`,
      source,
    );
  }
  if (row) throw new InputError(`SegLens cannot read a ${row.label} file as ${role}`, source);
  throw new InputError(`unknown or unsupported file format (SegLens reads ${formatList()})`, source);
}

/**
 * An interleaved image (RGB, grey+alpha) with the user's channel choice: that channel alone, as grey. Arrays and
 * probability maps pick their channel while decoding (their channels are planes); this covers the picture formats.
 */
function chosenChannel(r: Raster, o: DecodeOptions): Raster {
  if (o.role !== 'image' || r.channels === 1 || r.fileChannels !== undefined) return r;
  const c = r.channels;
  if (o.channel === undefined) return { ...r, fileChannels: c };
  if (o.channel >= c) throw noSuchChannel(o.channel, c, o.source);
  const n = r.width * r.height;
  const data = new (r.data.constructor as new (n: number) => typeof r.data)(n);
  for (let i = 0; i < n; i++) data[i] = r.data[i * c + o.channel];
  const note = `Showing channel ${o.channel} of ${c}, as you chose for this file.`;
  return { ...r, channels: 1, data, range: valueRange(data), notes: [...r.notes, note], fileChannels: c };
}
