/**
 * A small pool of worker threads running the task table (tasks.ts), so that decoding and other heavy core work
 * never blocks the extension host (docs/architecture.md §7: nothing on the host's thread longer than 100 ms).
 *
 * - Workers start lazily, up to `size` for ordinary tasks, and are `unref`'d so an idle pool never keeps a process
 *   alive.
 * - Priority tasks (what a user waits on: the viewer's file decoding, the slider's mask) have a thread of their own,
 *   the priority lane, started with the first of them and never given an ordinary task. So a sample's analysis,
 *   which holds every ordinary thread and is stopped when the next sample loads, never takes the lane down with it:
 *   the next sample's files decode on a thread that is booted and warm (its code already compiled by V8's
 *   optimiser), not on a replacement still starting (issue 13: command to overlay; measured 59–68 ms for a 1024²
 *   trio on a warm thread against 177–419 ms on replacements). A priority task also takes a free ordinary thread
 *   when the lane is busy.
 * - Inputs and results move as transferred ArrayBuffers, not copies, over the worker RPC (rpc.ts).
 * - Cancellation: a queued task is dropped; a running task's worker is terminated (synchronous core loops cannot
 *   be interrupted any other way). A stopped lane is replaced at once; a stopped ordinary thread when ordinary
 *   tasks need it (see cancel). Either way the promise rejects with CancelledError.
 * - A crashing worker fails only its own task; the pool keeps serving.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { hostStep } from './hostStep';
import { CancelledError } from '../../core/errors';
import { RpcChannel, type WorkerLoss } from './rpc';
import { type TaskMethods, isPoolReady } from './serveTasks';
import type { Tasks } from './tasks';
import type { InputOf, OutputOf, TaskProgress, TaskTable } from './taskTypes';

/** What a pool thread is told as it starts (node's `workerData`). */
export interface PoolWorkerData {
  /** The thread is the priority lane: it will most likely decode a sample's files soon. */
  readyForFiles: boolean;
}

export interface PoolOptions {
  /** Path of the worker script (dist/worker.js in the extension; tests bundle one with their probe tasks). */
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
  name: string;
  input: unknown;
  options: RunOptions;
  settled: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onAbort?: () => void;
}

interface Slot {
  channel: RpcChannel<Record<string, { input: unknown; output: unknown; progress: TaskProgress }>>;
  job?: Job;
  /** The thread said it serves (POOL_READY) or has answered a task; until then it is booting. */
  ready: boolean;
  /** The priority lane: only priority tasks run here. */
  lane: boolean;
}

const SHUT_DOWN = 'the worker pool has been shut down';

function lostError(loss: WorkerLoss): Error {
  return 'error' in loss
    ? new Error(`worker thread failed: ${loss.error.message}`)
    : new Error(`worker thread exited with code ${loss.exitCode}`);
}

/** A pool running the task table `T` (the product's tasks unless a test bundle extends them). */
export class WorkerPool<T extends TaskTable = Tasks> {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
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

