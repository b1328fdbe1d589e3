/**
 * The host's handle on the model worker thread: promises for inspect / run-on-image / run-on-folder, progress
 * callbacks, and cancellation through AbortSignal. No vscode import; the VS Code commands wrap this.
 *
 * The thread starts on the first request (never at activation) and is kept for later ones so sessions stay
 * cached. If it dies (a native crash, memory exhaustion), every pending request fails with a message naming its
 * model, and the next request starts a fresh thread: the host itself keeps running.
 */
import { Worker } from 'node:worker_threads';
import { InputError } from '../../core/errors';
import type { ModelImage } from '../../core/model/preprocess';
import { RpcChannel, type CallOptions, type ProgressOf } from '../workers/rpc';
import type { ExistingPolicy, FolderProgress, FolderRunSummary } from './folderRun';
import type { ConfigChoice, InspectResult, ModelRunResult } from './runner';
import type { ModelMethods, ModelWorkerData } from './workerProtocol';
import type { PlaneName } from '../../core/volume/slice';
import type { SliceIntensity, SliceProgress, VolumeRunSummary } from '../volume/sliceModel';

export interface ModelWorkerClientOptions {
  /** Path of the worker script: `<extension>/dist/modelWorker.js` (tests pass the .ts source with tsx). */
  script: string;
  /** Extra node flags for the thread (tests use `--require tsx/cjs`). */
  execArgv?: string[];
  /**
   * Memory budget of the worker's cached sessions in MB (setting `seglens.model.cacheMemoryMB`), read each time a
   * worker starts. @default the session cache's (DEFAULT_CACHE_MEMORY_MB)
   */
  cacheMemoryMB?: () => number | undefined;
}

export interface RunImageOptions {
  choice?: ConfigChoice;
  /** Name of the image in messages when `image` is pixels rather than a path. */
  imageSource?: string;
  signal?: AbortSignal;
}

export interface RunFolderOptions {
  choice?: ConfigChoice;
  /** @default "skip": existing maps are kept unless the user agreed to replace them */
  existing?: ExistingPolicy;
  onProgress?: (p: FolderProgress) => void;
  signal?: AbortSignal;
}

export interface RunVolumeOptions {
  choice?: ConfigChoice;
  /** @default { kind: 'stored' } (see SliceIntensity) */
  intensity?: SliceIntensity;
  /** Largest probability volume in float32 values. @default 2^28 */
  maxOutputElements?: number;
  onProgress?: (p: SliceProgress) => void;
  signal?: AbortSignal;
}

const SHUT_DOWN = 'the model runner has been shut down';

export class ModelWorkerClient {
  private channel: RpcChannel<ModelMethods> | undefined;
  private disposed = false;

  constructor(private readonly options: ModelWorkerClientOptions) {}

  /** Loads the model and resolves its config (sidecar, given, or inferred) without running it. */
  inspect(modelPath: string, choice: ConfigChoice = {}): Promise<InspectResult> {
    return this.call('inspect', { modelPath, choice });
  }

  /** Runs the model on an image file, or on pixels the host already decoded (their buffer is transferred). */
  runImage(
    modelPath: string,
    image: string | ModelImage,
    options: RunImageOptions = {},
  ): Promise<ModelRunResult> {
    const transfer: ArrayBuffer[] = [];
    if (typeof image !== 'string') {
      const buf = image.data.buffer;
      if (
        buf instanceof ArrayBuffer &&
        image.data.byteOffset === 0 &&
        image.data.byteLength === buf.byteLength
      ) {
        transfer.push(buf);
      }
    }
    return this.call(
      'runImage',
      { modelPath, image, imageSource: options.imageSource, choice: options.choice ?? {} },
      { signal: options.signal, transfer },
    );
  }

  /**
   * Runs the model on every input, writing `<outputDir>/<stem>.npy` (see planFolderOutputs). Call only after the
   * user confirmed the output folder. Per-image failures are counted in the summary; cancelling stops between
   * images and rejects with CancelledError (maps already written stay).
   */
  runFolder(
    modelPath: string,
    inputs: string[],
    outputDir: string,
    options: RunFolderOptions = {},
  ): Promise<FolderRunSummary> {
    return this.call(
      'runFolder',
      {
        modelPath,
        inputs,
        outputDir,
        existing: options.existing ?? 'skip',
        choice: options.choice ?? {},
      },
      { signal: options.signal, onProgress: options.onProgress },
    );
  }

  /**
   * Runs a 2-D model slice by slice along `axis` of an image volume in the worker and writes the probability volume
   * to `output` (NIfTI, on the image's grid); only the summary comes back. Cancelling stops between slices and
   * rejects with CancelledError (nothing is written).
   */
  runVolume(
    modelPath: string,
    volumePath: string,
    axis: PlaneName,
    output: string,
    options: RunVolumeOptions = {},
  ): Promise<VolumeRunSummary> {
    return this.call(
      'runVolume',
      {
        modelPath,
        volumePath,
        axis,
        output,
        choice: options.choice ?? {},
        intensity: options.intensity,
        maxOutputElements: options.maxOutputElements,
      },
      { signal: options.signal, onProgress: options.onProgress },
    );
  }

  /** Stops the thread; pending requests reject. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const c = this.channel;
    this.channel = undefined;
    await c?.terminate(new Error(SHUT_DOWN));
  }

  private call<K extends keyof ModelMethods & string>(
    method: K,
    input: ModelMethods[K]['input'],
    options: CallOptions<ProgressOf<ModelMethods, K>> = {},
  ): Promise<ModelMethods[K]['output']> {
    if (this.disposed) return Promise.reject(new Error(SHUT_DOWN));
    return this.ensureChannel().call(method, input, options);
  }

  private ensureChannel(): RpcChannel<ModelMethods> {
    if (this.channel?.alive) return this.channel;
    const workerData: ModelWorkerData = { cacheMemoryMB: this.options.cacheMemoryMB?.() };
    const worker = new Worker(this.options.script, { execArgv: this.options.execArgv, workerData });
    const channel: RpcChannel<ModelMethods> = new RpcChannel<ModelMethods>(worker, {
      // A thread with work in flight keeps the process alive; an idle one does not.
      keepAlive: true,
      lostError: (loss, call) =>
        new InputError(
          `the model worker stopped unexpectedly (${'error' in loss ? loss.error.message : `exit code ${loss.exitCode}`}) ` +
            `while running this model; it may have run out of memory. The next run starts a fresh worker.`,
          (call.input as { modelPath: string }).modelPath,
        ),
      onLost: () => {
        if (this.channel === channel) this.channel = undefined;
      },
    });
    this.channel = channel;
    return channel;
  }
}
