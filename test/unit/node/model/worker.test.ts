/**
 * The model worker thread through its client: the same maps as in-process, progress and cancellation for folders,
 * skipped existing outputs, and recovery when the thread dies.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError, InputError } from '../../../../src/core/errors';
import { readNpy } from '../../../../src/core/io/npy';
import { FolderProgress, planFolderOutputs } from '../../../../src/node/model/folderRun';
import { loadModelImage } from '../../../../src/node/model/loadImage';
import { ModelWorkerClient } from '../../../../src/node/model/modelWorkerClient';
import { MODELS_DIR, maxAbsDiff } from '../../core/model/helpers';
import { repoPath } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const SCRIPT = repoPath('src/node/model/modelWorker.ts');
const EXEC_ARGV = ['--require', require.resolve('tsx/cjs')];
const MODEL = join(MODELS_DIR, 'sigmoid_dynamic.onnx');

function expected(name: string): Float32Array {
  return readNpy(readFileSync(join(MODELS_DIR, `${name}.expected.npy`))).data as Float32Array;
}

describe('model worker', () => {
  let client: ModelWorkerClient;
  let tmp: string;
  before(() => {
    client = new ModelWorkerClient({ script: SCRIPT, execArgv: EXEC_ARGV });
  });
  after(() => client.dispose());
  beforeEach(() => {
    tmp = makeTempDir('seglens-worker').path;
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs a model on an image path and on transferred pixels, with the sidecar config', async () => {
    const byPath = await client.runImage(MODEL, join(MODELS_DIR, 'grey_13x10.png'));
    assert.deepEqual(byPath.prob.shape, [1, 13, 10]);
    assert.ok(byPath.prob.data instanceof Float32Array);
    assert.ok(maxAbsDiff(byPath.prob.data, expected('sigmoid_pad_grey')) < 2e-5);
    assert.match(byPath.configSource ?? '', /sigmoid_dynamic\.seglens\.json$/);
    const pixels = await loadModelImage(join(MODELS_DIR, 'rgb_20x27.png'));
    const byPixels = await client.runImage(MODEL, pixels, { imageSource: 'rgb' });
    assert.ok(maxAbsDiff(byPixels.prob.data, expected('sigmoid_pad_rgb_luma')) < 2e-5);
  });

  it('inspects a model: inferred defaults with notes for the user to confirm', async () => {
    const r = await client.inspect(join(MODELS_DIR, 'nhwc_bgr.onnx'));
    assert.equal(r.config.layout, 'NHWC');
    assert.equal(r.configSource, undefined);
    assert.ok(r.notes.some((n) => /layout NHWC inferred/.test(n)));
  });

  it('reports model errors naming the model, and keeps serving', async () => {
    await assert.rejects(
      client.runImage(join(MODELS_DIR, 'not_onnx.onnx'), join(MODELS_DIR, 'grey_13x10.png')),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.match(e.message, /not_onnx\.onnx: cannot load the model/);
        return true;
      },
    );
    assert.deepEqual(
      (await client.runImage(MODEL, join(MODELS_DIR, 'grey_13x10.png'))).prob.shape,
      [1, 13, 10],
    );
  });

  it('runs a folder with progress, writes <stem>.npy, counts failures and skips existing maps', async () => {
    const inputs = ['grey_13x10.png', 'rgb_20x27.png', 'cases.json'].map((f) => join(MODELS_DIR, f));
    const progress: FolderProgress[] = [];
    const summary = await client.runFolder(MODEL, inputs, tmp, { onProgress: (p) => progress.push(p) });
    assert.deepEqual(
      { written: summary.written, skipped: summary.skipped, failed: summary.failed },
      { written: 2, skipped: 0, failed: 1 },
    );
    assert.deepEqual(
      progress.map((p) => [p.done, p.total, p.status]),
      [
        [1, 3, 'written'],
        [2, 3, 'written'],
        [3, 3, 'failed'],
      ],
    );
    assert.match(summary.failures[0].error, /cases\.json: unknown or unsupported file format/);
    const map = readNpy(readFileSync(join(tmp, 'rgb_20x27.npy')));
    assert.ok(maxAbsDiff(map.data as Float32Array, expected('sigmoid_pad_rgb_luma')) < 2e-5);
    assert.ok(!existsSync(join(tmp, 'cases.npy')));

    const again = await client.runFolder(MODEL, inputs.slice(0, 2), tmp);
    assert.equal(again.skipped, 2, 'existing maps are kept unless overwrite was agreed');
    const forced = await client.runFolder(MODEL, inputs.slice(0, 2), tmp, { existing: 'overwrite' });
    assert.equal(forced.written, 2);
  });

  it('refuses two inputs that map to one output name', () => {
    assert.throws(
      () => planFolderOutputs(['/a/x.png', '/b/x.jpg'], '/out'),
      /\/a\/x\.png and \/b\/x\.jpg would both be written to x\.npy/,
    );
  });

  it('cancels a folder run between images', async () => {
    const inputs: string[] = [];
    for (let i = 0; i < 40; i++) {
      const p = join(tmp, `img${i}.png`);
      copyFileSync(join(MODELS_DIR, 'grey_13x10.png'), p);
      inputs.push(p);
    }
    const out = makeTempDir('seglens-worker-out').path;
    try {
      const controller = new AbortController();
      let seen = 0;
      const run = client.runFolder(MODEL, inputs, out, {
        signal: controller.signal,
        onProgress: () => {
          seen++;
          if (seen === 1) controller.abort();
        },
      });
      await assert.rejects(run, CancelledError);
      // The caller is released at once; the worker finishes the image in flight, then stops. Wait until the
      // output folder stops changing before counting.
      let written = -1;
      for (let tries = 0; tries < 50; tries++) {
        await new Promise((r) => setTimeout(r, 100));
        const now = readdirSync(out).filter((f) => f.endsWith('.npy')).length;
        if (now === written && !readdirSync(out).some((f) => f.endsWith('.tmp'))) break;
        written = now;
      }
      assert.ok(written >= 1 && written < inputs.length, `${written} maps written`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('releases the caller at once when a single-image run is cancelled, and keeps serving', async () => {
    const controller = new AbortController();
    const run = client.runImage(MODEL, join(MODELS_DIR, 'rgb_20x27.png'), { signal: controller.signal });
    controller.abort();
    await assert.rejects(run, CancelledError);
    const already = new AbortController();
    already.abort();
    await assert.rejects(
      client.runImage(MODEL, join(MODELS_DIR, 'rgb_20x27.png'), { signal: already.signal }),
      CancelledError,
    );
    assert.deepEqual(
      (await client.runImage(MODEL, join(MODELS_DIR, 'grey_13x10.png'))).prob.shape,
      [1, 13, 10],
    );
  });

  it('fails pending requests naming the model when the thread dies, then recovers', async () => {
    const crashing = new ModelWorkerClient({
      script: repoPath('test/unit/node/model/crashingWorker.ts'),
      execArgv: EXEC_ARGV,
    });
    try {
      await assert.rejects(crashing.inspect(MODEL), (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.match(
          e.message,
          /sigmoid_dynamic\.onnx: the model worker stopped unexpectedly \(exit code 3\)/,
        );
        return true;
      });
      await assert.rejects(
        crashing.inspect(MODEL),
        /stopped unexpectedly/,
        'a fresh thread is started for the next request',
      );
    } finally {
      await crashing.dispose();
    }
  });
});

describe('model runner loading', () => {
  it('does not load onnxruntime until a model runs (activation stays cheap)', () => {
    const probe = [
      `require(${JSON.stringify(repoPath('src/node/model/modelWorkerClient.ts'))});`,
      `require(${JSON.stringify(repoPath('src/node/model/runner.ts'))});`,
      `const loaded = Object.keys(require.cache).some((k) => k.includes('onnxruntime'));`,
      `process.stdout.write(String(loaded));`,
    ].join('\n');
    const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', probe], {
      encoding: 'utf8',
    });
    assert.equal(out, 'false');
  });
});
