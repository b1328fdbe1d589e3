/**
 * Builders shared by the decoders: the final image or label raster (with its range, classes and notes), the
 * interpretation of a decoded buffer by role, and the checks that turn numbers into class indices.
 */
import { InputError } from '../../core/errors';
import type { DecodeOptions } from './options';
import { labelsFromColours } from './labels';
import { MAX_CLASSES, Raster, RasterData, distinctLabels, valueRange } from './raster';

export function firstChannel<T extends Uint8Array | Uint16Array>(data: T, channels: number): T {
  const n = data.length / channels;
  const out = new (data.constructor as new (n: number) => T)(n);
  for (let i = 0; i < n; i++) out[i] = data[i * channels];
  return out;
}

/** The note for a colour-coded mask; none when the "colour" mask was grey stored as RGB (no conversion). */
export function colourNotes(colours: [number, number, number][]): string[] {
  if (colours.length === 0) return [];
  return [`Colour mask converted to ${colours.length} class indices (black = 0, others by colour value).`];
}

export function imageRaster(
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  dtype: 'uint8' | 'uint16' | 'float32',
  data: RasterData,
  format: string,
  sourceDtype: string,
  notes: string[],
): Raster {
  if (channels === 3 && dtype !== 'float32') {
    const grey = greyOfUniformRgb(data as Uint8Array | Uint16Array);
    if (grey) {
      // A third of the bytes to send to the panel, and the info line says what the picture really is.
      const note = 'RGB file whose three channels are identical, shown as grey.';
      return imageRaster(width, height, 1, dtype, grey, format, sourceDtype, [...notes, note]);
    }
  }
  return { width, height, channels, dtype, data, format, sourceDtype, range: valueRange(data), notes };
}

/** The single channel of interleaved RGB data whose channels are equal everywhere; undefined otherwise. */
export function greyOfUniformRgb<T extends Uint8Array | Uint16Array>(data: T): T | undefined {
  const n = data.length / 3;
  for (let i = 0; i < n; i++) {
    const p = i * 3;
    if (data[p] !== data[p + 1] || data[p] !== data[p + 2]) return undefined;
  }
  const out = new (data.constructor as new (n: number) => T)(n);
  for (let i = 0; i < n; i++) out[i] = data[i * 3];
  return out;
}

export function labelRaster(
  width: number,
  height: number,
  data: Uint8Array | Uint16Array | Int32Array,
  format: string,
  sourceDtype: string,
  source: string,
  notes: string[],
  palette?: [number, number, number][],
): Raster {
  const classes = distinctLabels(data);
  if (!classes) {
    throw new InputError(
      `mask has more than ${MAX_CLASSES} distinct values; it does not look like a label map`,
      source,
    );
  }
  const dtype = data instanceof Uint8Array ? 'uint8' : data instanceof Uint16Array ? 'uint16' : 'int32';
  const range = classes.length
    ? { min: classes[0], max: classes[classes.length - 1] }
    : { min: NaN, max: NaN };
  return { width, height, channels: 1, dtype, data, format, sourceDtype, palette, range, classes, notes };
}

export function clampChannels(c: number): 1 | 2 | 3 | 4 {
  return (c >= 1 && c <= 4 ? c : 4) as 1 | 2 | 3 | 4;
}

/** Builds the final raster for a decoded buffer, as an image or as labels depending on the role. */
export function finish(
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  dtype: 'uint8' | 'uint16' | 'float32',
  data: Uint8Array | Uint16Array | Float32Array,
  format: string,
  sourceDtype: string,
  o: DecodeOptions,
  notes: string[],
): Raster {
  if (data.length !== width * height * channels) {
    throw new InputError(`decoded ${data.length} samples, expected ${width * height * channels}`, o.source);
  }
  if (o.role === 'image')
    return imageRaster(width, height, channels, dtype, data, format, sourceDtype, notes);
  if (data instanceof Float32Array) {
    return labelRaster(width, height, integralLabels(data, o.source), format, sourceDtype, o.source, notes);
  }
  if (channels <= 2) {
    const d = channels === 2 ? firstChannel(data, 2) : data;
    return labelRaster(width, height, d, format, sourceDtype, o.source, notes);
  }
  const { labels, colours } = labelsFromColours(data, channels, o.source);
  return labelRaster(
    width,
    height,
    labels,
    format,
    sourceDtype,
    o.source,
    [...notes, ...colourNotes(colours)],
    colours.length ? colours : undefined,
  );
}

export function integralLabels(data: Float32Array | Float64Array, source: string): Int32Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= 0 && v <= 0x7fffffff && Math.floor(v) === v)) {
      throw new InputError(
        `mask value ${v} at index ${i} is not a class index (a float mask must hold whole numbers ≥ 0; is this a probability map?)`,
        source,
      );
    }
    out[i] = v;
  }
  return out;
}
