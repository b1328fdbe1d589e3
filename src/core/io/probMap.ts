/**
 * Probability-map layout detection and conversion to the core's channel-first ProbMap (docs/architecture.md §3), plus logits
 * detection. Layouts: [H, W] (binary), [C, H, W], [H, W, C], [1, C, H, W] and [1, H, W, C]; an explicit override
 * wins over the guess, and an ambiguous shape without override is an error rather than a coin toss.
 */
import { InputError } from '../errors';
import { NDArray, toFloat32 } from '../ndarray';
import { ProbMap } from '../types';
import { markVerifiedProbabilities } from '../verifiedProbabilities';

export type ProbLayout = 'HW' | 'CHW' | 'HWC' | 'NCHW' | 'NHWC';

export interface ProbLayoutResult {
  layout: ProbLayout;
  /** Number of channels C (1 for [H, W]). */
  channels: number;
  /** Spatial shape ([H, W], or [D, H, W] when detected against a 3-D label map). */
  spatial: number[];
  /** How the layout was decided, for the UI ("override", "numClasses", "shape"). */
  reason: 'override' | 'numClasses' | 'shape';
}

/** Channel counts above this are not taken for a channel axis when guessing from the shape alone. */
const MAX_GUESSED_CHANNELS = 64;

function result(
  layout: ProbLayout,
  shape: readonly number[],
  reason: ProbLayoutResult['reason'],
): ProbLayoutResult {
  switch (layout) {
    case 'HW':
      return { layout, channels: 1, spatial: [shape[0], shape[1]], reason };
    case 'CHW':
      return { layout, channels: shape[0], spatial: [shape[1], shape[2]], reason };
    case 'HWC':
      return { layout, channels: shape[2], spatial: [shape[0], shape[1]], reason };
    case 'NCHW':
      return { layout, channels: shape[1], spatial: [shape[2], shape[3]], reason };
    case 'NHWC':
      return { layout, channels: shape[3], spatial: [shape[1], shape[2]], reason };
  }
}

const RANK: Record<ProbLayout, number> = { HW: 2, CHW: 3, HWC: 3, NCHW: 4, NHWC: 4 };

/**
 * Decides the layout of a probability array from its shape.
 * @param shape the array shape; @param options.numClasses the expected channel count (1 is also accepted for a
 *   binary task), used to disambiguate; @param options.override an explicit layout (checked against the rank).
 * @throws InputError when the shape fits no layout, the batch size is not 1, or the layout is ambiguous.
 */
