/**
 * The host's handle on the model worker thread: promises for inspect / run-on-image / run-on-folder, progress
 * callbacks, and cancellation through AbortSignal. No vscode import; the VS Code commands wrap this.
 *
 * The thread starts on the first request (never at activation) and is kept for later ones so sessions stay
 * cached. If it dies (a native crash, memory exhaustion), every pending request fails with a message naming its
 * model, and the next request starts a fresh thread: the host itself keeps running.
 */
import { Worker } from 'node:worker_threads';
import { CancelledError, InputError } from '../../core/errors';
import type { ModelImage } from '../../core/model/preprocess';
import { deserializeError } from '../workers/pool';
import type { ExistingPolicy, FolderProgress, FolderRunSummary } from './folderRun';
import type { ConfigChoice, InspectResult, ModelRunResult } from './runner';
import type { ModelWorkerRequest, ModelWorkerResponse } from './workerProtocol';

export interface ModelWorkerClientOptions {
  /** Path of the worker script: `<extension>/dist/modelWorker.js` (tests pass the .ts source with tsx). */
  script: string;
  /** Extra node flags for the thread (tests use `--require tsx/cjs`). */
  execArgv?: string[];
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

interface Pending {
  modelPath: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (p: FolderProgress) => void;
  cleanup(): void;
}

type Request = ModelWorkerRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

export class ModelWorkerClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;

  constructor(private readonly options: ModelWorkerClientOptions) {}

  /** Loads the model and resolves its config (sidecar, given, or inferred) without running it. */
  inspect(modelPath: string, choice: ConfigChoice = {}): Promise<InspectResult> {
    return this.request<InspectResult>({ type: 'inspect', modelPath, choice }, modelPath);
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
    return this.request<ModelRunResult>(
      { type: 'runImage', modelPath, image, imageSource: options.imageSource, choice: options.choice ?? {} },
      modelPath,
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
    return this.request<FolderRunSummary>(
      {
        type: 'runFolder',
        modelPath,
        inputs,
        outputDir,
        existing: options.existing ?? 'skip',
        choice: options.choice ?? {},
      },
      modelPath,
      { signal: options.signal, onProgress: options.onProgress },
    );
  }

  /** Stops the thread; pending requests reject. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.failAll(() => new Error('the model runner has been shut down'));
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private request<T>(
    req: Request,
    modelPath: string,
    extra: { signal?: AbortSignal; transfer?: ArrayBuffer[]; onProgress?: (p: FolderProgress) => void } = {},
  ): Promise<T> {
    if (this.disposed) return Promise.reject(new Error('the model runner has been shut down'));
    if (extra.signal?.aborted) return Promise.reject(new CancelledError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // The worker stops at its next checkpoint; the caller is released at once.
        worker.postMessage({ type: 'cancel', id } satisfies ModelWorkerRequest);
        this.settle(id, new CancelledError());
      };
      extra.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        modelPath,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: extra.onProgress,
        cleanup: () => extra.signal?.removeEventListener('abort', onAbort),
      });
      // A thread with work in flight keeps the process alive; an idle one does not.
      worker.ref();
      try {
        worker.postMessage({ ...req, id } as ModelWorkerRequest, extra.transfer ?? []);
      } catch (e) {
        this.settle(id, e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.options.script, { execArgv: this.options.execArgv });
    worker.unref();
    worker.on('message', (msg: ModelWorkerResponse) => this.onMessage(msg));
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(
        (p) =>
          new InputError(
            `the model worker stopped unexpectedly (${why}) while running this model; it may have run out of ` +
              `memory. The next run starts a fresh worker.`,
            p.modelPath,
          ),
      );
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private onMessage(msg: ModelWorkerResponse): void {
    const p = this.pending.get(msg.id);
    if (!p) return; // Cancelled or already failed: late answers are dropped.
    switch (msg.type) {
      case 'progress':
        p.onProgress?.(msg.progress);
        return;
      case 'inspected':
        this.settle(msg.id, undefined, msg.result);
        return;
      case 'ran':
        this.settle(msg.id, undefined, msg.result);
        return;
      case 'folderDone':
        this.settle(msg.id, undefined, msg.summary);
        return;
      case 'failed':
        this.settle(msg.id, deserializeError(msg.error));
        return;
    }
  }

  private settle(id: number, error: Error | undefined, value?: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.cleanup();
    if (this.pending.size === 0) this.worker?.unref();
    if (error) p.reject(error);
    else p.resolve(value);
  }

  private failAll(makeError: (p: Pending) => Error): void {
    for (const id of [...this.pending.keys()]) {
      const p = this.pending.get(id);
      if (p) this.settle(id, makeError(p));
    }
  }
}
