// The worker pool's priority tasks (the large-map slider's masks must not wait behind every decoder): with the one
// thread busy on a long task, priority tasks run at once on one extra thread, in their own order, and the ordinary
// tasks queued earlier still wait for the busy thread.
import assert from 'node:assert/strict';
import { WorkerPool } from '../../../../src/node/workers/pool';
import { BuiltWorker, buildPoolWorker } from './buildWorker';
import type { TestTasks } from './testTasks';

describe('analysis: worker pool priority for the slider', function () {
  this.timeout(60_000);
  let worker: BuiltWorker;
  let script: string;

  before(async () => {
    // The pool runs the worker bundle built the way esbuild.mjs builds dist/worker.js, with the test probes added.
    worker = await buildPoolWorker('seglens-prio-');
    script = worker.script;
  });
  after(() => worker.dispose());

  it('runs priority tasks at once on one extra thread, FIFO among themselves; ordinary ones wait their turn', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    try {
      const done: number[] = [];
      let maxThreads = 0;
      const run = (echo: number, ms: number, priority?: boolean) => {
        const p = pool.run('spin', { ms, echo }, { priority }).then((v) => done.push(v));
        maxThreads = Math.max(maxThreads, pool.stats.threads);
        return p;
      };
      // 1 occupies the only ordinary thread for long; 2 and 3 queue behind it; 4 and 5 do not wait for it.
      await Promise.all([run(1, 1500), run(2, 30), run(3, 30), run(4, 30, true), run(5, 30, true)]);
      assert.deepEqual(done, [4, 5, 1, 2, 3]);
      assert.equal(maxThreads, 2);
      assert.equal(pool.stats.threads, 2);
    } finally {
      await pool.dispose();
    }
  });
});
