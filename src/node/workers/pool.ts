/**
 * A small pool of worker threads running the task table (tasks.ts), so that decoding and other heavy core work
 * never blocks the extension host (docs/architecture.md §7: nothing on the host's thread longer than 100 ms).
 *
 * - Workers start lazily, up to `size` (one more while a priority task waits), and are `unref`'d so an idle pool
 *   never keeps a process alive.
 * - Inputs and results move as transferred ArrayBuffers, not copies.
 * - Cancellation: a queued task is dropped; a running task's worker is terminated (synchronous core loops cannot
 *   be interrupted any other way) and replaced on demand. Either way the promise rejects with CancelledError.
 * - A crashing worker fails only its own task; the pool keeps serving.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { hostStep } from './hostStep';
import { CancelledError, InputError } from '../../core/errors';
import type {
  SerializedError,
  TaskInput,
  TaskName,
  TaskOutput,
  TaskProgress,
  TaskRequest,
  TaskResponse,
} from './tasks';

export interface PoolOptions {
  /** Path of the worker script (dist/worker.js in the extension). */
  script: string;
  /** Maximum number of threads. @default 1 */
  size?: number;
  /** Extra node flags for the threads (tests use this to load TypeScript sources). */
  execArgv?: string[];
}

export interface RunOptions {
  /** Buffers to move into the worker (they become unusable in the caller). */
  transfer?: ArrayBuffer[];
  /** Aborting rejects the task with CancelledError and stops its thread if it is running. */
  signal?: AbortSignal;
  /** Called with the task's progress reports (fraction in [0, 1], optional label). */
  onProgress?: (progress: TaskProgress) => void;
  /**
   * Queue ahead of the ordinary tasks (after other priority tasks), and run on one extra thread when all are busy:
   * for short tasks a user waits on, such as the threshold slider's mask on a large map, which would otherwise wait
   * behind every decoder of the sample.
   */
  priority?: boolean;
}

interface Job {
  priority: boolean;
  id: number;
  name: TaskName;
  input: unknown;
  transfer: ArrayBuffer[];
  resolve(value: unknown): void;
  reject(error: Error): void;
  signal?: AbortSignal;
  onAbort?: () => void;
  onProgress?: (progress: TaskProgress) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

/** Rebuilds an error thrown in a worker, keeping InputError's `source` so messages still name the file. */
export function deserializeError(e: SerializedError): Error {
  let err: Error;
  if (e.name === 'InputError') {
    err = new InputError(e.message);
    Object.defineProperty(err, 'source', { value: e.source, enumerable: true });
  } else if (e.name === 'CancelledError') {
    err = new CancelledError();
  } else {
    err = new Error(e.message);
    err.name = e.name;
  }
  if (e.stack) err.stack = e.stack;
  return err;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;
  private readonly size: number;

  constructor(private readonly options: PoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? 1));
  }

  /** Number of live threads and queued tasks (for tests and diagnostics). */
  get stats(): { threads: number; busy: number; queued: number } {
    return {
      threads: this.slots.length,
      busy: this.slots.filter((s) => s.job).length,
      queued: this.queue.length,
    };
  }

  run<N extends TaskName>(name: N, input: TaskInput<N>, options: RunOptions = {}): Promise<TaskOutput<N>> {
    if (this.disposed) return Promise.reject(new Error('the worker pool has been shut down'));
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise<TaskOutput<N>>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        name,
        input,
        transfer: options.transfer ?? [],
        resolve: resolve as (v: unknown) => void,
        reject,
        signal: options.signal,
        onProgress: options.onProgress,
        priority: options.priority === true,
      };
      if (options.signal) {
        job.onAbort = () => this.cancel(job);
        options.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      if (job.priority) {
        const firstOrdinary = this.queue.findIndex((j) => !j.priority);
        this.queue.splice(firstOrdinary < 0 ? this.queue.length : firstOrdinary, 0, job);
      } else this.queue.push(job);
      this.pump();
    });
  }

  /** Terminates every thread; queued and running tasks reject. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new Error('the worker pool has been shut down'));
    const slots = this.slots.splice(0);
    for (const s of slots) if (s.job) this.settle(s.job, new Error('the worker pool has been shut down'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      // A priority task may use one thread beyond the size, so it never waits for a long task to finish; ordinary
      // tasks never run on more than `size` threads at once.
      const limit = this.size + (this.queue[0].priority ? 1 : 0);
      if (this.slots.filter((s) => s.job).length >= limit) return;
      const slot = this.slots.find((s) => !s.job) ?? this.spawn();
      const job = this.queue.shift() as Job;
      slot.job = job;
      const req: TaskRequest = { id: job.id, name: job.name, input: job.input };
      try {
        const start = performance.now();
        slot.worker.postMessage(req, job.transfer);
        hostStep(`post ${job.name} to a worker`, start);
      } catch (e) {
        slot.job = undefined;
        this.settle(job, e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.options.script, { execArgv: this.options.execArgv });
    worker.unref();
    const slot: Slot = { worker };
    this.slots.push(slot);
    worker.on('message', (res: TaskResponse) => {
      const job = slot.job;
      if (!job || job.id !== res.id) return;
      if ('progress' in res) {
        try {
          job.onProgress?.(res.progress);
        } catch {
          // A failing progress callback must not take the pool's message handler (and the host) down.
        }
        return;
      }
      slot.job = undefined;
      if (res.ok) this.settle(job, undefined, res.value);
      else this.settle(job, deserializeError(res.error));
      this.pump();
    });
    const lost = (error: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const job = slot.job;
      slot.job = undefined;
      if (job) this.settle(job, error);
      if (!this.disposed) this.pump();
    };
    worker.on('error', (e) => lost(new Error(`worker thread failed: ${e.message}`)));
    worker.on('exit', (code) => lost(new Error(`worker thread exited with code ${code}`)));
    return slot;
  }

  private cancel(job: Job): void {
    const q = this.queue.indexOf(job);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.settle(job, new CancelledError());
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    // The task is running synchronously in its thread: stop the thread, then serve the queue with a fresh one.
    slot.job = undefined;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    this.settle(job, new CancelledError());
    void slot.worker.terminate();
    this.pump();
  }

  private settle(job: Job, error: Error | undefined, value?: unknown): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (error) job.reject(error);
    else job.resolve(value);
  }
}
