/**
 * Fills in a partial model config from the model's input/output metadata and checks the two against each other,
 * so that a mismatch (a 3-channel model fed as GRAY, a fixed 256×256 model configured as dynamic) is reported
 * before anything runs, with the model's name and the offending tensor in the message.
 */
import { InputError } from '../errors';
import {
  ColorOrder,
  DEFAULT_MULTIPLE_OF,
  ExtendedConfig,
  InputType,
  InputSize,
  Layout,
  ModelConfig,
  ResolvedModelConfig,
  channelsOf,
} from './config';

/** One dimension of a tensor shape: a fixed size, or a symbolic name / unknown for a dynamic axis. */
export type Dim = number | string | null;

/** Metadata of one model input or output, as reported by the runtime (independent of onnxruntime's types). */
export interface TensorInfo {
  name: string;
  /** False for sequences and maps, which can never be images or probability maps. */
  isTensor: boolean;
  /** Element type, e.g. "float32", "float16", "int64". */
  type?: string;
  /** Shape, with strings or null for dynamic axes; undefined when the model does not declare one. */
  shape?: readonly Dim[];
}

export interface ModelInfo {
  inputs: readonly TensorInfo[];
  outputs: readonly TensorInfo[];
}

export interface ResolvedConfigWithNotes {
  config: ResolvedModelConfig;
  /** What was inferred rather than written, in sentences for the user to confirm. */
  notes: string[];
}

/** A fixed dimension, or undefined for a dynamic one (ONNX uses names, -1 or 0 for those). */
export function fixedDim(d: Dim | undefined): number | undefined {
  return typeof d === 'number' && d > 0 ? d : undefined;
}

