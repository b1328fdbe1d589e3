/**
 * Probability maps through the core (layout detection, logits refused unless converted explicitly), reduced to one
 * displayable map per sample.
 */
import { InputError } from '../../core/errors';
import { readNpyHeader } from '../../core/io/npy';
import { loadProbMap } from '../../core/io/load';
import { detectProbLayout, detectValueKind } from '../../core/io/probMap';
import type { ProbMap } from '../../core/types';
import { fromSharp } from './decodeSharp';
import { DecodeOptions, FileFormat, tooLarge } from './format';
import { Raster, valueRange } from './raster';
/** Channels of a probability map are at most this many when its layout is guessed for the pixel check. */
const MAX_PROB_CHANNELS = 256;

/**
 * Reads a probability map through the core (layout detection, logits refused unless converted explicitly) and
 * reduces it to one displayable map: the probability itself for one channel, otherwise the probability of any
 * foreground class, 1 − p(class 0). NumPy files are checked against the pixel limit from their header; float
 * TIFFs go through sharp like images and get the same value checks.
 */
export async function fromProbabilities(
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
