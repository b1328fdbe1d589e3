/**
 * Probability maps through the core (layout detection, logits refused unless converted explicitly), reduced to one
 * displayable map per sample.
 */
import { isLogitsMessage, stageLogitsMessage } from '../../core/viewmodel/logitsHint';
import { InputError } from '../../core/errors';
import { readNpyHeader } from '../../core/io/npy';
import { loadProbMap } from '../../core/io/load';
import { detectProbLayout, detectValueKind, logitsToProbabilities } from '../../core/io/probMap';
import type { ProbMap } from '../../core/types';
import { fromSharp } from './decodeSharp';
import { DecodeOptions, noSuchChannel, tooLarge } from './options';
import { Raster, valueRange } from './raster';
/** Channels of a probability map are at most this many when its layout is guessed for the pixel check. */
const MAX_PROB_CHANNELS = 256;

/**
 * Reads a probability map through the core (layout detection, logits refused unless converted explicitly) and
 * reduces it to one displayable map: the probability itself for one channel; for a softmax map (channels sum to 1,
 * class 0 = background) the probability of any foreground class, 1 − p(class 0); for independent per-class
 * (sigmoid) channels, which need not sum to 1 and usually leave background out, the largest class probability.
 * NumPy files are checked against the pixel limit from their header; float TIFFs go through sharp like images and
 * get the same value checks.
 */
/**
 * The core loader, with its logits refusal worded for the viewer: the core's message is shared with the CLI and may
 * name CLI flags, which mean nothing here; the viewer says where its conversion is offered instead.
 */
function loadForViewer(bytes: Uint8Array, options: Parameters<typeof loadProbMap>[1]): ProbMap {
  const chosen = options.logits;
  try {
    if (chosen === 'sigmoid' || chosen === 'softmax') {
      // The user said these are logits: converted even when every value happens to lie in [0, 1].
      try {
        return logitsToProbabilities(loadProbMap(bytes, { ...options, logits: 'error' }), chosen);
      } catch (e) {
        if (!(e instanceof InputError) || !isLogitsMessage(e.message)) throw e;
      }
    }
    return loadProbMap(bytes, options);
  } catch (e) {
    if (!(e instanceof InputError) || !isLogitsMessage(e.message)) throw e;
    const prefix = options.source ? `${options.source}: ` : '';
    const text = stageLogitsMessage(e.message);
    throw new InputError(text.startsWith(prefix) ? text.slice(prefix.length) : text, options.source);
  }
}

/** A NumPy probability map, checked against the pixel limit from its header before the data is read. */
export async function probFromNpy(bytes: Uint8Array, o: DecodeOptions): Promise<Raster> {
  const header = readNpyHeader(bytes, { source: o.source });
  const layout = detectProbLayout(header.shape, { source: o.source });
  const [h, w] = layout.spatial;
  if (h * w > o.maxPixels) throw tooLarge(w, h, o.maxPixels, o.source, o.limitHint);
  return displayProbability(loadForViewer(bytes, { source: o.source, logits: o.logits }), 'npy', o);
}

/** One array of an .npz archive as a probability map. */
export async function probFromNpz(bytes: Uint8Array, o: DecodeOptions): Promise<Raster> {
  const prob = loadForViewer(bytes, {
    source: o.source,
    maxElements: o.maxPixels * MAX_PROB_CHANNELS,
    logits: o.logits,
  });
  return displayProbability(prob, 'npz', o);
}

/** A float TIFF through sharp like an image, with the value checks of the NumPy maps. */
export async function probFromTiff(bytes: Uint8Array, o: DecodeOptions): Promise<Raster> {
  const r = await fromSharp(bytes, 'tiff', { ...o, role: 'image' });
  if (!(r.data instanceof Float32Array)) {
    throw new InputError(`a probability map must hold floats; this TIFF holds ${r.sourceDtype}`, o.source);
  }
  const { kind, min, max } = detectValueKind(r.data);
  if (kind === 'invalid')
    throw new InputError('the probability map contains NaN or infinite values', o.source);
  if (o.logits) {
    const prob = logitsToProbabilities({ data: r.data, shape: [1, r.height, r.width] }, o.logits);
    return displayProbability(prob, 'tiff', o);
  }
  if (kind === 'logits') {
    throw new InputError(
      `values range over [${min}, ${max}], outside [0, 1]: these look like logits`,
      o.source,
    );
  }
  return displayProbability({ data: r.data, shape: [1, r.height, r.width] }, 'tiff', o);
}

/** Reduces a channel-first probability map to the one displayable map described above. */
export function displayProbability(prob: ProbMap, format: string, o: DecodeOptions): Raster {
  const [c, height, width] = prob.shape;
  if (height * width > o.maxPixels) throw tooLarge(width, height, o.maxPixels, o.source, o.limitHint);
  const n = height * width;
  let data: Float32Array;
  const notes: string[] = [];
  if (o.logits) notes.push(`Converted from logits with ${o.logits}, as you chose for this file.`);
  if (o.channel !== undefined) {
    if (o.channel >= c) throw noSuchChannel(o.channel, c, o.source);
    data = prob.data.slice(o.channel * n, (o.channel + 1) * n);
    notes.push(`Showing channel ${o.channel} of ${c}, as you chose for this file.`);
  } else if (c === 1) {
    data = prob.data.length === n ? prob.data : prob.data.slice(0, n);
  } else if (sumsToOne(prob.data, c, n)) {
    data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = 1 - prob.data[i];
    notes.push(`Showing the probability of any foreground class, 1 − p(class 0), of ${c} softmax channels.`);
  } else {
    data = prob.data.slice(0, n);
    for (let k = 1; k < c; k++) {
      const off = k * n;
      for (let i = 0; i < n; i++) if (prob.data[off + i] > data[i]) data[i] = prob.data[off + i];
    }
    notes.push(
      `Showing the largest of ${c} per-class (sigmoid) probabilities; the channels do not sum to 1.`,
    );
  }
  return {
    width,
    height,
    channels: 1,
    dtype: 'float32',
    data,
    format,
    sourceDtype: `probabilities [${prob.shape.join(', ')}]`,
    range: valueRange(data),
    notes,
    ...(c > 1 ? { fileChannels: c } : {}),
  };
}

/**
 * Whether the C channels sum to 1 at every pixel (a softmax output), within float32 rounding. A multi-label
 * (sigmoid) map fails this at the first pixel where two classes are both likely or all are unlikely.
 */
function sumsToOne(data: Float32Array, c: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += data[k * n + i];
    if (Math.abs(s - 1) > 1e-3) return false;
  }
  return true;
}
