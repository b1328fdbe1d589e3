/**
 * Decodes an image or mask file into a `Raster` (DESIGN.md §3, §9). The format comes from the file's magic bytes,
 * not its name, and every path checks the pixel limit from the header before decoding:
 *
 * - PNG through the core's fast-png reader, so palette indices and 16-bit samples survive (sharp expands palettes);
 * - JPEG, TIFF and WebP through sharp, loaded lazily (grey16 and float TIFF kept at full depth);
 * - BMP through our own reader (libvips has no BMP loader);
 * - NPY through the core reader, NPZ through fflate plus the core reader.
 *
 * `role` decides the interpretation: an image is decoded for display; labels become one class index per pixel.
 * No vscode import: the worker threads and the CLI run this.
 */
import { unzipSync } from 'fflate';
import { InputError, errorMessage } from '../../core/errors';
import { decodePngImage } from '../../core/io/png';
import { readNpy, readNpyHeader } from '../../core/io/npy';
import { loadProbMap } from '../../core/io/load';
import { detectProbLayout, detectValueKind } from '../../core/io/probMap';
import type { ProbMap } from '../../core/types';
import type { NDArray } from '../../core/ndarray';
import { toFloat32 } from '../../core/ndarray';
import { decodeBmp } from './bmp';
import { DecodeRole, MAX_CLASSES, Raster, RasterData, distinctLabels, valueRange } from './raster';
import { labelsFromColours } from './labels';

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

function tooLarge(width: number, height: number, maxPixels: number, source: string): InputError {
  return new InputError(
    `image is ${width}×${height} (${width * height} pixels), above the limit of ${maxPixels} pixels (setting seglens.maxPixels)`,
    source,
  );
}

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

// ---------------------------------------------------------------------------------------------------------------
// Probability maps

/** Channels of a probability map are at most this many when its layout is guessed for the pixel check. */
const MAX_PROB_CHANNELS = 256;

/**
 * Reads a probability map through the core (layout detection, logits refused unless converted explicitly) and
 * reduces it to one displayable map: the probability itself for one channel, otherwise the probability of any
 * foreground class, 1 − p(class 0). NumPy files are checked against the pixel limit from their header; float
 * TIFFs go through sharp like images and get the same value checks.
 */