function shapeText(shape: readonly Dim[] | undefined): string {
  return shape ? `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : '[unknown]';
}

/** Output names that say the graph already ends in an activation (PaddleOCR's "sigmoid_0.tmp_0", "probs"). */
export const PROBABILITY_NAME = /sigmoid|softmax|prob/i;

/** Element types we can read a probability map or logits from. */
export const FLOAT_TYPES = ['float32', 'float64', 'float16'];

/**
 * Resolves `written` against `info`. `modelSource` names the model in error messages.
 * Throws InputError for every inconsistency between the config and the model.
 */
export function resolveModelConfig(
  info: ModelInfo,
  written: ModelConfig,
  modelSource: string,
): ResolvedConfigWithNotes {
  const notes: string[] = [];
  const fail = (message: string): InputError => new InputError(message, modelSource);
  if (info.inputs.length === 0) throw fail('the model has no inputs');
  if (info.outputs.length === 0) throw fail('the model has no outputs');

  const input = pick(info.inputs, written.input, 'input', notes, fail);
  const output = pick(info.outputs, written.output, 'output', notes, fail);

  if (!input.isTensor) throw fail(`input "${input.name}" is not a tensor`);
  if (input.type !== undefined && !(INPUT_TYPES as readonly string[]).includes(input.type)) {
    throw fail(
      `input "${input.name}" has element type ${input.type}; SegLens feeds images as ${INPUT_TYPES.join(', ')}`,
    );
  }
  const inputType = (input.type ?? 'float32') as InputType;
  const shape = input.shape;
  if (shape && shape.length !== 4) {
    throw fail(
      `input "${input.name}" has rank ${shape.length} ${shapeText(shape)}; an image input must have rank 4 ` +
        `([N, C, H, W] or [N, H, W, C])`,
    );
  }
  const batch = fixedDim(shape?.[0]);
  if (batch !== undefined && batch !== 1) {
    throw fail(`input "${input.name}" has a fixed batch size of ${batch}; SegLens runs one image at a time`);
  }

  const layout = written.layout ?? inferLayout(shape, written.colorOrder);
  if (!written.layout) notes.push(`layout ${layout} inferred from the input shape ${shapeText(shape)}`);
  const channelAxis = layout === 'NCHW' ? 1 : 3;
  const spatialAxes = layout === 'NCHW' ? [2, 3] : [1, 2];
  const modelChannels = fixedDim(shape?.[channelAxis]);

  let colorOrder: ColorOrder;
  if (written.colorOrder) {
    colorOrder = written.colorOrder;
    if (modelChannels !== undefined && modelChannels !== channelsOf(colorOrder)) {
      throw fail(
        `input "${input.name}" ${shapeText(shape)} (${layout}) has ${modelChannels} channel(s), but colorOrder ` +
          `${colorOrder} feeds ${channelsOf(colorOrder)}`,
      );
    }
  } else {
    if (modelChannels === 1) colorOrder = 'GRAY';
    else if (modelChannels === 3 || modelChannels === undefined) colorOrder = 'RGB';
    else {
      throw fail(
        `input "${input.name}" ${shapeText(shape)} (${layout}) has ${modelChannels} channels; SegLens feeds 1 ` +
          `(GRAY) or 3 (RGB/BGR) channels — check "layout"`,
      );
    }
    notes.push(
      `colorOrder ${colorOrder} inferred from ${modelChannels ?? 'an unknown number of'} input channel(s)`,
    );
  }
  const channels = channelsOf(colorOrder);

  const modelH = fixedDim(shape?.[spatialAxes[0]]);
  const modelW = fixedDim(shape?.[spatialAxes[1]]);
  let size: InputSize;
  if (written.size) {
    size = written.size;
    if (size.kind === 'fixed') {
      if (
        (modelH !== undefined && modelH !== size.height) ||
        (modelW !== undefined && modelW !== size.width)
      ) {
        throw fail(
          `input "${input.name}" ${shapeText(shape)} (${layout}) has spatial size ${modelH ?? '?'}×${modelW ?? '?'}` +
            `, but the config says size [${size.height}, ${size.width}]`,
        );
      }
    } else if (modelH !== undefined || modelW !== undefined) {
      throw fail(
        `input "${input.name}" ${shapeText(shape)} (${layout}) has a fixed spatial size, but the config says ` +
          `"size": "dynamic"`,
      );
    }
  } else if (modelH !== undefined && modelW !== undefined) {
    size = { kind: 'fixed', height: modelH, width: modelW };
    notes.push(`fixed size ${modelH}×${modelW} read from the model`);
  } else if (modelH === undefined && modelW === undefined) {
    size = { kind: 'dynamic', multipleOf: DEFAULT_MULTIPLE_OF };
    notes.push(`dynamic size assumed, padded to a multiple of ${DEFAULT_MULTIPLE_OF}`);
  } else {
    throw fail(
      `input "${input.name}" ${shapeText(shape)} has one fixed and one dynamic spatial axis; set "size" in the config`,
    );
  }

  if ((written.resize === 'longest' || written.resize === 'shortest') && size.kind === 'fixed') {
    throw fail(
      `"resize": "${written.resize}" chooses the input size, but input "${input.name}" ${shapeText(shape)} has a ` +
        `fixed size ${size.height}×${size.width}; use "letterbox" (or "tile") for a fixed-size model`,
    );
  }
  const resize = written.resize ?? (size.kind === 'dynamic' ? 'pad' : 'stretch');
  if (!written.resize) notes.push(`resize ${resize} (the default for a ${size.kind} size)`);

  const perChannel = (key: 'mean' | 'std', dflt: number): number[] => {
    const v = written[key];
    if (v === undefined) return new Array<number>(channels).fill(dflt);
    if (v.length === 1) return new Array<number>(channels).fill(v[0]);
    if (v.length !== channels) {
      throw fail(
        `"${key}" has ${v.length} values, but colorOrder ${colorOrder} feeds ${channels} channel(s)`,
      );
    }
    return v.slice();
  };

  if (!output.isTensor)
    throw fail(`output "${output.name}" is not a tensor, so it cannot be a probability map`);
  if (output.type !== undefined && !FLOAT_TYPES.includes(output.type)) {
    throw fail(
      `output "${output.name}" has element type ${output.type}; a probability map or logits must be float ` +
        `(an integer output is usually a label map computed inside the model)`,
    );
  }
  if (output.shape && (output.shape.length < 2 || output.shape.length > 4)) {
    throw fail(
      `output "${output.name}" has rank ${output.shape.length} ${shapeText(output.shape)}, which is not a map ` +
        `([N, C, H, W], [N, H, W, C], [N, H, W] or [H, W])`,
    );
  }
  for (const name of written.outputs ?? []) {
    const o = info.outputs.find((t) => t.name === name);
    if (!o) {
      throw fail(
        `the config names output "${name}" in "outputs", but the model's outputs are ` +
          info.outputs.map((t) => `"${t.name}"`).join(', '),
      );
    }
    if (!o.isTensor || (o.type !== undefined && !FLOAT_TYPES.includes(o.type))) {
      throw fail(`output "${name}" is not a float tensor, so it cannot be part of a probability map`);
    }
  }
  for (const name of Object.keys(written.extraInputs ?? {})) {
    if (name === input.name) throw fail(`"extraInputs" names "${name}", the input the image is fed to`);
    if (!info.inputs.some((t) => t.name === name)) {
      throw fail(
        `"extraInputs" names "${name}", but the model's inputs are ${info.inputs.map((t) => `"${t.name}"`).join(', ')}`,
      );
    }
  }
  const activation = written.activation ?? 'none';
  if (!written.activation) {
    notes.push('activation none: the output is taken as probabilities (set sigmoid or softmax for logits)');
  } else if (activation !== 'none' && PROBABILITY_NAME.test(output.name)) {
    notes.push(
      `output "${output.name}" is named like a probability, yet "activation": "${activation}" is set; the run is ` +
        'refused if its values already lie in [0, 1]',
    );
  }
  // The scale depends on the image's sample type, so its note is written when an image is prepared.
  if (written.mean === undefined && written.std === undefined) {
    notes.push(
      'mean 0 and std 1 assumed (no normalisation after scaling): set "mean" and "std" if the model was trained with them',
    );
  } else if (written.mean === undefined) notes.push('mean 0 assumed (not written in the config)');
  else if (written.std === undefined) notes.push('std 1 assumed (not written in the config)');
  return {
    config: {
      input: input.name,
      output: output.name,
      layout,
      size,
      resize,
      colorOrder,
      scale: written.scale,
      ...(written.inputRange !== undefined ? { inputRange: written.inputRange } : {}),
      mean: perChannel('mean', 0),
      std: perChannel('std', 1),
      activation,
      classes: written.classes?.slice(),
      ...extendedOf(written),
      ...(inputType !== 'float32' ? { inputType } : {}),
    },
    notes,
  };
}

