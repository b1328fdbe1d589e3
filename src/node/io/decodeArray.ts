/**
 * NumPy arrays (.npy through the core reader, .npz through fflate plus the core reader) as images or label maps:
 * [H, W], [H, W, C] and channel-first [C, H, W] are understood; size limits come from the header.
 */
import { unzipSync } from 'fflate';
import { InputError, errorMessage } from '../../core/errors';
import { readNpy, readNpyHeader } from '../../core/io/npy';
import type { NDArray } from '../../core/ndarray';
import { toFloat32 } from '../../core/ndarray';
import { imageRaster, integralLabels, labelRaster } from './build';
import { DecodeOptions, noSuchChannel, tooLarge } from './options';
import type { Raster, RasterData } from './raster';
export function readNpyChecked(
  bytes: Uint8Array,
  source: string,
  maxPixels: number,
  limitHint?: string,
): NDArray {
  const header = readNpyHeader(bytes, { source });
  const shape = squeeze(header.shape);
  const [h, w] = spatial(shape);
  if (h * w > maxPixels) throw tooLarge(w, h, maxPixels, source, limitHint);
  return readNpy(bytes, { source });
}

export function fromNpz(bytes: Uint8Array, o: DecodeOptions): Raster {
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
  return fromNdarray(readNpyChecked(first, source, o.maxPixels, o.limitHint), 'npz', { ...o, source }, notes);
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

export function fromNdarray(a: NDArray, format: string, o: DecodeOptions, notes: string[]): Raster {
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

  const channelCount = shape.length === 3 ? (hwc ? shape[2] : shape[0]) : 1;
  if (o.channel !== undefined && shape.length === 3) {
    // The user picked one channel of a multi-channel array: that channel, as a 2-D array of the same type.
    if (o.channel >= channelCount) throw noSuchChannel(o.channel, channelCount, o.source);
    const one = pickChannel(a, hwc, channelCount, [height, width], o.channel);
    const raster = fromNdarray(one, format, { ...o, channel: undefined }, [
      ...notes,
      `Showing channel ${o.channel} of ${channelCount}, as you chose for this file.`,
    ]);
    return { ...raster, fileChannels: channelCount };
  }

  if (o.role === 'labels') {
    if (shape.length === 3) {
      throw new InputError(
        `a mask must be 2-D [H, W]; got shape [${a.shape.join(', ')}] (pick one channel in the panel)`,
        o.source,
      );
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
  const raster = imageRaster(width, height, channels, dtype, data, format, a.dtype, notes);
  return channelCount > 1 ? { ...raster, fileChannels: channelCount } : raster;
}

/** One channel of a [C, H, W] (or [H, W, C]) array as an [H, W] array of the same element type. */
function pickChannel(
  a: NDArray,
  hwc: boolean,
  c: number,
  [height, width]: [number, number],
  channel: number,
): NDArray {
  const pixels = height * width;
  const src = a.data;
  const out = new (src.constructor as new (n: number) => typeof src)(pixels);
  if (hwc) for (let i = 0; i < pixels; i++) out[i] = src[i * c + channel];
  else for (let i = 0; i < pixels; i++) out[i] = src[channel * pixels + i];
  return { dtype: a.dtype, shape: [height, width], data: out };
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