async function fromProbabilities(
  bytes: Uint8Array,
  format: FileFormat | undefined,
  o: DecodeOptions,
): Promise<Raster> {
  let prob: ProbMap;
  if (format === 'npy') {
    const header = readNpyHeader(bytes, { source: o.source });
    const layout = detectProbLayout(header.shape, { source: o.source });
    const [h, w] = layout.spatial;
    if (h * w > o.maxPixels) throw tooLarge(w, h, o.maxPixels, o.source);
    prob = loadProbMap(bytes, { source: o.source });
  } else if (format === 'npz') {
    prob = loadProbMap(bytes, { source: o.source, maxElements: o.maxPixels * MAX_PROB_CHANNELS });
  } else if (format === 'tiff') {
    const r = await fromSharp(bytes, format, { ...o, role: 'image' });
    if (!(r.data instanceof Float32Array)) {
      throw new InputError(`a probability map must hold floats; this TIFF holds ${r.sourceDtype}`, o.source);
    }
    const { kind, min, max } = detectValueKind(r.data);
    if (kind === 'invalid')
      throw new InputError('the probability map contains NaN or infinite values', o.source);
    if (kind === 'logits') {
      throw new InputError(
        `values range over [${min}, ${max}], outside [0, 1]: these look like logits`,
        o.source,
      );
    }
    prob = { data: r.data, shape: [1, r.height, r.width] };
  } else {
    throw new InputError('a probability map must be a .npy, .npz or float TIFF file', o.source);
  }
  const [c, height, width] = prob.shape;
  if (height * width > o.maxPixels) throw tooLarge(width, height, o.maxPixels, o.source);
  const n = height * width;
  let data: Float32Array;
  const notes: string[] = [];
  if (c === 1) {
    data = prob.data.length === n ? prob.data : prob.data.slice(0, n);
  } else {
    data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = 1 - prob.data[i];
    notes.push(`Showing the probability of any foreground class, 1 − p(class 0), of ${c} channels.`);
  }
  return {
    width,
    height,
    channels: 1,
    dtype: 'float32',
    data,
    format: format ?? 'unknown',
    sourceDtype: `probabilities [${prob.shape.join(', ')}]`,
    range: valueRange(data),
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// PNG

function fromPng(bytes: Uint8Array, o: DecodeOptions): Raster {
  let png: ReturnType<typeof decodePngImage>;
  try {
    png = decodePngImage(bytes, { source: o.source, maxPixels: o.maxPixels });
  } catch (e) {
    if (e instanceof InputError && /above the limit/.test(e.message)) {
      const m = /(\d+)×(\d+)/.exec(e.message);
      if (m) throw tooLarge(Number(m[1]), Number(m[2]), o.maxPixels, o.source);
    }
    throw e;
  }
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

// ---------------------------------------------------------------------------------------------------------------
// sharp: JPEG, TIFF, WebP

type SharpModule = (typeof import('sharp'))['default'];
let sharpModule: Promise<SharpModule> | undefined;

/** Loads sharp on first use: it is a native module, and activation must not pay for it (DESIGN.md §7). */
function loadSharp(): Promise<SharpModule> {
  // Bundled as CommonJS, the dynamic import yields { default: module.exports }; tsx may hand back either shape.
  sharpModule ??= import('sharp').then(
    (m) => (m as { default?: SharpModule }).default ?? (m as unknown as SharpModule),
  );
  return sharpModule;
}

async function fromSharp(bytes: Uint8Array, format: FileFormat, o: DecodeOptions): Promise<Raster> {
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

function clampChannels(c: number): 1 | 2 | 3 | 4 {
  return (c >= 1 && c <= 4 ? c : 4) as 1 | 2 | 3 | 4;
}

/** Builds the final raster for a decoded buffer, as an image or as labels depending on the role. */
function finish(
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

// ---------------------------------------------------------------------------------------------------------------
// BMP

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

// ---------------------------------------------------------------------------------------------------------------
// NPY / NPZ

function readNpyChecked(bytes: Uint8Array, source: string, maxPixels: number): NDArray {
  const header = readNpyHeader(bytes, { source });
  const shape = squeeze(header.shape);
  const [h, w] = spatial(shape);
  if (h * w > maxPixels) throw tooLarge(w, h, maxPixels, source);
  return readNpy(bytes, { source });
}

function fromNpz(bytes: Uint8Array, o: DecodeOptions): Raster {
  // Entries are filtered by their declared size before inflation, so a zip bomb is refused unread.
  const limit = o.maxPixels * 8 * 4 + 4096;
  const names: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (!f.name.endsWith('.npy')) return false;
        names.push(f.name);
        return names.length === 1 && f.originalSize <= limit;
      },
    });
  } catch (e) {
    throw new InputError(`corrupt or truncated NPZ: ${errorMessage(e)}`, o.source);
  }
  if (names.length === 0) throw new InputError('the NPZ archive holds no .npy array', o.source);
  const first = files[names[0]];
  if (!first) throw new InputError(`array ${names[0]} is larger than the pixel limit allows`, o.source);
  const label = names[0].replace(/\.npy$/, '');
  const notes =
    names.length > 1 ? [`Showing array '${label}' (first of ${names.length} in the archive).`] : [];
  const source = `${o.source}[${label}]`;
  return fromNdarray(readNpyChecked(first, source, o.maxPixels), 'npz', { ...o, source }, notes);
}

/** Drops leading and trailing axes of length 1 while more than two axes remain. */
function squeeze(shape: readonly number[]): number[] {
  const s = [...shape];
  while (s.length > 2 && s[0] === 1) s.shift();
  while (s.length > 2 && s[s.length - 1] === 1) s.pop();
  return s;
}

/** [height, width] of a squeezed shape: HW, HWC (C = 3|4) or CHW. */
function spatial(shape: readonly number[]): [number, number] {
  if (shape.length === 2) return [shape[0], shape[1]];
  if (shape.length === 3) {
    if (shape[2] === 3 || shape[2] === 4) return [shape[0], shape[1]];
    return [shape[1], shape[2]];
  }
  return [shape[0] ?? 0, shape[1] ?? 0];
}

function fromNdarray(a: NDArray, format: string, o: DecodeOptions, notes: string[]): Raster {
  const shape = squeeze(a.shape);
  if (shape.length < 2 || shape.length > 3) {
    throw new InputError(
      `array of shape [${a.shape.join(', ')}] is not an image: expected [H, W], [H, W, C] or [C, H, W]`,
      o.source,
    );
  }
  const [height, width] = spatial(shape);
  if (height === 0 || width === 0)
    throw new InputError(`array of shape [${a.shape.join(', ')}] is empty`, o.source);
  const pixels = height * width;
  const hwc = shape.length === 3 && (shape[2] === 3 || shape[2] === 4);
  const chw = shape.length === 3 && !hwc;

  if (o.role === 'labels') {
    if (shape.length === 3) {
      throw new InputError(`a mask must be 2-D [H, W]; got shape [${a.shape.join(', ')}]`, o.source);
    }
    return labelRaster(width, height, labelsFromNd(a, o.source), format, a.dtype, o.source, notes);
  }

  // Images: small integer types stay exact; everything else is shown as float32.
  let channels: 1 | 3 | 4 = 1;
  let data: RasterData;
  let dtype: 'uint8' | 'uint16' | 'float32';
  const source = a.data;
  if (a.dtype === 'uint8' || a.dtype === 'bool') {
    dtype = 'uint8';
    data = source as Uint8Array;
  } else if (a.dtype === 'uint16') {
    dtype = 'uint16';
    data = source as Uint16Array;
  } else {
    dtype = 'float32';
    data = toFloat32(a);
  }
  if (hwc) {
    channels = shape[2] as 3 | 4;
  } else if (chw) {
    const c = shape[0];
    if (c === 3 || c === 4) {
      // Channel-first colour (PyTorch layout) is interleaved for display.
      channels = c;
      data = interleave(data, c, pixels);
      notes = [...notes, 'Channel-first colour array shown as RGB.'];
    } else {
      data = data.subarray(0, pixels);
      notes = [...notes, `Showing channel 0 of ${c}.`];
    }
  }
  return imageRaster(width, height, channels, dtype, data, format, a.dtype, notes);
}

function interleave<T extends RasterData>(src: T, c: number, pixels: number): T {
  const out = new (src.constructor as new (n: number) => T)(pixels * c);
  for (let k = 0; k < c; k++) {
    const off = k * pixels;
    for (let i = 0; i < pixels; i++) out[i * c + k] = src[off + i];
  }
  return out;
}

/** Converts an integer (or integral float) array into class indices, refusing negative or fractional values. */
function labelsFromNd(a: NDArray, source: string): Uint8Array | Uint16Array | Int32Array {
  if (a.dtype === 'uint8' || a.dtype === 'bool') return a.data as Uint8Array;
  if (a.dtype === 'uint16') return a.data as Uint16Array;
  if (a.dtype === 'float16' || a.dtype === 'float32' || a.dtype === 'float64') {
    return integralLabels(a.data as Float32Array | Float64Array, source);
  }
  const n = a.data.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(a.data[i]);
    if (v < 0 || v > 0x7fffffff) {
      throw new InputError(
        `mask value ${v} at index ${i} is not a class index (expected 0…2147483647)`,
        source,
      );
    }
    out[i] = v;
  }
  return out;
}

function integralLabels(data: Float32Array | Float64Array, source: string): Int32Array {
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

// ---------------------------------------------------------------------------------------------------------------
// Builders

function firstChannel<T extends Uint8Array | Uint16Array>(data: T, channels: number): T {
  const n = data.length / channels;
  const out = new (data.constructor as new (n: number) => T)(n);
  for (let i = 0; i < n; i++) out[i] = data[i * channels];
  return out;
}

/** The note for a colour-coded mask; none when the "colour" mask was grey stored as RGB (no conversion). */
function colourNotes(colours: [number, number, number][]): string[] {
  if (colours.length === 0) return [];
  return [`Colour mask converted to ${colours.length} class indices (black = 0, others by colour value).`];
}

function imageRaster(
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  dtype: 'uint8' | 'uint16' | 'float32',
  data: RasterData,
  format: string,
  sourceDtype: string,
  notes: string[],
): Raster {
  return { width, height, channels, dtype, data, format, sourceDtype, range: valueRange(data), notes };
}

function labelRaster(
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
