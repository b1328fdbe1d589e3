import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CancelledError, InputError } from '../../../../src/core/errors';
import { decodeRaster } from '../../../../src/node/io/decode';
import { WorkerPool } from '../../../../src/node/workers/pool';
import { deserializeError } from '../../../../src/node/workers/serializeError';
import { BuiltWorker, buildPoolWorker } from './buildWorker';
import type { TestTasks } from './testTasks';
import { REPO } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';
import { downsampleBox } from '../../../../src/core/viewmodel/preview';

let worker: BuiltWorker;
let script: string;

/** One turn of this thread's event loop. */
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('host/workers: WorkerPool', function () {
  this.timeout(60_000);

  before(async () => {
    // The pool runs the worker bundle built the way esbuild.mjs builds dist/worker.js, with the test probes added.
    worker = await buildPoolWorker('seglens-pool-');
    script = worker.script;
  });
  after(() => worker.dispose());

  it('runs a task in another thread while this thread keeps serving its event loop', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    try {
      let ticks = 0;
      let done = false;
      const p = pool.run('spin', { ms: 400, echo: 7 }).then((v) => {
        done = true;
        return v;
      });
      // While the worker spins, this thread is free: it gets through many event-loop turns before the result.
      while (!done && ticks < 50) {
        await tick();
        ticks++;
      }
      assert.equal(ticks, 50, 'the main thread was blocked by the task');
      assert.equal(await p, 7);
    } finally {
      await pool.dispose();
    }
  });

  it('decodes in the worker exactly like in-process, transferring the file bytes', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 2 });
    try {
      const file = new Uint8Array(readFileSync(join(REPO, 'test/fixtures/images/masks/case1.png')));
      const local = await decodeRaster(file, { source: 'm.png', maxPixels: 1e6, role: 'labels' });
      const bytes = file.slice();
      const remote = await pool.run(
        'decodeRaster',
        { bytes, source: 'm.png', maxPixels: 1e6, role: 'labels' },
        { transfer: [bytes.buffer] },
      );
      assert.equal(bytes.byteLength, 0, 'the input buffer was moved, not copied');
      assert.deepEqual(remote.classes, local.classes);
      assert.deepEqual([...remote.data], [...local.data]);
      assert.equal(remote.data.constructor, Uint8Array);
    } finally {
      await pool.dispose();
    }
  });

  it('reads a file by path and decodes it in the worker, exactly like the in-process decode of its bytes', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    try {
      const path = join(REPO, 'test/fixtures/images/masks/case1.png');
      const local = await decodeRaster(new Uint8Array(readFileSync(path)), {
        source: 'm.png',
        maxPixels: 1e6,
        role: 'labels',
      });
      const before = Date.now();
      const remote = await pool.run('decodeFile', {
        path,
        maxBytes: 1e9,
        source: 'm.png',
        maxPixels: 1e6,
        role: 'labels',
      });
      assert.ok(remote.readAt >= before && remote.readAt <= Date.now(), 'when it was read, on this clock');
      assert.deepEqual(remote.raster.classes, local.classes);
      assert.deepEqual([...remote.raster.data], [...local.data]);
      await assert.rejects(
        pool.run('decodeFile', { path, maxBytes: 10, source: 'm.png', maxPixels: 1e6, role: 'labels' }),
        (e: unknown) =>
          e instanceof InputError && e.source === 'm.png' && /larger than SegLens reads/.test(e.message),
      );
    } finally {
      await pool.dispose();
    }
  });

  it('with `preview`, a large image also comes back averaged over blocks (the viewer sends that first)', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    const dir = makeTempDir('seglens-preview');
    try {
      const sharp = ((await import('sharp')) as unknown as { default: typeof import('sharp').default })
        .default;
      const big = join(dir.path, 'big.png');
      await sharp({
        create: {
          width: 1000,
          height: 700,
          channels: 3,
          background: { r: 0, g: 0, b: 0 },
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .png()
        .toFile(big);
      const decoded = await pool.run('decodeFile', {
        path: big,
        maxBytes: 1e9,
        source: 'big.png',
        maxPixels: 1e7,
        role: 'image',
        preview: true,
      });
      const r = decoded.raster;
      const want = downsampleBox(r.data, r.width, r.height, r.channels, 2);
      assert.ok(decoded.preview);
      assert.deepEqual(
        [decoded.preview.step, decoded.preview.width, decoded.preview.height],
        [2, want.width, want.height],
      );
      assert.deepEqual([...decoded.preview.data], [...want.data]);
      // Not for a mask, nor for a small image.
      const mask = await pool
        .run('decodeFile', {
          path: big,
          maxBytes: 1e9,
          source: 'big.png',
          maxPixels: 1e7,
          role: 'labels',
          preview: true,
        })
        .catch(() => undefined);
      assert.equal(mask?.preview, undefined);
      const small = await pool.run('decodeFile', {
        path: join(REPO, 'test/fixtures/images/masks/case1.png'),
        maxBytes: 1e9,
        source: 'm.png',
        maxPixels: 1e6,
        role: 'image',
        preview: true,
      });
      assert.equal(small.preview, undefined);
    } finally {
      dir.dispose();
      await pool.dispose();
    }
  });

  it('rebuilds InputError from the worker with its source, so messages still name the file', async () => {
    const pool = new WorkerPool<TestTasks>({ script });
    try {
      const bytes = new Uint8Array(readFileSync(join(REPO, 'test/fixtures/images/images/corrupt.png')));
      await assert.rejects(
        pool.run('decodeRaster', { bytes, source: 'images/corrupt.png', maxPixels: 1e6, role: 'image' }),
        (e: unknown) => {
          assert.ok(e instanceof InputError);
          assert.equal(e.source, 'images/corrupt.png');
          assert.match(e.message, /^images\/corrupt\.png: corrupt or truncated PNG/);
          return true;
        },
      );
      // The worker survived the failure.
      assert.equal(await pool.run('spin', { ms: 0, echo: 1 }), 1);
    } finally {
      await pool.dispose();
    }
  });

  it('cancels a running task by stopping its thread, then serves the queue with a fresh one', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    try {
      const ac = new AbortController();
      const long = pool.run('spin', { ms: 30_000, echo: 1 }, { signal: ac.signal });
      const next = pool.run('spin', { ms: 0, echo: 2 });
      while (pool.stats.busy === 0) await tick();
      ac.abort();
      await assert.rejects(long, CancelledError);
      assert.equal(await next, 2);
      assert.equal(pool.stats.threads, 1);
    } finally {
      await pool.dispose();
    }
  });

  it('stops the thread of a cancelled task and starts another only when ordinary work needs it', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 2 });
    try {
      const ac = new AbortController();
      const long = [1, 2].map((echo) => pool.run('spin', { ms: 30_000, echo }, { signal: ac.signal }));
      while (pool.stats.busy < 2) await tick();
      ac.abort();
      for (const p of long) await assert.rejects(p, CancelledError);
      // Nothing boots beside what the user waits for next (the viewer's next sample decodes on the priority lane).
      assert.deepEqual(pool.stats, { threads: 0, busy: 0, queued: 0 });
      assert.equal(await pool.run('spin', { ms: 0, echo: 3 }), 3);
      assert.equal(pool.stats.threads, 1);
      // Ordinary threads are not told to get ready for a sample's files (only the lane is: poolLane.test.ts).
      assert.deepEqual(await pool.run('startedAs', {}), { readyForFiles: false });
    } finally {
      await pool.dispose();
    }
  });

  it('after a cancel, new tasks go to a started thread rather than wait for a booting one', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 2 });
    try {
      // Two started threads, one of them then busy with a long task that is cancelled.
      const started = await Promise.all([1, 2].map(() => pool.run('whoAmI', { ms: 50 })));
      assert.equal(new Set(started).size, 2);
      const ac = new AbortController();
      const long = pool.run('whoAmI', { ms: 30_000 }, { signal: ac.signal });
      while (pool.stats.busy === 0) await tick();
      ac.abort();
      await assert.rejects(long, CancelledError);
      assert.equal(pool.stats.threads, 1, 'the survivor');
      // Two quick tasks at once: both run on the surviving thread (it is free again long before a thread boots);
      // tied to a booting thread, the second would have waited for it.
      const answers = await Promise.all([pool.run('whoAmI', { ms: 0 }), pool.run('whoAmI', { ms: 0 })]);
      assert.equal(answers[0], answers[1]);
      assert.ok(started.includes(answers[0]));
      assert.equal(pool.stats.threads, 2, 'a second thread was started for the second task meanwhile');
    } finally {
      await pool.dispose();
    }
  });

  it('drops a queued task on cancellation without touching the running one', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    try {
      const first = pool.run('spin', { ms: 200, echo: 1 });
      const ac = new AbortController();
      const queued = pool.run('spin', { ms: 0, echo: 2 }, { signal: ac.signal });
      assert.equal(pool.stats.queued, 1);
      ac.abort();
      await assert.rejects(queued, CancelledError);
      assert.equal(pool.stats.queued, 0);
      assert.equal(await first, 1);
      await assert.rejects(pool.run('spin', { ms: 0, echo: 3 }, { signal: ac.signal }), CancelledError);
    } finally {
      await pool.dispose();
    }
  });

  it('runs up to `size` tasks at once and rejects work after dispose', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 2 });
    const all = Promise.all([1, 2, 3].map((i) => pool.run('spin', { ms: 50, echo: i })));
    assert.equal(pool.stats.threads, 2);
    assert.equal(pool.stats.queued, 1);
    assert.deepEqual(await all, [1, 2, 3]);
    await pool.dispose();
    await assert.rejects(pool.run('spin', { ms: 0, echo: 1 }), /shut down/);
  });

  it('fails only the task of a worker that cannot start', async () => {
    const pool = new WorkerPool<TestTasks>({ script: join(dirname(script), 'missing.js') });
    await assert.rejects(pool.run('spin', { ms: 0, echo: 1 }), /worker thread/);
    await pool.dispose();
  });

  it('forwards progress reports, ending at 1, before the result', async () => {
    const pool = new WorkerPool<TestTasks>({ script, size: 1 });
    try {
      const seen: { fraction: number; label?: string }[] = [];
      let resolvedAfter = -1;
      const value = await pool.run(
        'spin',
        { ms: 300, echo: 5 },
        {
          onProgress: (p) => {
            seen.push(p);
            if (p.fraction === 1) resolvedAfter = seen.length;
          },
        },
      );
      assert.equal(value, 5);
      assert.ok(seen.length >= 1 && seen.length <= 4, `${seen.length} reports`);
      assert.equal(seen[seen.length - 1].fraction, 1);
      assert.equal(seen[seen.length - 1].label, 'quarter 4');
      assert.equal(resolvedAfter, seen.length);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i].fraction > seen[i - 1].fraction);
      // A throwing callback does not break the pool.
      assert.equal(
        await pool.run(
          'spin',
          { ms: 10, echo: 6 },
          {
            onProgress: () => {
              throw new Error('x');
            },
          },
        ),
        6,
      );
    } finally {
      await pool.dispose();
    }
  });

  it('deserializes error kinds', () => {
    const e = deserializeError({ name: 'InputError', message: 'a.png: bad', source: 'a.png' });
    assert.ok(e instanceof InputError);
    assert.equal((e as InputError).source, 'a.png');
    assert.equal(e.message, 'a.png: bad');
    assert.ok(deserializeError({ name: 'CancelledError', message: 'cancelled' }) instanceof CancelledError);
    const other = deserializeError({ name: 'TypeError', message: 'x' });
    assert.equal(other.name, 'TypeError');
  });
});
