/**
 * Turns a raw model output into a ProbMap [C, H, W] at the original image size: find the class and spatial axes,
 * crop the content rectangle and resample it back (the exact inverse of the preprocessing placement), apply the
 * activation on the class axis, and refuse outputs that are not maps, contain NaN/Infinity, or are out of
 * [0, 1] without an activation.
 *
 * Resampling happens before the activation (logits are interpolated, as in mmsegmentation and most training
 * code), so a sigmoid/softmax map stays a proper probability map after the resize.
 */
import { InputError } from '../errors';
import { ProbMap } from '../types';
import { sigmoidInPlace, softmaxInPlace } from './activation';
import { resampleBilinear } from './bilinear';
import { ResolvedModelConfig } from './config';
import { ResizeGeometry, outputContent } from './geometry';
import { PROBABILITY_NAME } from './resolve';

export interface RawOutput {
  data: Float32Array | Float64Array;
  dims: readonly number[];
}

/** How a raw output's flat array is addressed: class count, spatial size and strides. */
export interface OutputLayout {
  channels: number;
  height: number;
  width: number;
  channelStride: number;
  rowStride: number;
  pixelStride: number;
  /** A readable description, e.g. "[N, C, H, W]". */
  axes: string;
}

export interface ProbMapResult {
  prob: ProbMap;
  /** One name per channel: the config's, or generated ("foreground" for one channel, "class i" otherwise). */
  classes: string[];
}

/** Values this far outside [0, 1] are still taken as probabilities (float rounding in the model), then clamped. */
const RANGE_SLACK = 1e-4;

/**
 * Finds the class and spatial axes of an output. Candidates are tried in order and the first whose spatial size is
 * proportional to the model input (same factor on both axes, within 25 %, and more than one pixel each way) wins;
 * that test is what tells a map from a classifier's [1, 1000] or a pooled [1, C, 1, 1].
 */
export function interpretOutput(
  dims: readonly number[],
  layout: ResolvedModelConfig['layout'],
  inHeight: number,
  inWidth: number,
  outputName: string,
  modelSource: string,
): OutputLayout {
  const candidates: OutputLayout[] = [];
  const planar = (c: number, h: number, w: number, axes: string): OutputLayout => ({
    channels: c,
    height: h,
    width: w,
    channelStride: h * w,
    rowStride: w,
    pixelStride: 1,
    axes,
  });
  const interleaved = (c: number, h: number, w: number, axes: string): OutputLayout => ({
    channels: c,
    height: h,
    width: w,
    channelStride: 1,
    rowStride: w * c,
    pixelStride: c,
    axes,
  });
  const shape = `[${dims.join(', ')}]`;
  if (dims.length === 4) {
    if (dims[0] !== 1) {
      throw new InputError(`output "${outputName}" ${shape} has batch ${dims[0]}, expected 1`, modelSource);
    }
    if (layout === 'NCHW') candidates.push(planar(dims[1], dims[2], dims[3], '[N, C, H, W]'));
    else candidates.push(interleaved(dims[3], dims[1], dims[2], '[N, H, W, C]'));
  } else if (dims.length === 3) {
    if (layout === 'NCHW') candidates.push(planar(dims[0], dims[1], dims[2], '[C, H, W]'));
    else {
      candidates.push(interleaved(dims[2], dims[0], dims[1], '[H, W, C]'));
      if (dims[0] === 1) candidates.push(planar(1, dims[1], dims[2], '[N, H, W]'));
    }
  } else if (dims.length === 2) {
    candidates.push(planar(1, dims[0], dims[1], '[H, W]'));
  }
  for (const c of candidates) {
    if (c.channels >= 1 && isMapLike(c.height, c.width, inHeight, inWidth)) return c;
  }
  throw new InputError(
    `output "${outputName}" has shape ${shape}, which is not a segmentation map for an input of ` +
      `${inHeight}×${inWidth} (expected [N, C, H, W], [N, H, W, C], [N, H, W] or [H, W] with H, W proportional ` +
      `to the input)`,
    modelSource,
  );
}

