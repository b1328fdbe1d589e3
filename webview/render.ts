/**
 * Pixel conversions from protocol rasters to canvas RGBA. Pure functions on typed arrays (no DOM), unit-tested in
 * plain node; the loops allocate nothing per pixel.
 */
import { rasterByteLength, type PixelDtype, type RasterPayload, type ValueRange } from '../src/protocol';
import { buildLut, type ColourOverrides, type Rgb } from './colors';

export type Samples = Uint8Array | Uint16Array | Int32Array | Float32Array;

/** A typed view of a raster's pixels (no copy). */
export function samplesOf(r: Pick<RasterPayload, 'dtype' | 'pixels'>): Samples {
  switch (r.dtype) {
    case 'uint8':
      return new Uint8Array(r.pixels);
    case 'uint16':
      return new Uint16Array(r.pixels);
    case 'int32':
      return new Int32Array(r.pixels);
    case 'float32':
      return new Float32Array(r.pixels);
  }
}

/**
 * The value window mapped to 0…255 for display. 8-bit data is shown as stored (0…255), so photos and 8-bit scans
 * look like they do everywhere else; deeper data (16-bit, float) is stretched over its own range, otherwise a
 * 12-bit CT in a 16-bit file would be almost black.
 */
export function displayWindow(dtype: PixelDtype, range: ValueRange): { lo: number; hi: number } {
  if (dtype === 'uint8') return { lo: 0, hi: 255 };
  if (!Number.isFinite(range.min) || !Number.isFinite(range.max)) return { lo: 0, hi: 1 };
  if (range.max === range.min) return { lo: range.min - 0.5, hi: range.max + 0.5 };
  return { lo: range.min, hi: range.max };
}

/**
 * Writes an image raster into `out` (RGBA, width·height·4). Grey is replicated to RGB; an alpha channel of deeper
 * data is scaled to its type's full range. NaN samples are drawn transparent.
 */
export function imageToRgba(
  r: RasterPayload,
  range: ValueRange,
  out: Uint8ClampedArray,
  window: { lo: number; hi: number } = displayWindow(r.dtype, range),
): void {
  const src = samplesOf(r);
  const n = r.width * r.height;
  const c = r.channels;
  const { lo, hi } = window.hi > window.lo ? window : { lo: window.lo - 0.5, hi: window.lo + 0.5 };
  if (src instanceof Uint8Array && lo === 0 && hi === 255) {
    // 8-bit data shown as stored (the usual photo or scan): the samples are the colours, no arithmetic needed.
    storedBytesToRgba(src, n, c, out);
    return;
  }
  const scale = 255 / (hi - lo);
  const alphaScale = r.dtype === 'uint16' ? 255 / 65535 : r.dtype === 'float32' ? 255 : 1;
  for (let i = 0; i < n; i++) {
    const p = i * c;
    const o = i * 4;
    if (c === 1 || c === 2) {
      const v = src[p];
      const g = (v - lo) * scale; // Uint8ClampedArray rounds and clamps
      out[o] = g;
      out[o + 1] = g;
      out[o + 2] = g;
      out[o + 3] = v === v ? (c === 2 ? src[p + 1] * alphaScale : 255) : 0;
    } else {
      out[o] = (src[p] - lo) * scale;
      out[o + 1] = (src[p + 1] - lo) * scale;
      out[o + 2] = (src[p + 2] - lo) * scale;
      out[o + 3] = c === 4 ? src[p + 3] * alphaScale : 255;
    }
  }
}

/** 8-bit samples shown as stored, into RGBA: grey replicated, alpha as stored or opaque. */
function storedBytesToRgba(src: Uint8Array, n: number, c: number, out: Uint8ClampedArray): void {
  if (c === 4) {
    out.set(src.subarray(0, n * 4));
    return;
  }
  for (let i = 0, p = 0, o = 0; i < n; i++, p += c, o += 4) {
    if (c === 3) {
      out[o] = src[p];
      out[o + 1] = src[p + 1];
      out[o + 2] = src[p + 2];
      out[o + 3] = 255;
    } else {
      const g = src[p];
      out[o] = g;
      out[o + 1] = g;
      out[o + 2] = g;
      out[o + 3] = c === 2 ? src[p + 1] : 255;
    }
  }
}

/** Above this many samples the percentiles come from an even subsample (exact enough for a display window). */
const MAX_PERCENTILE_SAMPLES = 1 << 20;

/**
 * The window between two quantiles (default the 1st and 99th percentile) of an image's finite samples, over all
 * colour channels but not alpha. 8- and 16-bit data are counted exactly in a histogram; other types use a sorted
 * copy, subsampled evenly above 2^20 samples. Quantile q is the smallest value with at least q of the samples at
 * or below it.
 */
