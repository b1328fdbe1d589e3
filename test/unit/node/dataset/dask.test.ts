/**
 * The Dask recipe (tools/dask): builds the CLI bundle (with its worker) the way esbuild.mjs does, then runs
 * tools/dask/test_seglens_dask.py with /usr/bin/python3: a LocalCluster of 2 workers evaluates 3 shards and the merged
 * report must equal the single-machine run. Skipped, saying why, when dask.distributed is not importable (CI
 * installs python3-distributed).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO } from '../../../support/repo';
import { PYTHON, pythonAvailable } from '../../core/dataset/python';
import { writeSynthSet } from './synth';
import { makeTempDir } from '../../../support/tempDir';

describe('tools/dask: sharded eval on a Dask LocalCluster equals one run', function () {
  this.timeout(300_000);
  let dir: string;
  before(async function () {
    if (!pythonAvailable(['dask.distributed'])) {
      console.warn(
        '    skipped: /usr/bin/python3 cannot import dask.distributed (apt install python3-distributed)',
      );
      this.skip();
    }
    dir = makeTempDir('seglens-dask').path;
    const common = {
      bundle: true,
      platform: 'node' as const,
      format: 'cjs' as const,
      target: 'node20',
      external: ['sharp', 'onnxruntime-node', 'vscode'],
      nodePaths: [join(REPO, 'node_modules')],
      logLevel: 'silent' as const,
    };
    await build({
      ...common,
      entryPoints: [join(REPO, 'src/cli/main.ts')],
      outfile: join(dir, 'bin/cli.js'),
    });
    await build({
      ...common,
      entryPoints: [join(REPO, 'src/node/workers/worker.ts')],
      outfile: join(dir, 'bin/worker.js'),
    });
    writeSynthSet(join(dir, 'data'), { n: 10, flat: true, seed: 21 });
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('3 shards on 2 Dask workers, merged, equal the single-machine report', () => {
    const r = spawnSync(PYTHON, [join(REPO, 'tools/dask/test_seglens_dask.py')], {
      env: {
        ...process.env,
        SEGLENS_CLI: `${JSON.stringify(process.execPath)} ${JSON.stringify(join(dir, 'bin/cli.js'))}`,
        DATA_DIR: join(dir, 'data'),
      },
      encoding: 'utf8',
      timeout: 280_000,
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const result = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
      ok: boolean;
      images: number;
      workers: number;
    };
    assert.deepEqual(result, { ok: true, images: 10, workers: 2, shards: 3 });
  });
});