  run<N extends keyof TaskMethods<T> & string>(
    name: N,
    input: InputOf<T, N>,
    options: RunOptions = {},
  ): Promise<OutputOf<T, N>> {
    if (this.disposed) return Promise.reject(new Error(SHUT_DOWN));
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise<OutputOf<T, N>>((resolve, reject) => {
      const job: Job = {
        name,
        input,
        options,
        settled: false,
        resolve: resolve as (v: unknown) => void,
        reject,
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
    for (const job of this.queue.splice(0)) this.settle(job, new Error(SHUT_DOWN));
    const slots = this.slots.splice(0);
    for (const s of slots) if (s.job) this.settle(s.job, new Error(SHUT_DOWN));
    await Promise.all(slots.map((s) => s.channel.terminate(new Error(SHUT_DOWN))));
  }

  private pump(): void {
    // Queue order within each kind (priority tasks are queued ahead of ordinary ones); a kind that cannot start now
    // does not hold up the other.
    let blocked = { priority: false, ordinary: false };
    for (let i = 0; i < this.queue.length;) {
      const job = this.queue[i];
      const kind = job.priority ? 'priority' : 'ordinary';
      const slot = blocked[kind] ? undefined : job.priority ? this.prioritySlot() : this.ordinarySlot(i);
      if (!slot) {
        blocked = { ...blocked, [kind]: true };
        if (blocked.priority && blocked.ordinary) return;
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.start(slot, job);
    }
  }

  /**
   * Where a priority task runs now: the lane when it is free and started, else a free started ordinary thread.
   * The lane starts with the first priority task, wherever that one runs. In a pool where no thread has started
   * yet the task is tied to the new lane (so a thread that cannot start fails that task); otherwise it waits for
   * whichever thread is free first.
   */
  private prioritySlot(): Slot | undefined {
    const lane = this.slots.some((s) => s.lane) ? undefined : this.spawn({ lane: true });
    const free = (s: Slot) => !s.job && s.ready;
    const found = this.slots.find((s) => s.lane && free(s)) ?? this.slots.find((s) => !s.lane && free(s));
    if (found) return found;
    return lane && !this.slots.some((s) => s.ready) ? lane : undefined;
  }

  /** Where the ordinary task at `queueIndex` runs now: ordinary threads only, at most `size` busy at once. */
  private ordinarySlot(queueIndex: number): Slot | undefined {
    const ordinary = this.slots.filter((s) => !s.lane);
    const busy = ordinary.filter((s) => s.job).length;
    if (busy >= this.size) return undefined;
    const free = ordinary.find((s) => !s.job && s.ready);
    if (free) return free;
    // No started thread is free. When one has started before, a task waits for whichever comes first — a started
    // thread freeing up or a booting one saying it is ready (pump runs on both) — instead of being tied to a
    // booting thread. A fresh pool ties the task to the booting thread, so a thread that cannot start fails that
    // task.
    const booting = ordinary.filter((s) => !s.job);
    if (ordinary.some((s) => s.ready)) {
      // As many booting threads as ordinary tasks that could start now (priority tasks are queued ahead of the
      // ordinary ones, so every task from this one on is ordinary).
      const waiting = this.queue.length - queueIndex;
      const wanted = Math.min(waiting, this.size - busy) - booting.length;
      for (let i = 0; i < wanted; i++) this.spawn({ lane: false });
      return undefined;
    }
    return booting[0] ?? this.spawn({ lane: false });
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    const start = performance.now();
    slot.channel
      .call(job.name, job.input, { transfer: job.options.transfer, onProgress: job.options.onProgress })
      .then(
        (value) => this.finish(slot, job, undefined, value),
        (error: Error) => this.finish(slot, job, error),
      );
    hostStep(`post ${job.name} to a worker`, start);
  }

  /** A task's answer: the thread is free for the next task (unless it was lost or stopped meanwhile). */
  private finish(slot: Slot, job: Job, error: Error | undefined, value?: unknown): void {
    if (slot.job === job) slot.job = undefined;
    slot.ready = true;
    this.settle(job, error, value);
    if (!this.disposed) this.pump();
  }

  /** `lane`: the priority lane's thread, told to get ready for a sample's files (see worker.ts). */
  private spawn({ lane }: { lane: boolean }): Slot {
    const worker = new Worker(this.options.script, {
      execArgv: this.options.execArgv,
      workerData: { readyForFiles: lane } satisfies PoolWorkerData,
    });
    const slot = { ready: false, lane } as Slot;
    slot.channel = new RpcChannel(worker, {
      lostError,
      onLost: (loss) => {
        const i = this.slots.indexOf(slot);
        // Stopped on purpose (a cancel, dispose): already out of the list, nothing else to do.
        if (i < 0) return;
        this.slots.splice(i, 1);
        if (this.disposed || slot.job) return;
        // A thread lost while booting with tasks waiting for it: the first of them fails as if it had been given to
        // it (a thread that cannot start must not leave them waiting, nor be started again and again).
        const at = slot.ready ? -1 : this.queue.findIndex((j) => j.priority === slot.lane);
        const waiting = at < 0 ? undefined : this.queue.splice(at, 1)[0];
        if (waiting) this.settle(waiting, lostError(loss));
        this.pump();
      },
    });
    worker.on('message', (m: unknown) => {
      if (slot.ready || !isPoolReady(m)) return;
      slot.ready = true;
      if (!this.disposed) this.pump();
    });
    this.slots.push(slot);
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
    void slot.channel.terminate(new CancelledError());
    // A stopped lane is replaced now: the next priority task is likely on its way (a newer sample superseded the
    // one decoding), and a thread takes 130 ms or more to boot. A stopped ordinary thread is not: the viewer stops a
    // sample's analysis as the next sample loads, whose files decode on the lane, and threads booting meanwhile would
    // slow what the user waits for; the next analysis, which starts only once that sample is drawn, starts the
    // threads it needs (pump).
    if (slot.lane && !this.disposed) this.spawn({ lane: true });
    this.pump();
  }

  private settle(job: Job, error: Error | undefined, value?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.options.signal?.removeEventListener('abort', job.onAbort);
    if (error) job.reject(error);
    else job.resolve(value);
  }
}
