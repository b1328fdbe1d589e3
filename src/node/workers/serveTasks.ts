/**
 * The worker side of the pool: serves a task table over the worker RPC (rpc.ts), one task at a time (the pool
 * sends a thread one task at a time), with progress throttled so a chatty task cannot flood the host. A failing
 * task is answered with its serialised error; the thread keeps serving.
 */
import type { MessagePort } from 'node:worker_threads';
import { serve, type Handlers, type RpcContext } from './rpc';
import type { TaskContext, TaskProgress, TaskTable } from './taskTypes';

/** Progress messages at most this often (ms), except the final 100 %. */
const PROGRESS_INTERVAL_MS = 50;

function throttled(ctx: RpcContext<TaskProgress>): TaskContext {
  let last = -Infinity;
  return {
    progress(fraction, label) {
      const now = Date.now();
      const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      if (f < 1 && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      ctx.progress(label === undefined ? { fraction: f } : { fraction: f, label });
    },
  };
}

/** The RPC methods of a task table: each task by name, reporting TaskProgress. */
export type TaskMethods<T extends TaskTable> = {
  [N in keyof T & string]: {
    input: Parameters<T[N]>[0];
    output: Awaited<ReturnType<T[N]>>['value'];
    progress: TaskProgress;
  };
};

/** What a pool thread posts once it serves and has warmed up (the pool then prefers it to a booting thread). */
export const POOL_READY = { poolReady: true } as const;

export function isPoolReady(m: unknown): boolean {
  return typeof m === 'object' && m !== null && (m as { poolReady?: unknown }).poolReady === true;
}

/** Serves `tasks` on `port`, then posts POOL_READY once `warmUp` (if any) has settled. */
export function serveTasks<T extends TaskTable>(port: MessagePort, tasks: T, warmUp?: Promise<void>): void {
  const handlers: Record<
    string,
    (input: unknown, ctx: RpcContext<TaskProgress>) => Promise<{ value: unknown; transfer: ArrayBuffer[] }>
  > = {};
  for (const [name, task] of Object.entries(tasks)) {
    handlers[name] = (input, ctx) => task(input as never, throttled(ctx));
  }
  serve(port, handlers as Handlers<TaskMethods<T>>);
  // An answer without an id: the RPC channel drops it, the pool reads it (pool.ts).
  void (warmUp ?? Promise.resolve()).finally(() => port.postMessage(POOL_READY));
}
