/**
 * The model configuration: what a user writes in a sidecar `<model>.seglens.json` (or passes with `--config`),
 * validated key by key so that every mistake is reported with the key, the bad value and what was expected.
 *
 * A written config is partial: any key may be left out and is then inferred from the model's input/output metadata
 * (see `resolveModelConfig`). The resolved form has every key filled in.
 */
import { InputError } from '../errors';

export type Layout = 'NCHW' | 'NHWC';
export type ResizeMode = 'stretch' | 'letterbox' | 'pad';
export type ColorOrder = 'RGB' | 'BGR' | 'GRAY';
export type Activation = 'none' | 'sigmoid' | 'softmax';

export const LAYOUTS: readonly Layout[] = ['NCHW', 'NHWC'];
export const RESIZE_MODES: readonly ResizeMode[] = ['stretch', 'letterbox', 'pad'];
export const COLOR_ORDERS: readonly ColorOrder[] = ['RGB', 'BGR', 'GRAY'];
export const ACTIVATIONS: readonly Activation[] = ['none', 'sigmoid', 'softmax'];

/** The model's spatial input size: fixed [H, W], or any size that is a multiple of `multipleOf`. */
export type InputSize =
  { kind: 'fixed'; height: number; width: number } | { kind: 'dynamic'; multipleOf: number };

/** A config as written by the user: every key optional. */
export interface ModelConfig {
  /** Name of the model input to feed. @default the model's first input */
  input?: string;
  /** Name of the model output to read. @default the model's first output */
  output?: string;
  /** @default inferred from which axis of the input has 1 or 3 channels, else NCHW */
  layout?: Layout;
  /** @default the model's fixed spatial size, else dynamic */
  size?: InputSize;
  /** @default pad for a dynamic size, stretch for a fixed size */
  resize?: ResizeMode;
  /** @default GRAY for a 1-channel input, RGB for a 3-channel input */
  colorOrder?: ColorOrder;
  /**
   * What a full-intensity pixel becomes before mean/std, whatever the image's bit depth: 1 for models trained on
   * [0, 1] inputs, 255 for the 0–255 convention (mmsegmentation, Caffe-style means such as 123.675). The scale is
   * derived from it per image (8-bit: range/255, 16-bit: range/65535, float: as stored). The robust spelling;
   * exclusive with `scale`. @default 1 when `scale` is not written either
   */
  inputRange?: number;
  /**
   * Multiplies the raw sample value, whatever its bit depth (so 1/255 on a 16-bit image gives values up to 257:
   * such a combination is refused; prefer `inputRange`). @default derived from `inputRange`
   */
  scale?: number;
  /** One value per model input channel, or one value for all. @default 0 */
  mean?: number[];
  /** One value per model input channel, or one value for all. @default 1 */
  std?: number[];
  /** Applied on the class axis after the map is resized back. @default none */
  activation?: Activation;
  /** Class names, one per output channel. */
  classes?: string[];
}

/** A config with every key decided. `scale` stays undefined when it depends on the image's sample type. */
export interface ResolvedModelConfig {
  input: string;
  output: string;
  layout: Layout;
  size: InputSize;
  resize: ResizeMode;
  colorOrder: ColorOrder;
  scale: number | undefined;
  /** The written inputRange; undefined when not written (then `scale`, else the default range 1, applies). */
  inputRange?: number;
  mean: number[];
  std: number[];
  activation: Activation;
  classes: string[] | undefined;
}

/** Default `multipleOf` for a dynamic size: encoders with five 2× downsamplings (most U-Nets) need 32. */
export const DEFAULT_MULTIPLE_OF = 32;

const KNOWN_KEYS = [
  'input',
  'output',
  'layout',
  'size',
  'multipleOf',
  'resize',
  'colorOrder',
  'scale',
  'inputRange',
  'mean',
  'std',
  'activation',
  'classes',
];

/** The number of channels a colour order feeds to the model. */
export function channelsOf(order: ColorOrder): number {
  return order === 'GRAY' ? 1 : 3;
}

