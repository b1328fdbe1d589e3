/**
 * Validation and shape normalisation of decoder inputs. Every decoder sees [B, C, N] (N = product of the
 * spatial axes, row-major), values checked to be finite probabilities in [0, 1].
 */
import { InputError, OptionError } from '../errors';
import { InputTransform, ProbInput } from './primitives';
import { isVerifiedProbabilities } from '../verifiedProbabilities';

/** A validated probability map, flattened to [B, C, N]. */
export interface NormalizedInput {
  data: Float32Array | Float64Array;
  batch: number;
  classes: number;
  /** Pixels per (image, class). */
  pixels: number;
  spatial: number[];
  /** [B, C, ...spatial] */
  shape: number[];
}

/**
 * Interprets [H, W] as one image of one class, [C, H, W] as one image of C classes, and anything of rank
 * ≥ 4 as [B, C, ...spatial]. Rank 3 is therefore never a batch of binary maps: callers with [B, H, W]
 * sigmoid maps must add the class axis themselves, which keeps the meaning of axis 0 unambiguous.
 */
export function normalizeShape(shape: readonly number[], source: string): number[] {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw new InputError(`invalid shape [${shape.join(', ')}]`, source);
  }
  if (shape.length < 2) {
    throw new InputError(
      `probability map must have rank 2 ([H,W]), 3 ([C,H,W]) or ≥ 4 ([B,C,...spatial]); got shape [${shape.join(', ')}]`,
      source,
    );
  }
  const full = shape.length === 2 ? [1, 1, ...shape] : shape.length === 3 ? [1, ...shape] : [...shape];
  if (full[0] === 0) throw new InputError('the batch axis is empty (B = 0)', source);
  if (full[1] === 0) throw new InputError('the class axis is empty (C = 0)', source);
  if (full.slice(2).some((s) => s === 0)) {
    throw new InputError(`the image is empty (spatial shape [${full.slice(2).join(', ')}])`, source);
  }
  return full;
}

/**
 * Checks the values (finite, in [0, 1]) or applies the requested transform. Logits are refused unless the
 * caller asks for sigmoid/softmax explicitly, because silently squashing would hide a wiring mistake.
 */
export function normalizeInput(
  input: ProbInput,
  transform: InputTransform = 'none',
  source = 'probabilities',
): NormalizedInput {
  const shape = normalizeShape(input.shape, source);
  const [batch, classes] = shape;
  const spatial = shape.slice(2);
  let pixels = 1;
  for (const s of spatial) pixels *= s;
  const n = batch * classes * pixels;
  if (input.data.length !== n) {
    throw new InputError(
      `data has ${input.data.length} values but shape [${input.shape.join(', ')}] needs ${n}`,
      source,
    );
  }
  let data = input.data;
  if (transform === 'sigmoid') data = sigmoid(data, source);
  else if (transform === 'softmax') data = softmax(data, batch, classes, pixels, source);
  else if (transform !== 'none')
    throw new OptionError('transform', transform, "'none' | 'sigmoid' | 'softmax'");
  else data = checkedProbabilities(data, source);
  return { data, batch, classes, pixels, spatial, shape };
}

/** Returns `data` if every value is a probability (a +0 copy when it holds −0); throws InputError otherwise. */
export function checkedProbabilities<T extends Float32Array | Float64Array>(
  data: T,
  source: string,
): T | Float64Array {
  // A map its loader checked value by value (finite, in [0, 1], no −0) needs no second pass.
  if (isVerifiedProbabilities(data)) return data;
  return checkProbabilities(data, source) ? Float64Array.from(data, (v) => v + 0) : data;
}

/**
 * Throws on anything that is not a probability. Returns true when the data holds −0, which the ranking's
 * bit-pattern sort would otherwise place above 1; the caller then copies the data with −0 turned into +0.
 */
function checkProbabilities(data: Float32Array | Float64Array, source: string): boolean {
  let negativeZero = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // The negated test also catches NaN, which fails every comparison.
    if (!(v >= 0 && v <= 1)) {
      const what = Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? String(v) : `value ${v} outside [0, 1]`;
      throw new InputError(
        `${what} at flat index ${i}: decoders need probabilities. If these are logits, apply sigmoid ` +
          `(binary/multilabel) or softmax (over classes) first, or pass transform 'sigmoid' / 'softmax'.`,
        source,
      );
    }
    if (v === 0 && 1 / v < 0) negativeZero = true;
  }
  return negativeZero;
}

function checkFinite(data: Float32Array | Float64Array, source: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new InputError(`${data[i]} at flat index ${i}`, source);
  }
}

function sigmoid(data: Float32Array | Float64Array, source: string): Float64Array {
  checkFinite(data, source);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    // Two branches keep exp() from overflowing for large |x|.
    out[i] = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }
  return out;
}

function softmax(
  data: Float32Array | Float64Array,
  batch: number,
  classes: number,
  pixels: number,
  source: string,
): Float64Array {
  checkFinite(data, source);
  const out = new Float64Array(data.length);
  for (let b = 0; b < batch; b++) {
    const base = b * classes * pixels;
    for (let j = 0; j < pixels; j++) {
      let m = -Infinity;
      for (let c = 0; c < classes; c++) m = Math.max(m, data[base + c * pixels + j]);
      let s = 0;
      for (let c = 0; c < classes; c++) {
        const e = Math.exp(data[base + c * pixels + j] - m);
        out[base + c * pixels + j] = e;
        s += e;
      }
      for (let c = 0; c < classes; c++) out[base + c * pixels + j] /= s;
    }
  }
  return out;
}
