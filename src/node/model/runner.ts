/**
 * Runs an ONNX segmentation model on one decoded image: config (written, sidecar, or inferred) → input tensor →
 * onnxruntime on the CPU → ProbMap [C, H, W] at the image's size. Used inside the model worker and by the CLI;
 * no vscode import.
 *
 * Every failure is an InputError naming the model (or the image) and the cause, so the caller can show it and
 * carry on: a bad model never takes the host down.
 */
import { InputError, errorMessage } from '../../core/errors';
import { ModelConfig, ResolvedModelConfig } from '../../core/model/config';
import { ModelImage, prepareInput } from '../../core/model/preprocess';
import { RawOutput, assertNoNaN, checkProbabilities, resampleToImage } from '../../core/model/postprocess';
import { ModelInfo, resolveModelConfig } from '../../core/model/resolve';
import { ProbMap } from '../../core/types';
import { OrtTensor, loadOrt } from './ort';
import { OrtActivation } from './ortActivation';
import { SessionCache, cleanOrtMessage } from './sessionCache';
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
    const ort = loadOrt();

    const t0 = now();
    const input = prepareInput(image, config, imageSource);
    const t1 = now();
    let outputs: Record<string, OrtTensor>;
    try {
      const feed = new ort.Tensor('float32', input.data, input.dims);
      outputs = (await loaded.session.run({ [config.input]: feed }, [config.output], {
        logSeverityLevel: 4,
      })) as Record<string, OrtTensor>;
    } catch (e) {
      throw runFailure(e, input.dims, modelPath);
    }
    const t2 = now();
    const tensor = outputs[config.output];
    if (!tensor) throw new InputError(`the model returned no output "${config.output}"`, modelPath);
    const raw = toRawOutput(tensor, config.output, modelPath);
    const mapped = resampleToImage(raw, config, input.geometry, modelPath);
    const [C, H, W] = mapped.prob.shape;
    let data = mapped.prob.data;
    if (config.activation !== 'none') {
      assertNoNaN(data, H, W, config, modelPath);
      data = await this.activation.apply(config.activation, data, C, H * W);
    }
    checkProbabilities(data, C, H, W, config, modelPath);
    const prob = { data, shape: mapped.prob.shape };
    const classes = mapped.classes;
    const t3 = now();
    return {
      info: loaded.info,
      config,
      // What the decoder did to the file, then what was inferred about the model, then the normalisation.
      notes: [...written.notes, ...(image.notes ?? []), ...notes, ...input.notes],
      configSource: written.source,
      prob,
      classes,
      inputDims: input.dims,
      outputDims: raw.dims.slice(),
      timings: { preprocessMs: t1 - t0, runMs: t2 - t1, postprocessMs: t3 - t2 },
    };
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
