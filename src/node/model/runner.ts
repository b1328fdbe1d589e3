/**
 * Runs an ONNX segmentation model on one decoded image: config (written, sidecar, or inferred) → input tensor →
 * onnxruntime on the CPU → ProbMap [C, H, W] at the image's size. Used inside the model worker and by the CLI;
 * no vscode import.
 *
 * Every failure is an InputError naming the model (or the image) and the cause, so the caller can show it and
 * carry on: a bad model never takes the host down.
 */
import { InputError, errorMessage } from '../../core/errors';
import { ExtraInput, ModelConfig, ResolvedModelConfig } from '../../core/model/config';
import { combineMaps } from '../../core/model/combine';
import { floatToHalfBits, toInputTensor } from '../../core/model/inputTensor';
import { Normalization, chooseNormalization } from '../../core/model/normalization';
import { ModelImage, prepareInput } from '../../core/model/preprocess';
import {
  ProbMapResult,
  RawOutput,
  assertNoNaN,
  checkProbabilities,
  refuseActivationOnProbabilities,
  resampleToImage,
} from '../../core/model/postprocess';
import { DEFAULT_OVERLAP, ModelInfo, resolveModelConfig } from '../../core/model/resolve';
import { TileBlender, cropImage, planTiles, tileWeights } from '../../core/model/tiling';
import { sigmoidInPlace, softmaxInPlace } from '../../core/model/activation';
import { ProbMap } from '../../core/types';
import { OrtTensor, loadOrt } from './ort';
import { OrtActivation } from './ortActivation';
import { LoadedModel, SessionCache, cleanOrtMessage } from './sessionCache';
import { findSidecarConfig } from './sidecar';
import { halfToFloat } from '../../core/float16';

export interface ConfigChoice {
  /** The written config; undefined means "look for a sidecar next to the model, else infer everything". */
  config?: ModelConfig;
  /** Where `config` came from (a path, "settings"), for messages. */
  configSource?: string;
}

export interface InspectResult {
  info: ModelInfo;
  config: ResolvedModelConfig;
  /** What was inferred rather than written, for the user to confirm. */
  notes: string[];
  /** The sidecar or given config file, if any. */
  configSource: string | undefined;
}

export interface ModelRunTimings {
  preprocessMs: number;
  runMs: number;
  postprocessMs: number;
}

