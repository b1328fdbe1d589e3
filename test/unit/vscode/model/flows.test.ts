/**
 * The model commands end to end in plain node: scripted answers to the dialogs, the real model worker thread and
 * the generated test models, with maps checked against the independently computed expected maps
 * (tools/models/make_test_models.py, PyTorch).
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../../../src/core/io/npy';
import type { ModelWorkerClient } from '../../../../src/node/model/modelWorkerClient';
import { ACTIVATION_OVERRIDES_KEY, SELECTED_MODEL_KEY } from '../../../../src/vscode/model/ids';
import { OVERWRITE_EXISTING, SKIP_EXISTING } from '../../../../src/vscode/model/messages';
import { runModelOnFolder, suggestedOutput } from '../../../../src/vscode/model/runOnFolder';
import { runModelOnImage } from '../../../../src/vscode/model/runOnImage';
import { selectModel } from '../../../../src/vscode/model/selectModel';
import { UNTRUSTED_MESSAGE } from '../../../../src/vscode/model/session';
import { MODELS_DIR, makeDeps, workerClient } from './fakeDeps';
import { makeTempDir } from '../../../support/tempDir';

const SIGMOID = join(MODELS_DIR, 'sigmoid_dynamic.onnx');
const GREY = join(MODELS_DIR, 'grey_13x10.png');
const RGB = join(MODELS_DIR, 'rgb_20x27.png');

function npy(path: string): { shape: readonly number[]; data: Float32Array } {
  const a = readNpy(readFileSync(path));
  assert.ok(a.data instanceof Float32Array);
  return { shape: a.shape, data: a.data };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  assert.ok(!Number.isNaN(m));
  return m;
}

const expected = (name: string) => npy(join(MODELS_DIR, `${name}.expected.npy`));

describe('host/modelCommands: command flows (real model worker)', function () {
  this.timeout(60_000);
  let client: ModelWorkerClient;
  let tmp: string;
  before(() => {
    client = workerClient();
  });
  after(() => client.dispose());
  beforeEach(() => {
    tmp = makeTempDir('seglens-modelcmds').path;
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('untrusted workspace: every command answers why, and no model is loaded', async () => {
    const f = makeDeps(client, join(tmp, 'store'));
    f.trusted.value = false;
    f.settings.path = SIGMOID;
    assert.equal(await runModelOnImage(f.deps, GREY), undefined);
    assert.equal(await runModelOnFolder(f.deps, MODELS_DIR), undefined);
    assert.equal(await selectModel(f.deps), undefined);
    assert.equal(f.ui.of('warn').length, 3);
    for (const w of f.ui.of('warn')) assert.equal(w.message, UNTRUSTED_MESSAGE);
    assert.match(UNTRUSTED_MESSAGE, /untrusted workspace/);
    assert.equal(f.runnerUses(), 0);
    assert.equal(f.ui.of('pick').length + f.ui.of('confirm').length, 0);
  });

  it('runs the settings model on an image: the stored map equals the expected one and goes to the viewer', async () => {
    const f = makeDeps(client, join(tmp, 'store'));
    f.settings.path = 'sigmoid_dynamic.onnx'; // relative to the (fake) workspace folder
    const out = await runModelOnImage(f.deps, GREY);
    assert.ok(out, JSON.stringify(f.ui.calls));
    assert.deepEqual(out.shape, [1, 13, 10]);
    const stored = npy(out.probPath);
    assert.deepEqual(stored.shape, [1, 13, 10]);
    assert.ok(maxAbsDiff(stored.data, expected('sigmoid_pad_grey').data) < 2e-5);
    assert.equal(f.shown.length, 1);
    assert.equal(f.shown[0].probPath, out.probPath);
    assert.equal(f.shown[0].imagePath, GREY);
    assert.match(
      f.shown[0].note,
      /^Probability map produced by model sigmoid_dynamic\.onnx on grey_13x10\.png \(config from sigmoid_dynamic\.seglens\.json; \d+ ms\)\.$/,
    );
    assert.ok(
      out.probPath.startsWith(join(tmp, 'store')),
      'kept in the extension storage, not next to the image',
    );
    assert.equal(f.ui.of('error').length, 0);
  });

  it("the run's notes (assumed scale, mean and std) reach the panel with the map", async () => {
    const f = makeDeps(client, join(tmp, 'store-notes'));
    f.settings.path = 'grey_identity.onnx'; // no sidecar: everything inferred
    const out = await runModelOnImage(f.deps, GREY);
    assert.ok(out, JSON.stringify(f.ui.calls));
    const notes = (f.shown[0].notes ?? []).join('\n');
    assert.match(notes, /scale 1\/255 for an 8-bit image/);
    assert.match(notes, /mean 0 and std 1 assumed/);
  });

  it('logits without an activation: the error names the model, "Use sigmoid" is remembered and re-runs', async () => {
    const f = makeDeps(client, join(tmp, 'store'));
    const sidecar = JSON.parse(readFileSync(join(MODELS_DIR, 'sigmoid_dynamic.seglens.json'), 'utf8'));
    f.settings.path = SIGMOID;
    f.settings.config = { ...sidecar, activation: 'none' };
    f.ui.script.error = (c) => (c.actions?.includes('Use sigmoid') ? 'Use sigmoid' : undefined);
    const out = await runModelOnImage(f.deps, GREY);
    assert.equal(out, undefined, 'the first run fails; the re-run reports through the viewer');
    const [err] = f.ui.of('error');
    assert.match(
      err.message,
      /^SegLens: sigmoid_dynamic\.onnx: output "logits" ranges over .* so it holds logits/,
    );
    assert.deepEqual(err.actions, ['Use sigmoid']);
    assert.deepEqual(f.state.get(ACTIVATION_OVERRIDES_KEY), { [SIGMOID]: 'sigmoid' });
    assert.equal(f.shown.length, 1, 'the re-run succeeded');
    assert.match(
      f.shown[0].note,
      /config from settings \(seglens\.model\.config\) with activation "sigmoid"/,
    );
    assert.ok(maxAbsDiff(npy(f.shown[0].probPath).data, expected('sigmoid_pad_grey').data) < 2e-5);
  });

  it('a file that is not ONNX gives an error naming the model; nothing is shown', async () => {
    const f = makeDeps(client, join(tmp, 'store'));
    f.settings.path = join(MODELS_DIR, 'not_onnx.onnx');
    assert.equal(await runModelOnImage(f.deps, GREY), undefined);
    const [err] = f.ui.of('error');
    assert.match(err.message, /^SegLens: not_onnx\.onnx: cannot load the model/);
    assert.deepEqual(err.actions, ['Select Model…', 'Show Log']);
    assert.equal(f.shown.length, 0);
  });

  it('NaN outputs and a bad settings config are reported by name too', async () => {
    const f = makeDeps(client, join(tmp, 'store'));
    f.settings.path = join(MODELS_DIR, 'nan_output.onnx');
    await runModelOnImage(f.deps, GREY);
    assert.match(f.ui.of('error')[0].message, /^SegLens: nan_output\.onnx: .*NaN/);
    f.settings.path = SIGMOID;
    f.settings.config = { colourOrder: 'RGB' };
    await runModelOnImage(f.deps, GREY);
    assert.match(
      f.ui.of('error')[1].message,
      /^SegLens: settings \(seglens\.model\.config\): unknown key "colourOrder"/,
    );
  });

  it('folder: shows the plan, writes only after the yes, then skip-or-overwrite for existing maps', async () => {
    const images = join(tmp, 'data', 'images');
    mkdirSync(images, { recursive: true });
    copyFileSync(GREY, join(images, 'a.png'));
    copyFileSync(RGB, join(images, 'b.png'));
    copyFileSync(join(MODELS_DIR, 'sigmoid_dynamic.seglens.json'), join(tmp, 'notes.txt'));
    const f = makeDeps(client, join(tmp, 'store'));
    f.settings.path = SIGMOID;
    const out = suggestedOutput(images, SIGMOID);
    assert.equal(out, join(tmp, 'data', 'probs', 'sigmoid_dynamic'));
    f.ui.script.pick = (c) => c.items?.[0].value;

    // Cancelled at the confirmation: nothing is written, not even the folder.
    assert.equal(await runModelOnFolder(f.deps, images), undefined);
    const [ask] = f.ui.of('confirm');
    assert.equal(ask.message, `Run sigmoid_dynamic.onnx on 2 images in ${images}?`);
    assert.match(ask.detail ?? '', /2 new files/);
    assert.deepEqual(ask.actions, ['Write 2 probability maps']);
    assert.ok(!existsSync(out));

    f.ui.script.confirm = (c) => c.actions?.[0];
    f.ui.script.info = (c) => (c.actions?.includes('Reveal in Explorer') ? 'Reveal in Explorer' : undefined);
    const first = await runModelOnFolder(f.deps, images);
    assert.deepEqual(first?.summary, { total: 2, written: 2, skipped: 0, failed: 0, failures: [] });
    assert.deepEqual(readdirSync(out).sort(), ['a.npy', 'b.npy']);
    assert.ok(maxAbsDiff(npy(join(out, 'a.npy')).data, expected('sigmoid_pad_grey').data) < 2e-5);
    assert.ok(maxAbsDiff(npy(join(out, 'b.npy')).data, expected('sigmoid_pad_rgb_luma').data) < 2e-5);
    assert.match(f.ui.of('info').at(-1)?.message ?? '', /2 written, 0 skipped \(existing\), 0 failed of 2/);
    assert.ok(f.ui.of('progress').some((p) => /^2\/2 b\.png \(written\)$/.test(p.message)));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(f.revealed, [out], 'the summary button shows the output folder');

    // Second run: both exist; the user chooses to skip them.
    f.ui.script.confirm = (c) => {
      assert.deepEqual(c.actions, [SKIP_EXISTING, OVERWRITE_EXISTING]);
      assert.match(c.detail ?? '', /0 new files\n2 existing files/);
      return SKIP_EXISTING;
    };
    const second = await runModelOnFolder(f.deps, images);
    assert.deepEqual(second?.summary, { total: 2, written: 0, skipped: 2, failed: 0, failures: [] });
    f.ui.script.confirm = () => OVERWRITE_EXISTING;
    const third = await runModelOnFolder(f.deps, images);
    assert.equal(third?.summary.written, 2);
  });

  it('folder: cancelling stops between images and says what stays; a bad image is counted, not fatal', async () => {
    const images = join(tmp, 'images');
    mkdirSync(images);
    for (const n of ['a', 'b', 'c', 'd']) copyFileSync(GREY, join(images, `${n}.png`));
    copyFileSync(join(MODELS_DIR, 'not_onnx.onnx'), join(images, 'broken.png'));
    const f = makeDeps(client, join(tmp, 'store'));
    f.settings.path = SIGMOID;
    const outDir = join(tmp, 'out');
    f.ui.script.pick = () => '\0choose';
    f.ui.script.openFolder = () => outDir;
    f.ui.script.confirm = (c) => c.actions?.[0];
    f.ui.script.onProgress = (m, abort) => {
      if (m.startsWith('2/')) abort();
    };
    assert.equal(await runModelOnFolder(f.deps, images), undefined);
    const info = f.ui.of('info').at(-1)?.message ?? '';
    assert.match(info, /cancelled after 2 of 5 images; maps already written stay in /);
    const written = readdirSync(outDir).filter((n) => n.endsWith('.npy'));
    assert.ok(written.length >= 2 && written.length < 5, written.join());

    f.ui.script.onProgress = undefined;
    f.ui.script.confirm = () => OVERWRITE_EXISTING;
    const all = await runModelOnFolder(f.deps, images);
    assert.equal(all?.summary.failed, 1);
    assert.equal(all?.summary.written, 4);
    assert.match(f.ui.of('warn').at(-1)?.message ?? '', /1 failed of 5 .*First failure: .*broken\.png/);
  });

  it('Select Model…: shows the inferred config with its notes; the sidecar is written only when asked', async () => {
    const model = join(tmp, 'seg.onnx');
    copyFileSync(join(MODELS_DIR, 'nhwc_bgr.onnx'), model);
    const f = makeDeps(client, join(tmp, 'store'), [model]);
    f.ui.script.pick = (c) => c.items?.[0].value;
    f.ui.script.confirm = () => 'Use Without Saving';
    assert.equal(await selectModel(f.deps), model);
    assert.equal(f.state.get(SELECTED_MODEL_KEY), model);
    const [shown] = f.ui.of('confirm');
    assert.match(shown.detail ?? '', /No settings file for this model, so SegLens worked them out/);
    assert.doesNotMatch(shown.detail ?? '', /[{}]/, 'no raw JSON in the dialog');
    assert.match(shown.detail ?? '', /• .*layout NHWC inferred/);
    assert.deepEqual(shown.actions, ['Save as seg.seglens.json', 'Use Without Saving']);
    assert.ok(!existsSync(join(tmp, 'seg.seglens.json')));

    f.ui.script.confirm = (c) => c.actions?.[0];
    await selectModel(f.deps);
    const saved = JSON.parse(readFileSync(join(tmp, 'seg.seglens.json'), 'utf8'));
    assert.equal(saved.layout, 'NHWC');
    // With a sidecar now in place, selecting again only shows it.
    await selectModel(f.deps);
    assert.deepEqual(f.ui.of('confirm').at(-1)?.actions, ['OK']);
    assert.match(f.ui.of('confirm').at(-1)?.detail ?? '', /^Settings from .*seg\.seglens\.json\./);
  });

  it('Select Model…: a broken model is not remembered; the selected model wins over the setting', async () => {
    const f = makeDeps(client, join(tmp, 'store'), [join(MODELS_DIR, 'not_onnx.onnx'), SIGMOID]);
    f.ui.script.pick = (c) => c.items?.[0].value;
    assert.equal(await selectModel(f.deps), undefined);
    assert.match(f.ui.of('error')[0].message, /not_onnx\.onnx: cannot load the model/);
    assert.equal(f.state.get(SELECTED_MODEL_KEY), undefined);
    // A run with nothing selected and no setting asks for a model first.
    f.ui.script.pick = (c) => c.items?.[1].value;
    f.ui.script.confirm = () => 'OK';
    const out = await runModelOnImage(f.deps, GREY);
    assert.equal(out?.modelPath, SIGMOID);
    assert.equal(f.state.get(SELECTED_MODEL_KEY), SIGMOID);
    f.settings.path = join(MODELS_DIR, 'not_onnx.onnx');
    assert.equal((await runModelOnImage(f.deps, GREY))?.modelPath, SIGMOID);
  });
});
