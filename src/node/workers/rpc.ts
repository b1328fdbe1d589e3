/**
 * One request/response protocol for every worker thread of SegLens (the pool's, the model runner's, the linter's),
 * so each worker is a table of handlers and each client a few lines of policy (when to start, how to cancel, what to
 * say when the thread dies) on top of `RpcChannel`.
 *
 * - Every request carries an id; the worker answers it exactly once, with a value or a SerializedError
 *   (serializeError.ts), preceded by any number of progress reports.
 * - Buffers named in `transfer` move instead of being copied, in both directions.
 * - Cancellation: the caller's AbortSignal rejects the call at once with CancelledError and tells the worker, whose
 *   handler sees `ctx.cancelled` at its next checkpoint. An owner that must stop a synchronous loop (the pool)
 *   terminates the thread instead.
 * - A thread that dies fails every call it held, with an error its owner words; a late answer to a settled call is
 *   dropped.
 *
 * The methods of a worker are described once, as a type (`Methods`), which both sides are checked against.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { CancelledError } from '../../core/errors';
import { deserializeError, serializeError, type SerializedError } from './serializeError';

/** What a worker offers: per method name its input, its output and (optionally) its progress reports. */
export type Methods = Record<string, { input: unknown; output: unknown; progress?: unknown }>;

/** The progress reports of method `K` (never when it reports none). */
export type ProgressOf<M extends Methods, K extends keyof M> = M[K] extends { progress: infer P } ? P : never;

// ---------------------------------------------------------------------------------------------------------------
// Wire format

export type RpcRequest =
  | { id: number; method: string; input: unknown }
  /** The caller gave up on request `id`; its handler sees `ctx.cancelled`. */
  | { id: number; cancel: true };

export type RpcResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { id: number; progress: unknown };

// ---------------------------------------------------------------------------------------------------------------
// Worker side

export interface RpcContext<P> {
  /** Sends a progress report to the caller (unthrottled: a chatty handler throttles itself). */
  progress(report: P): void;
  /** True once the caller cancelled this request; long handlers check it between steps. */
  readonly cancelled: boolean;
}

/** A handler's answer: the value, and the buffers to move (not copy) back to the caller. */
export interface Reply<T> {
  value: T;
  transfer?: ArrayBuffer[];
}

export type Handlers<M extends Methods> = {
  [K in keyof M]: (input: M[K]['input'], ctx: RpcContext<ProgressOf<M, K>>) => Promise<Reply<M[K]['output']>>;
};

export interface ServeOptions {
  /**
   * Run requests one at a time in arrival order (the linter: a document's tree must be updated by one edit list
   * before the next). Cancellations are still seen at once. @default false
   */
  sequential?: boolean;
}