export interface ModelRunResult extends InspectResult {
  prob: ProbMap;
  classes: string[];
  inputDims: number[];
  outputDims: number[];
  timings: ModelRunTimings;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export class ModelRunner {
  private readonly activation = new OrtActivation();

  constructor(private readonly cache: SessionCache = new SessionCache()) {}

  /** Loads the model (cached) and resolves its config without running it. */
  async inspect(modelPath: string, choice: ConfigChoice = {}): Promise<InspectResult> {
    const [loaded, written] = await Promise.all([
      this.cache.get(modelPath),
      this.writtenConfig(modelPath, choice),
    ]);
    const { config, notes } = resolveModelConfig(loaded.info, written.config, modelPath);
    return { info: loaded.info, config, notes: [...written.notes, ...notes], configSource: written.source };
  }

  /** Runs the model on `image` (named `imageSource` in messages). */
  async run(
    modelPath: string,
    image: ModelImage,
    imageSource: string,
    choice: ConfigChoice = {},
  ): Promise<ModelRunResult> {
    const [loaded, written] = await Promise.all([
      this.cache.get(modelPath),
      this.writtenConfig(modelPath, choice),
    ]);
    const { config, notes } = resolveModelConfig(loaded.info, written.config, modelPath);

    const t0 = now();
    // The normalisation is chosen once for the whole image, so every tile of it is scaled alike.
    const normalization = chooseNormalization(image, config, imageSource);
    const tiles =
      config.tile && (image.height > config.tile[0] || image.width > config.tile[1])
        ? planTiles(
            image.height,
            image.width,
            config.tile[0],
            config.tile[1],
            config.overlap ?? DEFAULT_OVERLAP,
          )
        : undefined;
    let mapped: ProbMapResult;
    let inputDims: number[];
    let outputDims: number[];
    const timings = { prepareMs: 0, runMs: 0, mapMs: 0 };
    if (!tiles) {
      const one = await this.runOnce(loaded, config, image, imageSource, modelPath, normalization, timings);
      ({ mapped, inputDims, outputDims } = one);
    } else {
      let blender: TileBlender | undefined;
      let classes: string[] = [];
      inputDims = [];
      outputDims = [];
      for (const tile of tiles) {
        const crop = cropImage(image, tile);
        const one = await this.runOnce(loaded, config, crop, imageSource, modelPath, normalization, timings);
        const [C] = one.mapped.prob.shape;
        blender ??= new TileBlender(
          C,
          image.height,
          image.width,
          tiles,
          config.overlap ?? DEFAULT_OVERLAP,
          config.tileBlend ?? 'mean',
        );
        const t = now();
        blender.add(
          one.mapped.prob.data,
          tile,
          tileWeights(
            tile,
            image.height,
            image.width,
            config.overlap ?? DEFAULT_OVERLAP,
            config.tileBlend ?? 'mean',
          ),
        );
        timings.mapMs += now() - t;
        ({ inputDims, outputDims } = one);
        classes = one.mapped.classes;
      }
      const t = now();
      const values = (blender as TileBlender).finish();
      timings.mapMs += now() - t;
      mapped = {
        prob: {
          data: values,
          shape: [values.length / (image.height * image.width), image.height, image.width],
        },
        classes,
      };
      notes.push(
        `${tiles.length} tiles of ${config.tile?.[0]}×${config.tile?.[1]} with overlap ${config.overlap}, ` +
          `blended by ${config.tileBlend === 'linear' ? 'linear weights' : 'their mean'}`,
      );
    }
    const [C, H, W] = mapped.prob.shape;
    let data = mapped.prob.data;
    if (config.activation !== 'none') {
      assertNoNaN(data, H, W, config, modelPath);
      if (tiles) {
        // A tiled map is large by definition: activated in place, since onnxruntime's kernel would hold a second
        // copy of it (measured: 6000×4000 through a 1024² model, peak 1.97× → 1.4× a single 1024² run).
        if (config.activation === 'sigmoid') sigmoidInPlace(data);
        else softmaxInPlace(data, C, H * W);
      } else data = await this.activation.apply(config.activation, data, C, H * W);
    }
    checkProbabilities(data, C, H, W, config, modelPath);
    const prob = { data, shape: mapped.prob.shape };
    const classes = mapped.classes;
    const t3 = now();
    const total = t3 - t0;
    return {
      info: loaded.info,
      config,
      // What the decoder did to the file, then what was inferred about the model, then the normalisation.
      notes: [...written.notes, ...(image.notes ?? []), ...notes, ...normalization.notes],
      configSource: written.source,
      prob,
      classes,
      inputDims,
      outputDims,
      timings: {
        preprocessMs: timings.prepareMs,
        runMs: timings.runMs,
        postprocessMs: Math.max(0, total - timings.prepareMs - timings.runMs),
      },
    };
  }

  /**
   * One pass through the model: the input tensor (and any constant extra inputs), the run, and the output(s)
   * resampled to `image`'s size and combined, before the activation.
   */
  private async runOnce(
    loaded: LoadedModel,
    config: ResolvedModelConfig,
    image: ModelImage,
    imageSource: string,
    modelPath: string,
    normalization: Normalization,
    timings: { prepareMs: number; runMs: number; mapMs: number },
  ): Promise<{ mapped: ProbMapResult; inputDims: number[]; outputDims: number[] }> {
    const ort = loadOrt();
    const t0 = now();
    const input = prepareInput(image, config, imageSource, normalization);
    const inputType = config.inputType ?? 'float32';
    const feeds: Record<string, OrtTensor> = {
      [config.input]: new ort.Tensor(
        inputType,
        toInputTensor(input.data, inputType, config.input, imageSource),
        input.dims,
      ),
    };
    for (const [name, spec] of Object.entries(config.extraInputs ?? {}))
      feeds[name] = extraTensor(ort, name, spec, modelPath);
    const missing = loaded.info.inputs.filter((t) => !(t.name in feeds)).map((t) => `"${t.name}"`);
    if (missing.length > 0) {
      throw new InputError(
        `the model's input(s) ${missing.join(', ')} get no value; give them constant values in "extraInputs" ` +
          '(docs/models.md)',
        modelPath,
      );
    }
    const names = config.outputs ?? [config.output];
    const t1 = now();
    let outputs: Record<string, OrtTensor>;
    try {
      outputs = (await loaded.session.run(feeds, names, { logSeverityLevel: 4 })) as Record<
        string,
        OrtTensor
      >;
    } catch (e) {
      throw runFailure(e, input.dims, modelPath);
    }
    const t2 = now();
    const raws = names.map((name) => {
      const tensor = outputs[name];
      if (!tensor) throw new InputError(`the model returned no output "${name}"`, modelPath);
      return toRawOutput(tensor, name, modelPath);
    });
    let mapped: ProbMapResult;
    if (raws.length === 1) mapped = resampleToImage(raws[0], config, input.geometry, modelPath);
    else {
      // Each output alone is neither activated nor named; the checks apply to the combined map.
      const one = { ...config, activation: 'none' as const, classes: undefined };
      const maps = raws.map(
        (raw, i) => resampleToImage(raw, { ...one, output: names[i] }, input.geometry, modelPath).prob,
      );
      const prob = combineMaps(maps, names, config.combine ?? 'concat', modelPath);
      mapped = checkCombined(prob, config, names, modelPath);
    }
    timings.prepareMs += t1 - t0;
    timings.runMs += t2 - t1;
    timings.mapMs += now() - t2;
    return { mapped, inputDims: input.dims, outputDims: raws[0].dims.slice() };
  }

  /** Model sessions created so far by this runner's cache (a folder run shows that the model loaded once). */
  get sessionLoads(): number {
    return this.cache.loads;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.cache.dispose(), this.activation.dispose()]);
  }

  private async writtenConfig(
    modelPath: string,
    choice: ConfigChoice,
  ): Promise<{ config: ModelConfig; source: string | undefined; notes: string[] }> {
    if (choice.config) return { config: choice.config, source: choice.configSource, notes: [] };
    const sidecar = await findSidecarConfig(modelPath);
    return sidecar ?? { config: {}, source: undefined, notes: [] };
  }
}

