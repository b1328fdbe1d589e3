/**
 * A model that takes its worker thread down (native crash, out of memory): the command reports it as an error naming
 * the model, every time (each run starts a fresh thread; nothing hangs). The thread really dies: it is
 * test/unit/node/model/crashingWorker.ts, a worker script that exits on its first request.
 */
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ModelWorkerClient } from '../../../../src/node/model/modelWorkerClient';
import { runModelOnImage } from '../../../../src/vscode/model/runOnImage';
import { MODELS_DIR, makeDeps } from './fakeDeps';
import { repoPath } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const CRASHING = repoPath('test/unit/node/model/crashingWorker.ts');

describe('host/modelCommands: a crashing model worker', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => {
    tmp = makeTempDir('seglens-crash').path;
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('is reported by model name on every run; nothing hangs', async function () {
    if (!existsSync(CRASHING)) this.skip();
    const crashing = new ModelWorkerClient({
      script: CRASHING,
      execArgv: ['--require', require.resolve('tsx/cjs')],
    });
    try {
      const f = makeDeps(crashing, join(tmp, 'store'));
      f.settings.path = join(MODELS_DIR, 'sigmoid_dynamic.onnx');
      for (let i = 0; i < 2; i++) {
        assert.equal(await runModelOnImage(f.deps, join(MODELS_DIR, 'grey_13x10.png')), undefined);
      }
      const errors = f.ui.of('error');
      assert.equal(errors.length, 2);
      for (const e of errors) {
        assert.match(
          e.message,
          /^SegLens: sigmoid_dynamic\.onnx: the model worker stopped unexpectedly \(exit code 3\)/,
        );
      }
      assert.equal(f.shown.length, 0);
    } finally {
      await crashing.dispose();
    }
  });
});
