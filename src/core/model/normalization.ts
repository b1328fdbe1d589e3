/**
 * The scale applied to an image's raw samples before mean/std, and the checks that catch a normalisation that
 * would feed the model a meaningless input while everything else looks fine (issue 14):
 *
 * - `"scale": 1/255` written for 8-bit pictures applied to a 16-bit image (full intensity → 257) — refused, with
 *   `"inputRange"` as the spelling that adapts to the bit depth;
 * - a float image already in [0, 1] divided by 255 again (full intensity → 0.0039) — refused;
 * - a mean in 0–255 units (123.675, the mmsegmentation convention) on pixels scaled to [0, 1] — refused: every
 *   input value becomes strongly negative and the map comes out empty;
 * - a mean in 0–1 units on pixels left in 0–255 — noted (some models really take raw 0–255 input).
 *
 * Whatever was not written in the config is said in a note, so the user can confirm the assumed values.
 */
import { InputError } from '../errors';
import type { ResolvedModelConfig } from './config';
import type { ModelImage } from './image';

export interface Normalization {
  /** Multiplies every raw sample before (v − mean) / std. */
  scale: number;
  /** What was assumed or applied, for the user to confirm. */
  notes: string[];
}

/** Relative tolerance when comparing a scale with 1/255, 1/65535 and their multiples. */
const TOL = 0.02;

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOL * Math.abs(b);
}

/** The largest finite absolute sample of a float image (0 for an image with no finite sample). */
function floatPeak(data: ModelImage['data']): number {
  let peak = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]);
    if (v > peak && v !== Infinity) peak = v;
  }
  return peak;
}

/** A readable scale: fractions of 255 and 65535 as such, other values with 4 significant digits. */
export function scaleText(s: number): string {
  if (Number.isInteger(s)) return String(s);
  for (const [d, name] of [
    [255, '255'],
    [65535, '65535'],
  ] as const) {
    const k = s * d;
    if (Math.abs(k - Math.round(k)) < 1e-9 && Math.round(k) >= 1 && Math.round(k) <= 255) {
      return Math.round(k) === 1 ? `1/${name}` : `${Math.round(k)}/${name}`;
    }
  }
  return Number(s.toPrecision(4)).toString();
}

function listText(v: readonly number[]): string {
  return `[${v.map((x) => Number(x.toPrecision(6))).join(', ')}]`;
}

/**
 * Chooses the scale for `image` under `config` and checks the combination with mean/std.
 * @throws InputError naming `source` (the image) when the input would be meaningless
 */
export function chooseNormalization(
  image: ModelImage,
  config: ResolvedModelConfig,
  source: string,
): Normalization {
  const notes: string[] = [];
  const d = image.data;
  const kind = d instanceof Uint8Array ? '8-bit' : d instanceof Uint16Array ? '16-bit' : 'float';
  const typeMax = d instanceof Uint8Array ? 255 : d instanceof Uint16Array ? 65535 : undefined;
  const peak = typeMax === undefined ? floatPeak(d) : undefined;
  let scale: number;
  if (config.scale !== undefined) {
    scale = config.scale;
    if (kind === '16-bit' && (near(scale, 1 / 255) || near(scale, 1))) {
      const meant = near(scale, 1) ? 255 : 1;
      throw new InputError(
        `"scale": ${scaleText(scale)} is written for 8-bit pixels, but this image is 16-bit: full intensity ` +
          `would become ${Number((scale * 65535).toPrecision(5))} instead of ${meant}; write "inputRange": ${meant} ` +
          `instead of "scale" (it adapts to 8-bit, 16-bit and float images)`,
        source,
      );
    }
    if (kind === 'float' && peak !== undefined && peak > 0 && peak <= 1 + 1e-6 && scale < 0.1) {
      throw new InputError(
        `"scale": ${scaleText(scale)} on a float image whose values already lie in [0, ${Number(peak.toPrecision(4))}] ` +
          `would feed the model values below ${Number((peak * scale).toPrecision(3))} (a black image); write ` +
          `"inputRange": 1 instead of "scale", or remove "scale"`,
        source,
      );
    }
    if (kind !== '8-bit') {
      const full =
        typeMax !== undefined
          ? `full intensity ${typeMax}`
          : `the largest value ${Number((peak ?? 0).toPrecision(4))}`;
      notes.push(
        `"scale": ${scaleText(scale)} applied to a ${kind} image: ${full} becomes ` +
          `${Number(((typeMax ?? peak ?? 0) * scale).toPrecision(4))}`,
      );
    }
  } else {
    // A uint8 input takes pixels as they are (the normalisation is inside such models), so its default range is 255.
    const range = config.inputRange ?? (config.inputType === 'uint8' ? 255 : 1);
    scale = typeMax !== undefined ? range / typeMax : range;
    const said =
      config.inputRange !== undefined ? `"inputRange": ${range}` : `input range [0, ${range}] assumed`;
    notes.push(
      typeMax !== undefined
        ? `scale ${scaleText(scale)} for ${kind === '8-bit' ? 'an' : 'a'} ${kind} image (${said}: full intensity ${typeMax} → ${range})`
        : `scale ${scaleText(scale)} for a float image (${said}: float values are taken as already in [0, 1]` +
            `${peak !== undefined && peak > 1 + 1e-6 ? `, yet this one reaches ${Number(peak.toPrecision(4))}` : ''})`,
    );
  }

  // What a full-intensity pixel becomes before mean/std: decides which units the mean must be in.
  const fullScale = (typeMax ?? Math.max(1, peak ?? 1)) * scale;
  const maxMean = Math.max(...config.mean.map(Math.abs));
  const maxStd = Math.max(...config.std.map(Math.abs));
  if (maxMean > 1.5 && fullScale <= 1.5) {
    throw new InputError(
      `"mean" ${listText(config.mean)} is in 0–255 units, but pixels are scaled to [0, ${Number(fullScale.toPrecision(3))}] ` +
        `(scale ${scaleText(scale)}): every input value would be strongly negative and the map empty; write ` +
        `"inputRange": 255 (and no "scale"), or divide "mean" and "std" by 255`,
      source,
    );
  }
  if (maxMean > 0 && maxMean <= 1 && maxStd <= 1 && fullScale >= 100) {
    notes.push(
      `"mean" ${listText(config.mean)} and "std" ${listText(config.std)} look like 0–1 units, but pixels reach ` +
        `${Number(fullScale.toPrecision(4))}; if the model was trained on [0, 1] inputs, write "inputRange": 1`,
    );
  }
  return { scale, notes };
}
