/**
 * Entry point of a worker thread (bundled as dist/worker.js). It runs tasks from the task table one at a time
 * and answers each request with its result or a serialised error; it never exits on a task's failure.
 */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../../core/errors';
import { SerializedError, TASKS, TaskName, TaskRequest, TaskResponse, TaskResult } from './tasks';

function serialize(e: unknown): SerializedError {
  if (e instanceof Error) {
    return {
      name: e.name,
      message: e.message,
      source: e instanceof InputError ? e.source : undefined,
      stack: e.stack,
    };
  }
  return { name: 'Error', message: String(e) };
}

const port = parentPort;
if (port) {
  port.on('message', (req: TaskRequest) => {
    void (async () => {
      try {
        const task = TASKS[req.name as TaskName] as (input: unknown) => Promise<TaskResult<unknown>>;
        if (typeof task !== 'function') throw new Error(`unknown worker task '${String(req.name)}'`);
        const { value, transfer } = await task(req.input);
        const res: TaskResponse = { id: req.id, ok: true, value };
        port.postMessage(res, transfer);
      } catch (e) {
        const res: TaskResponse = { id: req.id, ok: false, error: serialize(e) };
        port.postMessage(res);
      }
    })();
  });
}
