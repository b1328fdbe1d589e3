// The worker pool's priority queue (the large-map slider's masks must not wait behind every decoder): with one
// thread busy, priority tasks run before the ordinary tasks queued earlier, in their own order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { WorkerPool } from '../../../src/host/workers/pool';

const REPO = join(__dirname, '..', '..', '..');

describe('analysis: worker pool priority for the slider', function () {
  this.timeout(60_000);
  let dir: string;
  let script: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seglens-prio-'));
    script = join(dir, 'worker.js');
    await build({
      entryPoints: [join(REPO, 'src/host/workers/worker.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['sharp', 'onnxruntime-node', 'vscode'],
      nodePaths: [join(REPO, 'node_modules')],
      logLevel: 'silent',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs priority tasks ahead of queued ordinary ones, FIFO among themselves', async () => {
    const pool = new WorkerPool({ script, size: 1 });
    try {
      const done: number[] = [];
      const run = (echo: number, priority?: boolean) =>
        pool.run('spin', { ms: 30, echo }, { priority }).then((v) => done.push(v));
      // 1 occupies the only thread; 2 and 3 queue as ordinary tasks; 4 and 5 jump ahead of them.
      await Promise.all([run(1), run(2), run(3), run(4, true), run(5, true)]);
      assert.deepEqual(done, [1, 4, 5, 2, 3]);
    } finally {
      await pool.dispose();
    }
  });
});
