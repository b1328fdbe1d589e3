/**
 * The slice-by-slice run through the model worker thread (what VS Code uses): the NIfTI it writes equals the
 * in-process run, progress arrives per slice over the RPC, cancelling stops between slices and writes nothing,
 * and a refusal crosses the thread with its message.
 */
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError } from '../../../../src/core/errors';
import { loadVolumeFile } from '../../../../src/node/io/load';
import { volumeProbMap } from '../../../../src/node/io/volume/maps';
import { ModelWorkerClient } from '../../../../src/node/model/modelWorkerClient';
import { ModelRunner } from '../../../../src/node/model/runner';
import { runModelOnVolume, type SliceProgress } from '../../../../src/node/volume/sliceModel';
import { repoPath } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const SCRIPT = repoPath('src/node/model/modelWorker.ts');
const EXEC_ARGV = ['--require', require.resolve('tsx/cjs')];
const T1 = repoPath('demo/volume/t1.nii.gz');
const MODEL = repoPath('demo/models/unet_bce.onnx');

describe('node/volume/sliceModel in the model worker', function () {
  this.timeout(120000);
  let client: ModelWorkerClient;
  let tmp: string;
  before(() => {
    client = new ModelWorkerClient({ script: SCRIPT, execArgv: EXEC_ARGV });
    tmp = makeTempDir('seglens-volume-worker').path;
  });
  after(async () => {
    await client.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('writes the sagittal probability volume, equal to the in-process run, with progress per slice', async () => {
    const output = join(tmp, 'prob_sagittal.nii');
    const progress: SliceProgress[] = [];
    const summary = await client.runVolume(MODEL, T1, 'sagittal', output, {
      onProgress: (p) => progress.push(p),
    });
    assert.deepEqual(summary.shape, [5, 68, 82, 94]);
    assert.equal(summary.slices, 94);
    assert.equal(summary.output, output);
    assert.equal(progress.length, 94);
    assert.deepEqual(progress[93], { ...progress[93], done: 94, total: 94, slice: 93, etaMs: 0 });
    const written = volumeProbMap(loadVolumeFile(output));
    const runner = new ModelRunner();
    try {
      const direct = await runModelOnVolume(runner, MODEL, T1, { axis: 'sagittal' });
      assert.deepEqual(written.data, direct.prob.data);
    } finally {
      await runner.dispose();
    }
  });

  it('cancelling stops between slices and writes nothing', async () => {
    const output = join(tmp, 'cancelled.nii');
    const abort = new AbortController();
    let seen = 0;
    await assert.rejects(
      client.runVolume(MODEL, T1, 'axial', output, {
        signal: abort.signal,
        onProgress: (p) => {
          seen = p.done;
          if (p.done === 2) abort.abort();
        },
      }),
      CancelledError,
    );
    assert.ok(seen >= 2 && seen < 68, `stopped after ${seen} slices`);
    assert.equal(existsSync(output), false);
  });

  it('a refusal crosses the thread naming the file', async () => {
    await assert.rejects(
      client.runVolume(MODEL, T1, 'axial', join(tmp, 'big.nii'), { maxOutputElements: 1000 }),
      /t1\.nii\.gz: the probability volume would hold 1 class\(es\) × 94×82×68 voxels/,
    );
  });
});
