/**
 * The model configuration: what a user writes in a sidecar `<model>.seglens.json` (or passes with `--config`),
 * validated key by key so that every mistake is reported with the key, the bad value and what was expected.
 *
 * A written config is partial: any key may be left out and is then inferred from the model's input/output metadata
 * (see `resolveModelConfig`). The resolved form has every key filled in.
 */
import { InputError } from '../errors';

export type Layout = 'NCHW' | 'NHWC';
export type ResizeMode = 'stretch' | 'letterbox' | 'pad' | 'longest' | 'shortest';
export type Anchor = 'center' | 'topLeft';
/** A model input's element type SegLens can feed. */
export type InputType = 'float32' | 'float16' | 'uint8';
/** How several outputs become one map: their channels side by side, or their average (deep-supervision heads). */
export type Combine = 'concat' | 'mean';
/** How a lower-resolution (stride-s) output returns to the image. */
export type StrideMode = 'crop-then-resize' | 'resize-then-crop';
export type ColorOrder = 'RGB' | 'BGR' | 'GRAY';
export type Activation = 'none' | 'sigmoid' | 'softmax';

export const LAYOUTS: readonly Layout[] = ['NCHW', 'NHWC'];
export const RESIZE_MODES: readonly ResizeMode[] = ['stretch', 'letterbox', 'pad', 'longest', 'shortest'];
export const ANCHORS: readonly Anchor[] = ['center', 'topLeft'];
export const STRIDE_MODES: readonly StrideMode[] = ['crop-then-resize', 'resize-then-crop'];
export const COMBINES: readonly Combine[] = ['concat', 'mean'];
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
  /** With "resize": "longest" | "shortest": the target length of that side (then rounded to `multipleOf`). */
  sideLength?: number;
  /** Where a padded image sits: "center" or "topLeft". @default center for letterbox, topLeft for pad */
  anchor?: Anchor;
  /**
   * The padding's value before mean/std, in the units of `mean` (after scaling): one value or one per channel, or
   * "mean" for the mean colour (a normalised 0). @default 0 (a black border)
   */
  padValue?: number[] | 'mean';
  /** Constant tensors for the model's other inputs, by name. */
  extraInputs?: Record<string, ExtraInput>;
  /** Several outputs read as one map (with `combine`); `output` is then the first of them. */
  outputs?: string[];
  /** How `outputs` become one map. @default concat */
  combine?: Combine;
  /** How a stride-s output returns to the image. @default crop-then-resize */
  strideMode?: StrideMode;
  /** Run on tiles of [height, width] (the model's fixed size by default when the image is larger). */
  tile?: [number, number];
  /** Fraction of a tile shared with its neighbour, in [0, 0.9]. @default 0.25 when tiling */
  overlap?: number;
  /** How overlapping tiles are blended: a plain average, or weights falling linearly towards tile edges. */
  tileBlend?: TileBlend;
}

export type TileBlend = 'mean' | 'linear';
export const TILE_BLENDS: readonly TileBlend[] = ['mean', 'linear'];

/** A constant tensor fed to one of the model's other inputs (e.g. an image-size or a threshold input). */
export interface ExtraInput {
  type: ExtraInputType;
  shape: number[];
  /** One value for every element, or every element in C order. */
  value: number | number[];
}
export type ExtraInputType = 'float32' | 'float16' | 'int64' | 'int32' | 'uint8' | 'bool';
export const EXTRA_INPUT_TYPES: readonly ExtraInputType[] = [
  'float32',
  'float16',
  'int64',
  'int32',
  'uint8',
  'bool',
];

/**
 * The keys added for real exports (issue 14), optional in the resolved config so older callers need not set them:
 * the written keys of ModelConfig as they are, plus the image input's element type read from the model.
 */
export type ExtendedConfig = Pick<
  ModelConfig,
  | 'sideLength'
  | 'anchor'
  | 'padValue'
  | 'extraInputs'
  | 'outputs'
  | 'combine'
  | 'strideMode'
  | 'tile'
  | 'overlap'
  | 'tileBlend'
> & {
  /** The image input's element type, from the model. @default float32 */
  inputType?: InputType;
};

/** A config with every key decided. `scale` stays undefined when it depends on the image's sample type. */
export interface ResolvedModelConfig extends ExtendedConfig {
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
  'sideLength',
  'anchor',
  'padValue',
  'extraInputs',
  'outputs',
  'combine',
  'strideMode',
  'tile',
  'overlap',
  'tileBlend',
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
  validateExtended(obj, config, bad, source);
  if (obj.classes !== undefined) {
    const c = obj.classes;
    if (!Array.isArray(c) || c.length === 0 || !c.every((x) => typeof x === 'string')) {
      throw bad('classes', 'a non-empty list of class names');
    }
    config.classes = c as string[];
  }
  return config;
}