/** Copies an onnxruntime output into the core's float representation (float16 widened to float32). */
function toRawOutput(tensor: OrtTensor, name: string, modelPath: string): RawOutput {
  const dims = tensor.dims.slice();
  const data = tensor.data;
  if (data instanceof Float32Array || data instanceof Float64Array) return { data, dims };
  if (tensor.type === 'float16' && data instanceof Uint16Array) {
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = halfToFloat(data[i]);
    return { data: out, dims };
  }
  throw new InputError(
    `output "${name}" has element type ${tensor.type}; a probability map or logits must be float ` +
      `(an integer output is usually a label map computed inside the model)`,
    modelPath,
  );
}

/** The class-count, softmax and already-a-probability checks of resampleToImage, on a combined map. */
function checkCombined(
  prob: ProbMap,
  config: ResolvedModelConfig,
  names: readonly string[],
  modelPath: string,
): ProbMapResult {
  const C = prob.shape[0];
  const what = `outputs ${names.map((n) => `"${n}"`).join(', ')} combined by ${config.combine ?? 'concat'}`;
  if (config.classes && config.classes.length !== C) {
    throw new InputError(
      `the config lists ${config.classes.length} classes, but ${what} give ${C} channel(s)`,
      modelPath,
    );
  }
  if (config.activation === 'softmax' && C === 1) {
    throw new InputError(
      `"activation": "softmax" on a 1-channel map (${what}) gives 1 everywhere`,
      modelPath,
    );
  }
  if (config.activation !== 'none') refuseActivationOnProbabilities(prob.data, C, config, modelPath);
  const classes =
    config.classes ?? (C === 1 ? ['foreground'] : Array.from({ length: C }, (_, i) => `class ${i}`));
  return { prob, classes };
}

/** A constant tensor for one of the model's other inputs. */
function extraTensor(
  ort: ReturnType<typeof loadOrt>,
  name: string,
  spec: ExtraInput,
  modelPath: string,
): OrtTensor {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const values = typeof spec.value === 'number' ? new Array<number>(count).fill(spec.value) : spec.value;
  switch (spec.type) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(values), spec.shape);
    case 'float16':
      return new ort.Tensor('float16', Uint16Array.from(values, floatToHalfBits), spec.shape);
    case 'int64':
      return new ort.Tensor(
        'int64',
        BigInt64Array.from(values, (v) => BigInt(Math.trunc(v))),
        spec.shape,
      );
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(values), spec.shape);
    case 'uint8':
      return new ort.Tensor('uint8', Uint8Array.from(values), spec.shape);
    case 'bool':
      return new ort.Tensor(
        'bool',
        Uint8Array.from(values, (v) => (v ? 1 : 0)),
        spec.shape,
      );
    default:
      throw new InputError(`extraInputs."${name}" has an unknown type`, modelPath);
  }
}

function runFailure(e: unknown, dims: readonly number[], modelPath: string): InputError {
  const raw = errorMessage(e);
  if (/bad_alloc|failed to allocate|out of memory|std::length_error/i.test(raw)) {
    return new InputError(
      `the model ran out of memory on an input of shape [${dims.join(', ')}]; try a smaller image or a fixed ` +
        `"size" with "resize": "letterbox"`,
      modelPath,
    );
  }
  return new InputError(
    `the model failed while running on an input of shape [${dims.join(', ')}]: ${cleanOrtMessage(e)}`,
    modelPath,
  );
}