function isMapLike(h: number, w: number, inH: number, inW: number): boolean {
  if (h < 1 || w < 1) return false;
  if ((h === 1 && inH > 1) || (w === 1 && inW > 1)) return false;
  const ry = h / inH;
  const rx = w / inW;
  return Math.abs(ry - rx) <= 0.25 * Math.max(ry, rx);
}

/**
 * Converts `output` to a ProbMap at the original image size described by `geometry`, with the activation done
 * here in JavaScript. `modelSource` names the model in error messages.
 */
export function toProbMap(
  output: RawOutput,
  config: ResolvedModelConfig,
  geometry: ResizeGeometry,
  modelSource: string,
): ProbMapResult {
  const mapped = resampleToImage(output, config, geometry, modelSource);
  const [C, H, W] = mapped.prob.shape;
  if (config.activation === 'sigmoid') sigmoidInPlace(mapped.prob.data);
  else if (config.activation === 'softmax') softmaxInPlace(mapped.prob.data, C, H * W);
  checkProbabilities(mapped.prob.data, C, H, W, config, modelSource);
  return mapped;
}

/**
 * The first half of toProbMap: checks the output against the config, then crops and resamples it to the original
 * image size, without the activation (the values are still logits when an activation is configured). The host
 * uses this to run the activation in onnxruntime, then calls checkProbabilities.
 */
export function resampleToImage(
  output: RawOutput,
  config: ResolvedModelConfig,
  geometry: ResizeGeometry,
  modelSource: string,
): ProbMapResult {
  const { dims, data } = output;
  let expected = 1;
  for (const d of dims) expected *= d;
  if (data.length !== expected) {
    throw new InputError(
      `output "${config.output}" has ${data.length} values for shape [${dims.join(', ')}]`,
      modelSource,
    );
  }
  const lay = interpretOutput(
    dims,
    config.layout,
    geometry.inHeight,
    geometry.inWidth,
    config.output,
    modelSource,
  );
  const C = lay.channels;
  if (config.classes && config.classes.length !== C) {
    throw new InputError(
      `the config lists ${config.classes.length} classes, but output "${config.output}" ` +
        `[${dims.join(', ')}] (${lay.axes}) has ${C} channel(s)`,
      modelSource,
    );
  }
  if (config.activation === 'softmax' && C === 1) {
    throw new InputError(
      `"activation": "softmax" on a 1-channel output gives 1 everywhere; use "sigmoid" for a binary map`,
      modelSource,
    );
  }
  const H = geometry.srcHeight;
  const W = geometry.srcWidth;
  const N = H * W;
  const out = new Float32Array(C * N);
  const strided = lay.height !== geometry.inHeight || lay.width !== geometry.inWidth;
  if (strided && config.strideMode === 'resize-then-crop') {
    // mmsegmentation's convention: the stride-s output is first resized to the whole (padded) input, then the
    // image's rectangle is cut out at input resolution — no rounding of the rectangle to whole output pixels.
    const { inHeight: IH, inWidth: IW } = geometry;
    const plane = new Float32Array(IH * IW);
    const whole = { top: 0, left: 0, height: lay.height, width: lay.width };
    for (let c = 0; c < C; c++) {
      resampleBilinear(
        { data, offset: c * lay.channelStride, rowStride: lay.rowStride, pixelStride: lay.pixelStride },
        whole,
        { data: plane, offset: 0, rowStride: IW, pixelStride: 1 },
        IH,
        IW,
      );
      resampleBilinear(
        { data: plane, offset: 0, rowStride: IW, pixelStride: 1 },
        geometry.content,
        { data: out, offset: c * N, rowStride: W, pixelStride: 1 },
        H,
        W,
      );
    }
  } else {
    const rect = outputContent(geometry, lay.height, lay.width);
    for (let c = 0; c < C; c++) {
      resampleBilinear(
        { data, offset: c * lay.channelStride, rowStride: lay.rowStride, pixelStride: lay.pixelStride },
        rect,
        { data: out, offset: c * N, rowStride: W, pixelStride: 1 },
        H,
        W,
      );
    }
  }
  if (config.activation !== 'none') refuseActivationOnProbabilities(out, C, config, modelSource);
  const classes =
    config.classes ?? (C === 1 ? ['foreground'] : Array.from({ length: C }, (_, i) => `class ${i}`));
  return { prob: { data: out, shape: [C, H, W] }, classes };
}

