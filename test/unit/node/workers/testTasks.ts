/**
 * Probe tasks for the pool's own tests, served only by the test worker bundle (testWorker.ts) next to the
 * product's tasks: the product's table (src/node/workers/tasks.ts) carries no test code.
 */
import { threadId, workerData } from 'node:worker_threads';
import { TASKS } from '../../../../src/node/workers/tasks';
import type { TaskContext, TaskResult } from '../../../../src/node/workers/taskTypes';

export interface SpinTaskInput {
  /** Busy-waits this long: a long synchronous core computation, for tests of responsiveness and cancellation. */
  ms: number;
  echo: number;
}

export const TEST_TASKS = {
  ...TASKS,

  /** Echoes its input after spinning the CPU, reporting progress in quarters. */
  async spin(input: SpinTaskInput, ctx: TaskContext): Promise<TaskResult<number>> {
    const start = Date.now();
    let reported = 0;
    for (;;) {
      const done = input.ms <= 0 ? 1 : Math.min(1, (Date.now() - start) / input.ms);
      while (reported < 4 && done >= (reported + 1) / 4) {
        reported++;
        ctx.progress(reported / 4, `quarter ${reported}`);
      }
      if (done >= 1) break;
    }
    return { value: input.echo, transfer: [] };
  },

  /** This thread's id (which thread a task ran on), after spinning the CPU for `ms`. */
  async whoAmI(input: { ms: number }, _ctx: TaskContext): Promise<TaskResult<number>> {
    const start = Date.now();
    while (Date.now() - start < input.ms);
    return { value: threadId, transfer: [] };
  },

  /** What the pool told this thread as it started (its workerData). */
  async startedAs(_input: Record<string, never>, _ctx: TaskContext): Promise<TaskResult<unknown>> {
    return { value: workerData as unknown, transfer: [] };
  },
};

export type TestTasks = typeof TEST_TASKS;