/** The keys of issue 14 (aspect-preserving resize, placement, extra inputs, several outputs, tiling). */
function validateExtended(
  obj: Record<string, unknown>,
  config: ModelConfig,
  bad: (key: string, expected: string) => InputError,
  source: string,
): void {
  const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const oneOf = <T extends string>(key: string, values: readonly T[]): T | undefined => {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
      throw bad(key, values.join(' | '));
    return v as T;
  };
  if (obj.sideLength !== undefined) {
    if (!isPositiveInt(obj.sideLength)) throw bad('sideLength', 'a positive integer');
    config.sideLength = obj.sideLength;
  }
  const aspect = config.resize === 'longest' || config.resize === 'shortest';
  if (aspect && config.sideLength === undefined) {
    throw new InputError(
      `"resize": "${config.resize}" needs "sideLength" (the target length of that side)`,
      source,
    );
  }
  if (!aspect && config.sideLength !== undefined) {
    throw new InputError('"sideLength" only applies to "resize": "longest" or "shortest"', source);
  }
  if (aspect && config.size?.kind === 'fixed') {
    throw new InputError(
      `"resize": "${config.resize}" chooses the input size, so "size" must be "dynamic"`,
      source,
    );
  }
  const anchor = oneOf('anchor', ANCHORS);
  if (anchor) config.anchor = anchor;
  if (obj.padValue !== undefined) {
    const v = obj.padValue;
    if (v === 'mean') config.padValue = 'mean';
    else {
      const list = isNumber(v) ? [v] : v;
      if (!Array.isArray(list) || list.length === 0 || list.length > 3 || !list.every(isNumber)) {
        throw bad('padValue', '"mean", or 1 or 3 numbers in the units of "mean"');
      }
      config.padValue = list.slice();
    }
  }
  if (obj.extraInputs !== undefined) {
    const e = obj.extraInputs;
    if (typeof e !== 'object' || e === null || Array.isArray(e))
      throw bad('extraInputs', 'an object of name → tensor');
    const out: Record<string, ExtraInput> = {};
    for (const [name, spec] of Object.entries(e as Record<string, unknown>)) {
      const s = spec as Record<string, unknown>;
      const what = `extraInputs."${name}"`;
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
        throw new InputError(`${what} must be {"type", "shape", "value"}`, source);
      }
      for (const k of Object.keys(s)) {
        if (!['type', 'shape', 'value'].includes(k))
          throw new InputError(`${what} has an unknown key "${k}"`, source);
      }
      const type = s.type ?? 'float32';
      if (typeof type !== 'string' || !(EXTRA_INPUT_TYPES as readonly string[]).includes(type)) {
        throw new InputError(`${what}.type must be one of ${EXTRA_INPUT_TYPES.join(', ')}`, source);
      }
      const shape = s.shape ?? [];
      if (
        !Array.isArray(shape) ||
        !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
      ) {
        throw new InputError(
          `${what}.shape must be a list of non-negative integers ([] for a scalar)`,
          source,
        );
      }
      const count = (shape as number[]).reduce((a, b) => a * b, 1);
      const value = s.value;
      if (!(isNumber(value) || (Array.isArray(value) && value.every(isNumber) && value.length === count))) {
        throw new InputError(
          `${what}.value must be a number, or ${count} numbers (the elements of shape [${shape.join(', ')}])`,
          source,
        );
      }
      out[name] = {
        type: type as ExtraInputType,
        shape: shape.slice() as number[],
        value: Array.isArray(value) ? (value as number[]).slice() : value,
      };
    }
    config.extraInputs = out;
  }
  if (obj.outputs !== undefined) {
    const o = obj.outputs;
    if (!Array.isArray(o) || o.length < 2 || !o.every((x) => typeof x === 'string' && x !== '')) {
      throw bad('outputs', 'a list of at least 2 output names (use "output" for one)');
    }
    if (new Set(o).size !== o.length) throw bad('outputs', 'distinct output names');
    if (config.output !== undefined && config.output !== o[0]) {
      throw new InputError('"output" and "outputs" disagree: give only "outputs"', source);
    }
    config.outputs = (o as string[]).slice();
    config.output = o[0] as string;
  }
  const combine = oneOf('combine', COMBINES);
  if (combine) {
    if (!config.outputs) throw new InputError('"combine" needs "outputs" (the outputs to combine)', source);
    config.combine = combine;
  }
  const strideMode = oneOf('strideMode', STRIDE_MODES);
  if (strideMode) config.strideMode = strideMode;
  if (obj.tile !== undefined) {
    const t = obj.tile;
    if (!Array.isArray(t) || t.length !== 2 || !isPositiveInt(t[0]) || !isPositiveInt(t[1])) {
      throw bad('tile', '[height, width] of positive integers');
    }
    config.tile = [t[0], t[1]];
  }
  if (obj.overlap !== undefined) {
    if (!isNumber(obj.overlap) || obj.overlap < 0 || obj.overlap > 0.9)
      throw bad('overlap', 'a fraction in [0, 0.9]');
    config.overlap = obj.overlap;
  }
  const blend = oneOf('tileBlend', TILE_BLENDS);
  if (blend) config.tileBlend = blend;
  if ((config.overlap !== undefined || config.tileBlend !== undefined) && config.tile === undefined) {
    throw new InputError('"overlap" and "tileBlend" need "tile" ([height, width] of each tile)', source);
  }
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
  // The issue-14 keys, only when set, so a plain config still prints as before.
  const extra: (keyof ExtendedConfig)[] = [
    'sideLength',
    'anchor',
    'padValue',
    'extraInputs',
    'outputs',
    'combine',
    'strideMode',
    'tile',
    'overlap',
    'tileBlend',
  ];
  for (const k of extra) if (config[k] !== undefined) json[k] = config[k];
  return json;
}
