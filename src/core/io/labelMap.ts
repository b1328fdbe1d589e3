/**
 * Label-map normalisation (docs/architecture.md §3): turns whatever a mask file holds into a LabelMap of class indices.
 *
 * - Integer and boolean arrays are class indices as they are.
 * - A binary mask saved as 0/255 (the usual "white object on black" PNG) becomes 0/1. Because 255 is also the
 *   default ignore label, the rule is: values exactly {0, 255} (or {255}) mean a binary mask; 255 next to other
 *   non-zero labels means "ignore". `binary255: true | false` overrides the guess.
 * - Colour masks ([H, W, 3] or [H, W, 4], or an RGB PNG) are mapped through a user-given palette (one RGB triple per
 *   class index); a colour not in the palette is an error naming the pixel. Grey stored as RGB needs no palette.
 * - Float arrays are accepted only when every value is a whole number (a float array of fractions is a
 *   probability map, not a mask).
 */
import { InputError } from '../errors';
import { NDArray } from '../ndarray';
import { DEFAULT_IGNORE_INDEX, LabelData, LabelMap } from '../types';
import { DecodedPngImage } from './png';

export interface LabelMapOptions {
  /** Name used in error messages. @default "mask" */
  source?: string;
  /** RGB colour of each class index, for colour masks: palette[c] = [r, g, b] (undefined = no colour). */
  palette?: readonly (readonly number[] | undefined)[];
  /** 0/255 handling: "auto" guesses from the values (see the module comment). @default "auto" */
  binary255?: 'auto' | boolean;
  /** The "don't care" label, recorded on the result. @default 255 */
  ignoreIndex?: number;
  /** How to read a 3-D array: "channels" = [H, W, C] colour, "volume" = [D, H, W]. @default "auto" (C ≤ 4 → colour) */
  layout?: 'auto' | 'channels' | 'volume';
}

function smallestStorage(max: number, n: number): LabelData {
  if (max < 256) return new Uint8Array(n);
  if (max < 65536) return new Uint16Array(n);
  return new Int32Array(n);
}

/** Maps colour samples (interleaved, `ch` per pixel) to class indices through a palette. */
function fromColour(
  samples: ArrayLike<number>,
  shape: readonly number[],
  ch: number,
  opt: LabelMapOptions,
  source: string,
): { labels: LabelData } | { grey: Float64Array } {
  const n = shape.reduce((a, b) => a * b, 1);
  const isGrey = (() => {
    for (let i = 0; i < n; i++) {
      const r = samples[i * ch];
      if (samples[i * ch + 1] !== r || samples[i * ch + 2] !== r) return false;
    }
    return true;
  })();
  if (!opt.palette) {
    if (!isGrey) {
      throw new InputError(
        'colour mask (RGB) needs a palette mapping each colour to a class index (setting seglens.palette / --palette)',
        source,
      );
    }
    // Grey stored as RGB: the grey value is the label, with the usual integer rules.
    const grey = new Float64Array(n);
    for (let i = 0; i < n; i++) grey[i] = samples[i * ch];
    return { grey };
  }
  const palette = opt.palette;
  const lookup = new Map<number, number>();
  palette.forEach((rgb, c) => {
    if (!rgb) return;
    if (rgb.length < 3) throw new InputError(`palette entry ${c} is not an [r, g, b] triple`, source);
    lookup.set(rgb[0] * 65536 + rgb[1] * 256 + rgb[2], c);
  });
  const out = smallestStorage(palette.length - 1, n);
  for (let i = 0; i < n; i++) {
    const key = samples[i * ch] * 65536 + samples[i * ch + 1] * 256 + samples[i * ch + 2];
    const c = lookup.get(key);
    if (c === undefined) {
      const w = shape[shape.length - 1];
      throw new InputError(
        `colour (${samples[i * ch]}, ${samples[i * ch + 1]}, ${samples[i * ch + 2]}) at row ${Math.floor(i / w)}, ` +
          `column ${i % w} is not in the palette`,
        source,
      );
    }
    out[i] = c;
  }
  return { labels: out };
}

/** The largest value of unsigned integer samples, and whether every value is 0 or 255. */
function unsignedRange(values: Uint8Array | Uint16Array): { max: number; onlyZero255: boolean } {
  let max = 0;
  let onlyZero255 = true;
  let from = 0;
  if (values instanceof Uint8Array && values.byteOffset % 4 === 0) {
    // A mask is mostly background: four zero bytes at a time change neither answer.
    const words = new Int32Array(values.buffer, values.byteOffset, values.length >> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let i = 4 * w; i < 4 * w + 4; i++) {
        const v = values[i];
        if (v > max) max = v;
        if (v !== 0 && v !== 255) onlyZero255 = false;
      }
    }
    from = 4 * words.length;
  }
  for (let i = from; i < values.length; i++) {
    const v = values[i];
    if (v > max) max = v;
    if (v !== 0 && v !== 255) onlyZero255 = false;
  }
  return { max, onlyZero255 };
}

