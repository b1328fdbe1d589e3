// The worker pool's priority lane (issue 13, command to overlay): priority tasks — the viewer's file decoding, the
// slider's mask — have a thread ordinary tasks never use, so stopping a sample's analysis (every ordinary thread)
// leaves the thread that decodes the next sample's files booted and warm. Which thread ran a task is told by the
// thread's id (the `whoAmI` probe).
import assert from 'node:assert/strict';
import { CancelledError } from '../../../../src/core/errors';
import { WorkerPool } from '../../../../src/node/workers/pool';
import { BuiltWorker, buildPoolWorker } from './buildWorker';
import type { TestTasks } from './testTasks';

/** One turn of this thread's event loop. */
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('host/workers: the priority lane', function () {
  this.timeout(60_000);
  let worker: BuiltWorker;
  let script: string;

  before(async () => {
    worker = await buildPoolWorker('seglens-lane-');
    script = worker.script;
  });
  after(() => worker.dispose());

  it('survives the cancel of every ordinary thread and runs the next priority task at once on the same thread', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 2 });
    try {
      const lane = await pool.run('whoAmI', { ms: 0 }, { priority: true });
      // The lane thread is told to get ready for a sample's files (the product's worker loads its PNG decoder).
      assert.deepEqual(await pool.run('startedAs', {}, { priority: true }), { readyForFiles: true });
      const ac = new AbortController();
      const long = [1, 2].map(() => pool.run('whoAmI', { ms: 30_000 }, { signal: ac.signal }));
      while (pool.stats.busy < 2) await tick();
      assert.equal(pool.stats.threads, 3, 'two ordinary threads beside the lane');
      ac.abort();
      for (const p of long) await assert.rejects(p, CancelledError);
      // Both ordinary threads were stopped (and are not replaced until ordinary work comes); the lane serves on.
      assert.equal(await pool.run('whoAmI', { ms: 0 }, { priority: true }), lane);
      assert.equal(pool.stats.threads, 1);
    } finally {
      await pool.dispose();
    }
  });

  it('never gives an ordinary task to the lane, even while the lane is idle and ordinary tasks queue', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    try {
      const lane = await pool.run('whoAmI', { ms: 0 }, { priority: true });
      const ordinary = await Promise.all([1, 2, 3].map(() => pool.run('whoAmI', { ms: 30 })));
      assert.equal(new Set(ordinary).size, 1, 'one ordinary thread (size 1) ran them all, one after another');
      assert.notEqual(ordinary[0], lane);
      assert.equal(pool.stats.threads, 2);
    } finally {
      await pool.dispose();
    }
  });

  it('runs a priority task on a free ordinary thread while the lane is busy', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    try {
      const lane = await pool.run('whoAmI', { ms: 0 }, { priority: true });
      const ordinary = await pool.run('whoAmI', { ms: 0 });
      const long = pool.run('whoAmI', { ms: 1_500 }, { priority: true });
      while (pool.stats.busy === 0) await tick();
      const t0 = Date.now();
      assert.equal(await pool.run('whoAmI', { ms: 0 }, { priority: true }), ordinary);
      assert.ok(Date.now() - t0 < 1_500, 'it did not wait for the busy lane');
      assert.equal(await long, lane);
      assert.notEqual(lane, ordinary);
    } finally {
      await pool.dispose();
    }
  });

  it('replaces the lane at once when its task is cancelled (a newer sample supersedes one still decoding)', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    try {
      const lane = await pool.run('whoAmI', { ms: 0 }, { priority: true });
      const ordinary = await pool.run('whoAmI', { ms: 0 });
      const ac = new AbortController();
      const slow = pool.run('whoAmI', { ms: 30_000 }, { priority: true, signal: ac.signal });
      while (pool.stats.busy === 0) await tick();
      ac.abort();
      await assert.rejects(slow, CancelledError);
      assert.equal(pool.stats.threads, 2, 'a new lane is booting in the stopped one’s place');
      // Keep the ordinary thread busy, so the next priority task can only run on the new lane.
      const busy = pool.run('whoAmI', { ms: 300 });
      while (pool.stats.busy === 0) await tick();
      const next = await pool.run('whoAmI', { ms: 0 }, { priority: true });
      assert.notEqual(next, ordinary);
      assert.notEqual(next, lane);
      assert.equal(await busy, ordinary);
      assert.equal(pool.stats.threads, 2);
    } finally {
      await pool.dispose();
    }
  });
});