/** Parses the text of a config file. Throws InputError naming `source` on bad JSON or a bad key. */
export function parseModelConfigText(text: string, source: string): ModelConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`, source);
  }
  return validateModelConfig(json, source);
}

/**
 * Validates a parsed config object. Unknown keys are errors rather than warnings, because a misspelt key
 * (`"colourOrder"`) would otherwise silently fall back to a default and produce plausible but wrong maps.
 */
export function validateModelConfig(json: unknown, source: string): ModelConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError('a model config must be a JSON object', source);
  }
  const obj = json as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new InputError(`unknown key "${key}" (known keys: ${KNOWN_KEYS.join(', ')})`, source);
    }
  }
  const bad = (key: string, expected: string): InputError =>
    new InputError(`"${key}" = ${JSON.stringify(obj[key])} is invalid: expected ${expected}`, source);
  const config: ModelConfig = {};

  for (const key of ['input', 'output'] as const) {
    if (obj[key] === undefined) continue;
    if (typeof obj[key] !== 'string' || obj[key] === '') throw bad(key, 'a non-empty tensor name');
    config[key] = obj[key];
  }
  const oneOf = <T extends string>(key: string, values: readonly T[]): T | undefined => {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
      throw bad(key, values.join(' | '));
    return v as T;
  };
  // Keys are only set when present, so a validated config has no undefined-valued keys to save or compare.
  const layout = oneOf('layout', LAYOUTS);
  if (layout) config.layout = layout;
  const resize = oneOf('resize', RESIZE_MODES);
  if (resize) config.resize = resize;
  const colorOrder = oneOf('colorOrder', COLOR_ORDERS);
  if (colorOrder) config.colorOrder = colorOrder;
  const activation = oneOf('activation', ACTIVATIONS);
  if (activation) config.activation = activation;

  const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
  const size = obj.size;
  const multipleOf = obj.multipleOf;
  if (multipleOf !== undefined && !isPositiveInt(multipleOf)) throw bad('multipleOf', 'a positive integer');
  if (size === 'dynamic') {
    config.size = { kind: 'dynamic', multipleOf: multipleOf ?? DEFAULT_MULTIPLE_OF };
  } else if (Array.isArray(size)) {
    if (size.length !== 2 || !isPositiveInt(size[0]) || !isPositiveInt(size[1])) {
      throw bad('size', '[height, width] of positive integers, or "dynamic"');
    }
    if (multipleOf !== undefined) {
      throw new InputError('"multipleOf" only applies to "size": "dynamic"', source);
    }
    config.size = { kind: 'fixed', height: size[0], width: size[1] };
  } else if (size !== undefined) {
    throw bad('size', '[height, width] of positive integers, or "dynamic"');
  } else if (multipleOf !== undefined) {
    // A lone multipleOf still says the model takes any size that is a multiple of it.
    config.size = { kind: 'dynamic', multipleOf };
  }

  if (obj.scale !== undefined) {
    if (typeof obj.scale !== 'number' || !Number.isFinite(obj.scale) || obj.scale === 0) {
      throw bad('scale', 'a finite non-zero number');
    }
    config.scale = obj.scale;
  }
  if (obj.inputRange !== undefined) {
    if (typeof obj.inputRange !== 'number' || !Number.isFinite(obj.inputRange) || obj.inputRange <= 0) {
      throw bad('inputRange', 'a positive number (1 for [0, 1] inputs, 255 for 0–255 inputs)');
    }
    if (obj.scale !== undefined) {
      throw new InputError(
        '"scale" and "inputRange" both set; keep "inputRange" (it adapts to 8-bit, 16-bit and float images)',
        source,
      );
    }
    config.inputRange = obj.inputRange;
  }
  for (const key of ['mean', 'std'] as const) {
    const v = obj[key];
    if (v === undefined) continue;
    // A bare number is accepted as shorthand for the same value on every channel.
    const list = typeof v === 'number' ? [v] : v;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      list.length > 3 ||
      !list.every((x) => typeof x === 'number' && Number.isFinite(x))
    ) {
      throw bad(key, 'a list of 1 or 3 finite numbers (one per input channel)');
    }
    if (key === 'std' && list.some((x: number) => x === 0)) throw bad(key, 'non-zero values (they divide)');
    config[key] = list as number[];
  }
  if (obj.classes !== undefined) {
    const c = obj.classes;
    if (!Array.isArray(c) || c.length === 0 || !c.every((x) => typeof x === 'string')) {
      throw bad('classes', 'a non-empty list of class names');
    }
    config.classes = c as string[];
  }
  return config;
}

/** The config in the same JSON shape a user writes (used to show inferred defaults and to save them). */
export function configToJson(config: ResolvedModelConfig): Record<string, unknown> {
  const json: Record<string, unknown> = {
    input: config.input,
    output: config.output,
    layout: config.layout,
  };
  if (config.size.kind === 'fixed') json.size = [config.size.height, config.size.width];
  else {
    json.size = 'dynamic';
    json.multipleOf = config.size.multipleOf;
  }
  json.resize = config.resize;
  json.colorOrder = config.colorOrder;
  if (config.scale !== undefined) json.scale = config.scale;
  if (config.inputRange !== undefined) json.inputRange = config.inputRange;
  json.mean = config.mean;
  json.std = config.std;
  json.activation = config.activation;
  if (config.classes) json.classes = config.classes;
  return json;
}
