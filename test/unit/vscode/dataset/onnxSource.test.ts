// An ONNX model as a source of the dataset view: on the demo set the view's engine run with the model source gives
// per image the numbers `seglens eval --model` prints (the CLI is an independent path: its own runner set-up and
// report); a failing image is a skipped row naming the file; the offered models and the model's name.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError } from '../../../../src/core/errors';
import { evaluateDataset, planFolder, type EvalRow } from '../../../../src/node/dataset';
import { loadImageFile } from '../../../../src/node/io/load';
import { ModelRunner } from '../../../../src/node/model/runner';
import {
  type DatasetModelRunner,
  OnnxChoices,
  onnxCacheTag,
  onnxModelName,
  onnxSource,
} from '../../../../src/vscode/dataset/onnxSource';
import { cli } from '../../cli/cliHelper';
import { repoPath } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const DEMO = repoPath('demo');
const MODEL = repoPath('demo', 'models', 'unet_bce.onnx');

/** The in-process runner behind the port the model worker client offers. */
function inProcess(runner: ModelRunner): DatasetModelRunner {
  return {
    inspect: (p, choice) => runner.inspect(p, choice),
    runImage: async (p, image, o) => runner.run(p, await loadImageFile(image), image, o?.choice ?? {}),
  };
}

describe('dataset view: an ONNX model as a source', function () {
  this.timeout(120_000);
  const runner = new ModelRunner();
  after(() => runner.dispose());

  it('names the model by its file, distinct from a probability folder of the same stem', () => {
    assert.equal(onnxModelName('/w/models/unet_bce.onnx', ['unet_bce', 'b']), 'unet_bce.onnx');
    assert.equal(onnxModelName('/w/m.onnx', ['m.onnx']), 'm.onnx (ONNX)');
  });

  it('offers the configured model first, then the workspace’s, then picked ones; only offered ids map back', () => {
    const o = new OnnxChoices();
    o.setFound('/w/a.onnx', ['/w/b.onnx', '/w/a.onnx']);
    o.pick('/x/c.onnx');
    const label = (p: string) => p.split('/').pop() ?? p;
    const offer = o.offer(label, '/x/c.onnx');
    assert.deepEqual(
      offer.onnxModels.map((m) => [m.label, m.configured]),
      [
        ['a.onnx', true],
        ['b.onnx', false],
        ['c.onnx', false],
      ],
    );
    assert.equal(offer.onnxSelected, 'c.onnx');
    assert.equal(o.pathOf('b.onnx'), '/w/b.onnx');
    assert.equal(o.pathOf('/etc/passwd'), undefined, 'an id the panel never offered runs nothing');
  });

  it('changes the cache tag when the config choice changes', () => {
    assert.notEqual(onnxCacheTag(MODEL, {}), onnxCacheTag(MODEL, { config: { activation: 'softmax' } }));
    assert.equal(onnxCacheTag(MODEL, {}), onnxCacheTag(MODEL, {}));
  });

  it('on the demo set: every image scored as its map exists, equal to seglens eval --model', async () => {
    const plan = await planFolder(DEMO);
    const source = onnxSource({
      runner: inProcess(runner),
      modelPath: MODEL,
      choice: {},
      name: onnxModelName(MODEL, plan.models),
      root: plan.root,
    });
    // Inferences run one at a time in id order; each image is scored while the next one runs.
    const events: string[] = [];
    const traced = {
      ...source,
      infer: (item: Parameters<typeof source.infer>[0], s?: AbortSignal) => {
        events.push(`infer ${item.id}`);
        return source.infer(item, s);
      },
    };
    const rows: EvalRow[] = [];
    const report = await evaluateDataset(plan, {
      decoders: ['threshold'],
      models: [],
      modelSource: traced,
      onRow: (r) => {
        rows.push(r);
        events.push(`row ${r.id}`);
      },
    });
    assert.equal(rows.length, 12);
    assert.deepEqual(report.models, ['unet_bce.onnx']);
    assert.ok(rows.every((r) => !r.error && r.model === 'unet_bce.onnx'));
    // Streaming: the first row arrives before the last image is run (not all inferences first).
    assert.ok(events.indexOf('row slice_048') < events.indexOf('infer slice_092'), events.join(', '));
    const r = await cli(
      [
        'eval',
        '--images',
        'images',
        '--gt',
        'masks',
        '--model',
        'models/unet_bce.onnx',
        '--decoders',
        'threshold',
        '--json',
      ],
      DEMO,
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { images: { id: string; meanDice: number; expectedDice: number }[] };
    assert.equal(out.images.length, 12);
    for (const img of out.images) {
      const mine = rows.find((x) => x.id === img.id);
      assert.ok(mine, img.id);
      assert.ok(
        Math.abs(mine.meanDice - img.meanDice) < 1e-12,
        `${img.id}: ${mine.meanDice} vs ${img.meanDice}`,
      );
      assert.ok(Math.abs(mine.expectedDice - img.expectedDice) < 1e-12, `${img.id} expected Dice`);
    }
  });

  it('a failing image is a skipped row naming the file and why; the run goes on; cancel stops it', async () => {
    const dir = makeTempDir('seglens-dataset-onnx').path;
    for (const d of ['images', 'masks']) mkdirSync(join(dir, d));
    for (const id of ['slice_048', 'slice_052', 'slice_056']) {
      copyFileSync(join(DEMO, 'images', `${id}.png`), join(dir, 'images', `${id}.png`));
      copyFileSync(join(DEMO, 'masks', `${id}.png`), join(dir, 'masks', `${id}.png`));
    }
    copyFileSync(join(DEMO, 'labels.json'), join(dir, 'labels.json'));
    writeFileSync(join(dir, 'images', 'slice_052.png'), 'not a png');
    const plan = await planFolder(dir);
    const source = onnxSource({
      runner: inProcess(runner),
      modelPath: MODEL,
      choice: {},
      name: 'm.onnx',
      root: dir,
    });
    const report = await evaluateDataset(plan, { decoders: ['threshold'], models: [], modelSource: source });
    assert.deepEqual(
      report.failed.map((f) => f.id),
      ['slice_052'],
    );
    assert.match(report.failed[0].reason, /the model failed: .*slice_052\.png/);
    assert.equal(report.rows.filter((x) => !x.error).length, 2, 'the other images are scored');
    // A model that never answers: cancelling ends the run with CancelledError.
    const abort = new AbortController();
    const stuck = onnxSource({
      runner: {
        inspect: () => Promise.reject(new Error('unused')),
        runImage: (_p, _i, o) =>
          new Promise((_, reject) =>
            o?.signal?.addEventListener('abort', () => reject(new CancelledError())),
          ),
      },
      modelPath: MODEL,
      choice: {},
      name: 'm.onnx',
      root: dir,
    });
    const run = evaluateDataset(plan, {
      decoders: ['threshold'],
      models: [],
      modelSource: stuck,
      signal: abort.signal,
    });
    setTimeout(() => abort.abort(), 50);
    await assert.rejects(run, CancelledError);
  });
});