export function percentileWindow(r: RasterPayload, qLo = 0.01, qHi = 0.99): { lo: number; hi: number } {
  const src = samplesOf(r);
  const c = r.channels;
  const colour = c === 2 || c === 4 ? c - 1 : c;
  const n = r.width * r.height;
  if (src instanceof Uint8Array || src instanceof Uint16Array) {
    const hist = new Float64Array(src instanceof Uint8Array ? 256 : 65536);
    for (let i = 0; i < n; i++) for (let k = 0; k < colour; k++) hist[src[i * c + k]]++;
    const total = n * colour;
    const at = (q: number) => {
      const target = Math.max(1, Math.ceil(q * total));
      let acc = 0;
      for (let v = 0; v < hist.length; v++) {
        acc += hist[v];
        if (acc >= target) return v;
      }
      return hist.length - 1;
    };
    return { lo: at(qLo), hi: at(qHi) };
  }
  const step = Math.max(1, Math.ceil((n * colour) / MAX_PERCENTILE_SAMPLES));
  const values: number[] = [];
  for (let j = 0; j < n * colour; j += step) {
    const v = src[Math.floor(j / colour) * c + (j % colour)];
    if (Number.isFinite(v)) values.push(v);
  }
  if (values.length === 0) return { lo: 0, hi: 1 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { lo: at(qLo), hi: at(qHi) };
}

/** Size of a dense label LUT covering `classes` (largest + 1), or 0 when a dense table would be unreasonable. */
export function lutSize(classes: readonly number[]): number {
  const max = classes.length ? classes[classes.length - 1] : 0;
  return max < 1 << 20 ? max + 1 : 0;
}

/**
 * Writes a label raster as a coloured overlay into `out` (RGBA). Label 0 and hidden classes are transparent.
 * 'fill' paints every labelled pixel; 'contour' only pixels whose 4-neighbour (or the image border) differs, so
 * the structure under the mask stays visible.
 */
export function labelsToRgba(
  r: RasterPayload,
  classes: readonly number[],
  palette: readonly Rgb[] | undefined,
  mode: 'fill' | 'contour',
  out: Uint8ClampedArray,
  hiddenClasses: ReadonlySet<number> = new Set(),
  overrides?: ColourOverrides,
): void {
  const labels = samplesOf(r);
  const size = lutSize(classes);
  const shown = classes.filter((k) => !hiddenClasses.has(k));
  const lut = buildLut(shown, palette, Math.max(size, 1), overrides);
  const { width: w, height: h } = r;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const k = labels[i];
      const o = i * 4;
      if (k <= 0 || k >= size) {
        out[o + 3] = 0;
        continue;
      }
      let draw = true;
      if (mode === 'contour') {
        draw =
          x === 0 ||
          y === 0 ||
          x === w - 1 ||
          y === h - 1 ||
          labels[i - 1] !== k ||
          labels[i + 1] !== k ||
          labels[i - w] !== k ||
          labels[i + w] !== k;
      }
      const l = k * 4;
      out[o] = lut[l];
      out[o + 1] = lut[l + 1];
      out[o + 2] = lut[l + 2];
      out[o + 3] = draw ? lut[l + 3] : 0;
    }
  }
}

/** Why a raster cannot be drawn (a buffer that does not match its header), or undefined when it is sound. */
export function rasterProblem(r: RasterPayload): string | undefined {
  const okDims =
    Number.isInteger(r.width) &&
    Number.isInteger(r.height) &&
    r.width > 0 &&
    r.height > 0 &&
    [1, 2, 3, 4].includes(r.channels);
  if (!okDims) return `invalid raster size ${r.width}×${r.height}×${r.channels}`;
  if (
    !(r.pixels instanceof ArrayBuffer) &&
    Object.prototype.toString.call(r.pixels) !== '[object ArrayBuffer]'
  ) {
    return 'pixels are not an ArrayBuffer';
  }
  const expected = rasterByteLength(r);
  if (r.pixels.byteLength !== expected)
    return `pixel buffer has ${r.pixels.byteLength} bytes, expected ${expected}`;
  return undefined;
}

/**
 * Writes a probability map (one float per pixel in [0, 1]) as a heatmap into `out`: colour from the colour map,
 * alpha equal to the probability, so confident regions stand out and near-zero background leaves the image
 * visible. Values are clamped to [0, 1]; NaN is transparent. A map that crossed as its heatmap levels
 * (`heatmapLevels`, src/protocol/viewerWire.ts) holds the level round(255·p) of each pixel, drawn the same way.
 */
export function probToRgba(r: RasterPayload, lut: Uint8Array, out: Uint8ClampedArray): void {
  const p = samplesOf(r);
  const n = r.width * r.height;
  if (r.heatmapLevels) {
    for (let i = 0; i < n; i++) {
      const k = p[i];
      const o = i * 4;
      out[o] = lut[k * 3];
      out[o + 1] = lut[k * 3 + 1];
      out[o + 2] = lut[k * 3 + 2];
      out[o + 3] = k;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = p[i];
    const o = i * 4;
    if (!(v === v)) {
      out[o + 3] = 0;
      continue;
    }
    const k = Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255);
    out[o] = lut[k * 3];
    out[o + 1] = lut[k * 3 + 1];
    out[o + 2] = lut[k * 3 + 2];
    out[o + 3] = k;
  }
}