/** Integer class indices from any numeric samples, with the 0/255 rule. */
function fromIntegers(
  values: ArrayLike<number | bigint>,
  shape: readonly number[],
  opt: LabelMapOptions,
  source: string,
): LabelMap {
  const n = values.length;
  const ignoreIndex = opt.ignoreIndex ?? DEFAULT_IGNORE_INDEX;
  let max = 0;
  let onlyZero255 = true;
  if (values instanceof Uint8Array || values instanceof Uint16Array) {
    // Unsigned integer samples need no whole-number or range checks: only their largest value and the 0/255 rule.
    const r = unsignedRange(values);
    max = r.max;
    onlyZero255 = r.onlyZero255;
  } else
    for (let i = 0; i < n; i++) {
      const v = Number(values[i]);
      if (!Number.isInteger(v)) {
        throw new InputError(
          `value ${v} at flat index ${i} is not a whole number: a label map holds class indices (is this a probability map?)`,
          source,
        );
      }
      if (v < 0) throw new InputError(`negative label ${v} at flat index ${i}`, source);
      if (v > 2147483647) throw new InputError(`label ${v} at flat index ${i} is too large`, source);
      if (v > max) max = v;
      if (v !== 0 && v !== 255) onlyZero255 = false;
    }
  const binary =
    opt.binary255 === 'auto' || opt.binary255 === undefined ? onlyZero255 && max === 255 : opt.binary255;
  const data = smallestStorage(binary ? 1 : max, n);
  if (binary) {
    for (let i = 0; i < n; i++) {
      const v = Number(values[i]);
      if (v !== 0 && v !== 255) {
        throw new InputError(`binary255 is set but the mask holds value ${v} at flat index ${i}`, source);
      }
      data[i] = v === 255 ? 1 : 0;
    }
  } else if (values instanceof Uint8Array && data instanceof Uint8Array) {
    data.set(values);
  } else {
    for (let i = 0; i < n; i++) data[i] = Number(values[i]);
  }
  return { data, shape: [...shape], ignoreIndex: binary ? undefined : ignoreIndex };
}

/**
 * Normalises an array or a decoded PNG into a LabelMap (see the module comment for the rules).
 * @throws InputError naming `options.source` for colour masks without a palette, unknown colours, fractional or
 *   negative values, and shapes that are not [H, W], [H, W, C] or [D, H, W].
 */
export function normaliseLabelMap(input: NDArray | DecodedPngImage, options: LabelMapOptions = {}): LabelMap {
  const source = options.source ?? 'mask';
  if ('width' in input) {
    const shape = [input.height, input.width];
    if (input.channels >= 3) {
      const v = fromColour(input.data, shape, input.channels, options, source);
      return 'grey' in v ? fromIntegers(v.grey, shape, options, source) : { data: v.labels, shape };
    }
    if (input.channels === 2) {
      // Grey + alpha: the alpha channel carries no class.
      const n = input.width * input.height;
      const grey = input.data instanceof Uint16Array ? new Uint16Array(n) : new Uint8Array(n);
      for (let i = 0; i < n; i++) grey[i] = input.data[i * 2];
      return fromIntegers(grey, shape, options, source);
    }
    return fromIntegers(input.data, shape, options, source);
  }
  const shape = input.shape;
  const layout = options.layout ?? 'auto';
  if (shape.length === 2) return fromIntegers(input.data, shape, options, source);
  if (shape.length === 3 && layout !== 'volume' && (layout === 'channels' || shape[2] <= 4)) {
    const ch = shape[2];
    const spatial = [shape[0], shape[1]];
    if (ch === 1) return fromIntegers(input.data, spatial, options, source);
    if (ch < 3)
      throw new InputError(`a [H, W, ${ch}] array is neither a label map nor a colour mask`, source);
    const samples =
      input.data instanceof BigInt64Array || input.data instanceof BigUint64Array
        ? Array.from(input.data, Number)
        : input.data;
    const v = fromColour(samples, spatial, ch, options, source);
    return 'grey' in v ? fromIntegers(v.grey, spatial, options, source) : { data: v.labels, shape: spatial };
  }
  if (shape.length === 3) return fromIntegers(input.data, shape, options, source);
  throw new InputError(
    `a label map must be [H, W], [H, W, C] or [D, H, W]; got shape [${shape.join(', ')}]`,
    source,
  );
}
