/**
 * The image tensor in the element type the model's input declares: float32 as prepared, float16 as IEEE half
 * bits (onnxruntime takes a Uint16Array for float16), uint8 rounded to the nearest integer. A uint8 input holds
 * 0–255, so prepared values outside that range (a normalisation meant for a float input) are refused rather than
 * clipped into a different picture.
 */
import { InputError } from '../errors';
import type { InputType } from './config';

export type InputTensorData = Float32Array | Uint16Array | Uint8Array;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float16 bits of `v` (round to nearest even; overflow to ±Infinity; NaN kept; subnormals handled). */
export function floatToHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    // Subnormal half: shift the mantissa (with its implicit 1) right, rounding to nearest even.
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && (m & 1) === 1)) m++;
    return sign | m;
  }
  const rest = mant & 0x1fff;
  let m = mant >>> 13;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1) === 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 31) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/** Converts prepared float32 values to `type`; `source` names the image in the refusal. */
export function toInputTensor(
  data: Float32Array,
  type: InputType,
  inputName: string,
  source: string,
): InputTensorData {
  if (type === 'float32') return data;
  if (type === 'float16') {
    const out = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = floatToHalfBits(data[i]);
    return out;
  }
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = Math.round(data[i]);
    if (!(v >= 0 && v <= 255)) {
      throw new InputError(
        `input "${inputName}" is uint8, but the prepared value ${data[i]} lies outside 0–255; a uint8 model takes ` +
          'pixels as they are: remove "mean"/"std"/"scale" (the default "inputRange" for uint8 is 255)',
        source,
      );
    }
    out[i] = v;
  }
  return out;
}