/**
 * Refuses an activation on an output that already holds probabilities (issue 14: PaddleOCR's detector ends in a
 * sigmoid, its output is named "sigmoid_0.tmp_0"). A sigmoid squeezes [0, 1] into [0.5, 0.731], so a 0.5
 * threshold marks every pixel; a softmax flattens the channels towards 1/C. Logits of a trained model span
 * negative values (a confident background), so a map wholly inside [0, 1] is taken as already activated.
 */
export function refuseActivationOnProbabilities(
  data: Float32Array,
  C: number,
  config: ResolvedModelConfig,
  modelSource: string,
): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // A NaN is left to the NaN check that follows, which names its pixel.
    if (v !== v) return;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min >= 0 && max <= 1)) return;
  const named = PROBABILITY_NAME.test(config.output) ? ` (and its name says so)` : '';
  const effect =
    config.activation === 'sigmoid'
      ? 'a sigmoid would squeeze it into [0.5, 0.731], so a 0.5 threshold would mark every pixel'
      : `a softmax would flatten its ${C} channels towards 1/${C}`;
  throw new InputError(
    `output "${config.output}" already holds probabilities: its values lie in [${min.toPrecision(4)}, ` +
      `${max.toPrecision(4)}]${named}; ${effect}. Set "activation": "none" in the model config`,
    modelSource,
  );
}

/**
 * Rejects NaN/Infinity (naming the first bad pixel) and, without an activation, values outside [0, 1], which are
 * logits the user has not told us how to convert (docs/architecture.md §3: converted only with consent or a setting).
 * Values within RANGE_SLACK of the range are clamped.
 */
export function checkProbabilities(
  data: Float32Array,
  C: number,
  H: number,
  W: number,
  config: ResolvedModelConfig,
  modelSource: string,
): void {
  let min = Infinity;
  let max = -Infinity;
  const n = data.length;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    // v − v is 0 for every finite value and NaN for NaN and ±Infinity: one test for both.
    if (v - v !== 0) throw invalidValue(v, i, H, W, config, modelSource);
    min = v < min ? v : min;
    max = v > max ? v : max;
  }
  if (min < -RANGE_SLACK || max > 1 + RANGE_SLACK) {
    const hint = C === 1 ? '"sigmoid"' : '"softmax" (or "sigmoid" for independent classes)';
    throw new InputError(
      `output "${config.output}" ranges over [${min.toPrecision(4)}, ${max.toPrecision(4)}], so it holds logits, ` +
        `not probabilities; set "activation": ${hint} in the model config`,
      modelSource,
    );
  }
  if (min < 0 || max > 1) {
    for (let i = 0; i < data.length; i++) data[i] = data[i] < 0 ? 0 : data[i] > 1 ? 1 : data[i];
  }
}

/**
 * Rejects NaN logits before an activation runs elsewhere (onnxruntime): a vectorised activation may clamp a NaN
 * to a finite value, which would hide a broken model behind plausible probabilities.
 */
export function assertNoNaN(
  data: Float32Array,
  H: number,
  W: number,
  config: ResolvedModelConfig,
  modelSource: string,
): void {
  const n = data.length;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (v !== v) throw invalidValue(v, i, H, W, { ...config, activation: 'none' }, modelSource);
  }
}

function invalidValue(
  v: number,
  i: number,
  H: number,
  W: number,
  config: ResolvedModelConfig,
  modelSource: string,
): InputError {
  const c = Math.floor(i / (H * W));
  const y = Math.floor((i % (H * W)) / W);
  const x = i % W;
  return new InputError(
    `output "${config.output}" contains ${v} (first at class ${c}, row ${y}, column ${x}` +
      `${config.activation !== 'none' ? `, after ${config.activation}` : ''}); the model produced invalid values`,
    modelSource,
  );
}