/** Answers requests arriving on `port` with `handlers`; a handler's failure is answered, never fatal. */
export function serve<M extends Methods>(
  port: MessagePort,
  handlers: Handlers<M>,
  options: ServeOptions = {},
): void {
  const cancelled = new Set<number>();
  let queue: Promise<void> = Promise.resolve();
  const send = (res: RpcResponse, transfer: readonly ArrayBuffer[] = []) =>
    port.postMessage(res, [...transfer]);

  const run = async (id: number, method: string, input: unknown): Promise<void> => {
    const ctx: RpcContext<unknown> = {
      progress: (report) => send({ id, progress: report }),
      get cancelled() {
        return cancelled.has(id);
      },
    };
    try {
      const handler = Object.prototype.hasOwnProperty.call(handlers, method)
        ? (handlers as Record<string, (input: unknown, ctx: RpcContext<unknown>) => Promise<Reply<unknown>>>)[
            method
          ]
        : undefined;
      if (typeof handler !== 'function') throw new Error(`unknown worker method '${method}'`);
      const reply = await handler(input, ctx);
      if (cancelled.has(id)) throw new CancelledError();
      send({ id, ok: true, value: reply.value }, reply.transfer);
    } catch (e) {
      send({ id, ok: false, error: serializeError(e) });
    } finally {
      cancelled.delete(id);
    }
  };

  port.on('message', (req: RpcRequest) => {
    if ('cancel' in req) {
      cancelled.add(req.id);
      return;
    }
    if (options.sequential) queue = queue.then(() => run(req.id, req.method, req.input));
    else void run(req.id, req.method, req.input);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Host side

/** How a thread was lost: it threw outside any handler, or it exited. */
export type WorkerLoss = { error: Error } | { exitCode: number };

export interface CallOptions<P> {
  /** Buffers to move into the worker (they become unusable in the caller). */
  transfer?: ArrayBuffer[];
  /** Aborting rejects the call with CancelledError at once and tells the worker. */
  signal?: AbortSignal;
  /** Called with the handler's progress reports; a throwing callback is ignored. */
  onProgress?: (report: P) => void;
}

export interface ChannelOptions {
  /** Words the error of a call whose thread was lost (e.g. naming the model it was running). */
  lostError(loss: WorkerLoss, call: { method: string; input: unknown }): Error;
  /** Called once when the thread is lost, after the pending calls failed. */
  onLost?(loss: WorkerLoss): void;
  /**
   * Keep the process alive while calls are in flight (the thread is `unref`'d when idle either way). @default false
   */
  keepAlive?: boolean;
}

interface Pending {
  method: string;
  input: unknown;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (report: unknown) => void;
  cleanup(): void;
}

/** The host's end of one worker thread: typed calls with ids, transfers, progress, cancellation. */
export class RpcChannel<M extends Methods> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lost = false;

  constructor(
    readonly worker: Worker,
    private readonly options: ChannelOptions,
  ) {
    worker.unref();
    worker.on('message', (res: RpcResponse) => this.onMessage(res));
    worker.on('error', (error) => this.onLoss({ error }));
    worker.on('exit', (exitCode) => this.onLoss({ exitCode }));
  }

  /** Calls in flight. */
  get size(): number {
    return this.pending.size;
  }

  /** False once the thread died or was terminated. */
  get alive(): boolean {
    return !this.lost;
  }

  call<K extends keyof M & string>(
    method: K,
    input: M[K]['input'],
    options: CallOptions<ProgressOf<M, K>> = {},
  ): Promise<M[K]['output']> {
    if (this.lost) return Promise.reject(new Error('the worker thread has stopped'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const id = this.nextId++;
    return new Promise<M[K]['output']>((resolve, reject) => {
      const onAbort = () => {
        // The worker stops at its next checkpoint; the caller is released at once.
        if (!this.lost) this.post({ id, cancel: true });
        this.settle(id, new CancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        input,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress as ((report: unknown) => void) | undefined,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      if (this.options.keepAlive) this.worker.ref();
      try {
        this.post({ id, method, input }, options.transfer);
      } catch (e) {
        this.settle(id, e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Fails every call in flight with `error` (e.g. a timeout before the owner terminates the thread). */
  failAll(error: (call: { method: string; input: unknown }) => Error): void {
    for (const [id, p] of [...this.pending]) this.settle(id, error(p));
  }

  /** Stops the thread; calls in flight fail with `error`. */
  async terminate(error: Error): Promise<void> {
    this.lost = true;
    this.failAll(() => error);
    await this.worker.terminate();
  }

  private post(req: RpcRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(req, transfer);
  }

  private onMessage(res: RpcResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return; // Cancelled or already failed: late answers are dropped.
    if ('progress' in res) {
      try {
        p.onProgress?.(res.progress);
      } catch {
        // A failing progress callback must not take the message handler (and the host) down.
      }
      return;
    }
    if (res.ok) this.settle(res.id, undefined, res.value);
    else this.settle(res.id, deserializeError(res.error));
  }

  private onLoss(loss: WorkerLoss): void {
    if (this.lost) return;
    this.lost = true;
    for (const [id, p] of [...this.pending]) this.settle(id, this.options.lostError(loss, p));
    this.options.onLost?.(loss);
  }

  private settle(id: number, error: Error | undefined, value?: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.cleanup();
    if (this.options.keepAlive && this.pending.size === 0) this.worker.unref();
    if (error) p.reject(error);
    else p.resolve(value);
  }
}