export function detectProbLayout(
  shape: readonly number[],
  options: { numClasses?: number; override?: ProbLayout; source?: string; spatial?: readonly number[] } = {},
): ProbLayoutResult {
  const source = options.source ?? 'probability map';
  const s = shape;
  if (options.spatial)
    return layoutForSpatial(s, options.spatial, options.numClasses, options.override, source);
  if (options.override) {
    if (RANK[options.override] !== s.length) {
      throw new InputError(
        `layout ${options.override} does not fit an array of shape [${s.join(', ')}]`,
        source,
      );
    }
    if (s.length === 4 && s[0] !== 1)
      throw new InputError(`batch size ${s[0]} (only one image per file)`, source);
    return result(options.override, s, 'override');
  }
  if (s.length === 2) return result('HW', s, 'shape');
  if (s.length === 4) {
    if (s[0] !== 1)
      throw new InputError(`batch of ${s[0]} maps in shape [${s.join(', ')}]; expected batch size 1`, source);
    const inner = detectProbLayout(s.slice(1), { numClasses: options.numClasses, source });
    return { ...inner, layout: inner.layout === 'CHW' ? 'NCHW' : 'NHWC' };
  }
  if (s.length !== 3) {
    throw new InputError(
      `shape [${s.join(', ')}] is not [H, W], [C, H, W], [H, W, C] or [1, C, H, W]`,
      source,
    );
  }
  const k = options.numClasses;
  if (k !== undefined) {
    // C = numClasses (softmax), 1 (binary sigmoid) or numClasses − 1 (multi-label sigmoid, foreground only).
    const fits = (d: number): boolean => d === k || (k === 2 && d === 1) || (k > 2 && d === k - 1);
    const first = fits(s[0]);
    const last = fits(s[2]);
    if (first && !last) return result('CHW', s, 'numClasses');
    if (last && !first) return result('HWC', s, 'numClasses');
    if (first && last) {
      throw new InputError(
        `shape [${s.join(', ')}] is ambiguous ([C, H, W] or [H, W, C] with C = ${k}); set the layout explicitly`,
        source,
      );
    }
    throw new InputError(
      `shape [${s.join(', ')}] has no axis of ${k} classes (or ${k === 2 ? 1 : k - 1} channels) at either end`,
      source,
    );
  }
  const firstOk = s[0] <= MAX_GUESSED_CHANNELS && s[0] < s[1] && s[0] < s[2];
  const lastOk = s[2] <= MAX_GUESSED_CHANNELS && s[2] < s[0] && s[2] < s[1];
  if (firstOk && !lastOk) return result('CHW', s, 'shape');
  if (lastOk && !firstOk) return result('HWC', s, 'shape');
  throw new InputError(
    `cannot tell the channel axis of shape [${s.join(', ')}]; set the layout explicitly`,
    source,
  );
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Layout by matching the known spatial shape (that of the label map): exact for 2-D and 3-D alike, and it only
 * needs numClasses when the channel axis could be at either end (e.g. a [4, 64, 4] map for a [64, 4] mask).
 * Here "H, W" in the layout names stand for all spatial axes.
 */
function layoutForSpatial(
  s: readonly number[],
  spatial: readonly number[],
  numClasses: number | undefined,
  override: ProbLayout | undefined,
  source: string,
): ProbLayoutResult {
  const r = spatial.length;
  const mk = (layout: ProbLayout, channels: number): ProbLayoutResult => ({
    layout,
    channels,
    spatial: [...spatial],
    reason: override ? 'override' : 'shape',
  });
  const fits = (c: number): boolean =>
    numClasses === undefined || c === numClasses || c === 1 || (numClasses > 2 && c === numClasses - 1);
  const candidates: ProbLayoutResult[] = [];
  if (sameShape(s, spatial)) candidates.push(mk('HW', 1));
  if (s.length === r + 1) {
    if (sameShape(s.slice(1), spatial) && fits(s[0])) candidates.push(mk('CHW', s[0]));
    if (sameShape(s.slice(0, r), spatial) && fits(s[r])) candidates.push(mk('HWC', s[r]));
  }
  if (s.length === r + 2 && s[0] === 1) {
    if (sameShape(s.slice(2), spatial) && fits(s[1])) candidates.push(mk('NCHW', s[1]));
    if (sameShape(s.slice(1, r + 1), spatial) && fits(s[r + 1])) candidates.push(mk('NHWC', s[r + 1]));
  }
  const chosen = override ? candidates.filter((c) => c.layout === override) : candidates;
  if (chosen.length === 1) return chosen[0];
  if (chosen.length === 0) {
    throw new InputError(
      `shape [${s.join(', ')}] does not fit the label map's [${spatial.join(', ')}]` +
        (override ? ` as ${override}` : '') +
        (numClasses !== undefined ? ` with ${numClasses} classes` : ''),
      source,
    );
  }
  throw new InputError(
    `shape [${s.join(', ')}] is ambiguous (${chosen.map((c) => c.layout).join(' or ')}); set the layout explicitly`,
    source,
  );
}

/** Converts an array in a detected layout into a channel-first float32 ProbMap (copying only when needed). */
export function toProbMap(arr: NDArray, layout: ProbLayoutResult): ProbMap {
  const data = toFloat32(arr);
  const C = layout.channels;
  const spatial = layout.spatial;
  if (layout.layout === 'HW') return { data, shape: [1, ...spatial] };
  if (layout.layout === 'CHW' || layout.layout === 'NCHW') return { data, shape: [C, ...spatial] };
  const n = spatial.reduce((a, b) => a * b, 1);
  const out = new Float32Array(C * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) out[c * n + i] = data[i * C + c];
  return { data: out, shape: [C, ...spatial] };
}

export type ValueKind = 'probabilities' | 'logits' | 'invalid';

/**
 * Classifies the values of a map: all finite and in [0, 1] → probabilities; finite but some outside → logits
 * (converted only with the user's consent, docs/architecture.md §3); any NaN or ±∞ → invalid.
 */
export function detectValueKind(data: ArrayLike<number>): {
  kind: ValueKind;
  min: number;
  max: number;
  /** Some value is −0 (only meaningful for kind 'probabilities'). */
  negativeZero: boolean;
} {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let negativeZero = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v || v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)
      return { kind: 'invalid', min: v, max: v, negativeZero };
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0 && 1 / v < 0) negativeZero = true;
  }
  return { kind: min >= 0 && max <= 1 ? 'probabilities' : 'logits', min, max, negativeZero };
}

/**
 * Converts logits to probabilities: "sigmoid" element-wise (binary / multi-label), "softmax" over the channel axis
 * (computed in float64 with the max subtracted, so large logits do not overflow).
 */
export function logitsToProbabilities(logits: ProbMap, method: 'sigmoid' | 'softmax'): ProbMap {
  const d = logits.data;
  const out = new Float32Array(d.length);
  if (method === 'sigmoid') {
    for (let i = 0; i < d.length; i++) out[i] = 1 / (1 + Math.exp(-d[i]));
    return verifiedIfInRange({ data: out, shape: logits.shape });
  }
  const C = logits.shape[0];
  const n = d.length / C;
  for (let i = 0; i < n; i++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) m = Math.max(m, d[c * n + i]);
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(d[c * n + i] - m);
    for (let c = 0; c < C; c++) out[c * n + i] = Math.exp(d[c * n + i] - m) / s;
  }
  return verifiedIfInRange({ data: out, shape: logits.shape });
}

/**
 * Marks a converted map verified (./verifiedProbabilities) after one check: finite logits always give values in
 * [0, 1] without −0, but NaN or ±∞ logits (a caller that skipped detectValueKind) would not.
 */
function verifiedIfInRange(map: ProbMap): ProbMap {
  const d = map.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (!(v >= 0 && v <= 1) || (v === 0 && 1 / v < 0)) return map;
  }
  markVerifiedProbabilities(d);
  return map;
}