/** The issue-14 keys of a written config, copied only when set (so a plain config resolves as before). */
function extendedOf(written: ModelConfig): ExtendedConfig {
  const out: ExtendedConfig = {};
  if (written.sideLength !== undefined) out.sideLength = written.sideLength;
  if (written.anchor !== undefined) out.anchor = written.anchor;
  if (written.padValue !== undefined)
    out.padValue = written.padValue === 'mean' ? 'mean' : written.padValue.slice();
  if (written.extraInputs !== undefined) out.extraInputs = written.extraInputs;
  if (written.outputs !== undefined) out.outputs = written.outputs.slice();
  if (written.outputs !== undefined) out.combine = written.combine ?? 'concat';
  if (written.strideMode !== undefined) out.strideMode = written.strideMode;
  if (written.tile !== undefined) {
    out.tile = [written.tile[0], written.tile[1]];
    out.overlap = written.overlap ?? DEFAULT_OVERLAP;
    out.tileBlend = written.tileBlend ?? 'mean';
  }
  return out;
}

/** Overlap between neighbouring tiles when the config sets "tile" without "overlap". */
export const DEFAULT_OVERLAP = 0.25;

/** The image input element types SegLens can feed. */
export const INPUT_TYPES: readonly InputType[] = ['float32', 'float16', 'uint8'];

function pick(
  list: readonly TensorInfo[],
  name: string | undefined,
  what: 'input' | 'output',
  notes: string[],
  fail: (m: string) => InputError,
): TensorInfo {
  const names = list.map((t) => `"${t.name}"`).join(', ');
  if (name === undefined) {
    if (list.length > 1) notes.push(`${what} "${list[0].name}" picked, the first of ${names}`);
    return list[0];
  }
  const found = list.find((t) => t.name === name);
  if (!found) throw fail(`the config names ${what} "${name}", but the model's ${what}s are ${names}`);
  return found;
}

/**
 * Guesses the layout from which axis has 1 or 3 channels. Channels-first is the default because PyTorch exports
 * (the common case) use it, and an undecidable shape such as [1, 3, 3, ?] is far more often NCHW.
 */
function inferLayout(shape: readonly Dim[] | undefined, colorOrder: ColorOrder | undefined): Layout {
  if (!shape) return 'NCHW';
  const wanted = colorOrder ? [channelsOf(colorOrder)] : [1, 3];
  const a = fixedDim(shape[1]);
  const c = fixedDim(shape[3]);
  const aFits = a !== undefined && wanted.includes(a);
  const cFits = c !== undefined && wanted.includes(c);
  if (cFits && !aFits) return 'NHWC';
  return 'NCHW';
}
