/**
 * Entry point of a worker thread (bundled as dist/worker.js). It runs tasks from the task table one at a time
 * and answers each request with its result or a serialised error; it never exits on a task's failure.
 */
import { parentPort } from 'node:worker_threads';
import { serializeError } from './serializeError';
import { TASKS, TaskContext, TaskName, TaskRequest, TaskResponse, TaskResult } from './tasks';
import type { MessagePort } from 'node:worker_threads';

/** Progress messages at most this often (ms), except the final 100 %, so a chatty task cannot flood the host. */
const PROGRESS_INTERVAL_MS = 50;

function progressReporter(port: MessagePort, id: number): TaskContext {
  let last = -Infinity;
  return {
    progress(fraction, label) {
      const now = Date.now();
      const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      if (f < 1 && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      const msg: TaskResponse = {
        id,
        progress: label === undefined ? { fraction: f } : { fraction: f, label },
      };
      port.postMessage(msg);
    },
  };
}

const port = parentPort;
if (port) {
  port.on('message', (req: TaskRequest) => {
    void (async () => {
      try {
        const task = TASKS[req.name as TaskName] as (
          input: unknown,
          ctx: TaskContext,
        ) => Promise<TaskResult<unknown>>;
        if (typeof task !== 'function') throw new Error(`unknown worker task '${String(req.name)}'`);
        const { value, transfer } = await task(req.input, progressReporter(port, req.id));
        const res: TaskResponse = { id: req.id, ok: true, value };
        port.postMessage(res, transfer);
      } catch (e) {
        const res: TaskResponse = { id: req.id, ok: false, error: serializeError(e) };
        port.postMessage(res);
      }
    })();
  });
}
