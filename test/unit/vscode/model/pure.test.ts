/**
 * The model commands' pure glue: settings parsing, config precedence, reading the runner's logits message, path
 * shortening, and the wording and counts of the folder confirmation and summary.
 */
import * as assert from 'node:assert/strict';
import { CancelledError, InputError } from '../../../../src/core/errors';
import { checkProbabilities } from '../../../../src/core/model/postprocess';
import { resolveModelConfig } from '../../../../src/core/model/resolve';
import { COMMAND_IDS } from '../../../../src/vscode/commands/ids';
import { isModelImage } from '../../../../src/vscode/model/ids';
import {
  OVERWRITE_EXISTING,
  SKIP_EXISTING,
  countPlan,
  describeConfig,
  folderConfirmation,
  folderSummaryText,
  modelNote,
} from '../../../../src/vscode/model/messages';
import {
  SETTINGS_CONFIG_SOURCE,
  classifyRunError,
  composeChoice,
  logitsActivations,
  parseSettingsConfig,
  resolveModelSetting,
  shortenPaths,
} from '../../../../src/vscode/model/modelChoice';

const INFO = {
  inputs: [{ name: 'x', isTensor: true, type: 'float32', shape: [1, 1, 'h', 'w'] }],
  outputs: [{ name: 'y', isTensor: true, type: 'float32', shape: [1, 3, 'h', 'w'] }],
};

/** The message the runner really produces for an output of logits with `C` channels and no activation. */
function logitsMessage(C: number): string {
  const { config } = resolveModelConfig(
    INFO,
    { classes: Array.from({ length: C }, (_, i) => `c${i}`) },
    'm.onnx',
  );
  const data = new Float32Array(C * 4).fill(0.5);
  data[3] = 4.2;
  try {
    checkProbabilities(data, C, 2, 2, config, '/w/m.onnx');
  } catch (e) {
    assert.ok(e instanceof InputError);
    return e.message;
  }
  assert.fail('checkProbabilities accepted logits');
}

describe('host/modelCommands: pure glue', () => {
  it('ids: four commands; images by extension, case-insensitive', () => {
    assert.equal(COMMAND_IDS.filter((id) => id.startsWith('seglens.model.')).length, 4);
    for (const p of ['a.png', 'b.JPG', '/x/y.tiff', 'c.webp', 'd.bmp']) assert.ok(isModelImage(p), p);
    for (const p of ['a.npy', 'b.onnx', 'png', 'c.png.bak', '']) assert.ok(!isModelImage(p), p);
  });

  it('settings config: unset/null/{} mean none, a config is validated naming the setting', () => {
    assert.equal(parseSettingsConfig(undefined), undefined);
    assert.equal(parseSettingsConfig(null), undefined);
    assert.equal(parseSettingsConfig({}), undefined);
    assert.deepEqual(parseSettingsConfig({ activation: 'softmax', mean: 0.5 }), {
      activation: 'softmax',
      mean: [0.5],
    });
    assert.throws(
      () => parseSettingsConfig({ colourOrder: 'RGB' }),
      /^InputError: settings \(seglens\.model\.config\): unknown key "colourOrder"/,
    );
    assert.throws(() => parseSettingsConfig([1]), /must be a JSON object/);
  });

  it('model path setting: absolute, relative to the first folder, ${workspaceFolder}, empty', () => {
    assert.equal(resolveModelSetting('/m/u.onnx', []), '/m/u.onnx');
    assert.equal(resolveModelSetting('models/u.onnx', ['/w', '/v']), '/w/models/u.onnx');
    assert.equal(resolveModelSetting('${workspaceFolder}/a/../u.onnx', ['/w']), '/w/u.onnx');
    assert.equal(resolveModelSetting('  ', ['/w']), undefined);
    assert.equal(resolveModelSetting(undefined, ['/w']), undefined);
    assert.equal(resolveModelSetting(3, ['/w']), undefined);
    assert.throws(
      () => resolveModelSetting('u.onnx', []),
      /seglens\.model\.path\): "u\.onnx" is a relative path/,
    );
    assert.throws(() => resolveModelSetting('${workspaceFolder}/u.onnx', []), /no folder is open/);
  });

  it('config precedence: settings over sidecar; a chosen activation on top; nothing → the runner decides', () => {
    const sidecar = { config: { activation: 'none' as const, mean: [0.2] }, source: '/m/u.seglens.json' };
    assert.deepEqual(composeChoice(undefined, undefined, undefined), {});
    assert.deepEqual(composeChoice(undefined, sidecar, undefined), {
      config: sidecar.config,
      configSource: '/m/u.seglens.json',
    });
    assert.deepEqual(composeChoice({ std: [2] }, sidecar, undefined), {
      config: { std: [2] },
      configSource: SETTINGS_CONFIG_SOURCE,
    });
    const withAct = composeChoice(undefined, sidecar, 'sigmoid');
    assert.deepEqual(withAct.config, { activation: 'sigmoid', mean: [0.2] });
    assert.match(withAct.configSource ?? '', /^\/m\/u\.seglens\.json with activation "sigmoid" chosen/);
    assert.deepEqual(composeChoice(undefined, undefined, 'softmax').config, { activation: 'softmax' });
    assert.match(composeChoice(undefined, undefined, 'softmax').configSource ?? '', /^inferred config with/);
    // The sidecar passed to it is ignored when the settings config exists.
    assert.deepEqual(composeChoice({ std: [2] }, sidecar, 'sigmoid').config, {
      std: [2],
      activation: 'sigmoid',
    });
  });

  it("reads the runner's own logits message: sigmoid for 1 channel, softmax then sigmoid for several", () => {
    const one = logitsMessage(1);
    assert.match(one, /^\/w\/m\.onnx: output "y" ranges over/);
    assert.deepEqual(logitsActivations(one), ['sigmoid']);
    assert.deepEqual(logitsActivations(logitsMessage(3)), ['softmax', 'sigmoid']);
    assert.equal(logitsActivations('m.onnx: cannot load the model (not a valid ONNX file?)'), undefined);
    assert.deepEqual(classifyRunError(new InputError('bad', 'm.onnx')), {
      kind: 'error',
      message: 'm.onnx: bad',
    });
    assert.deepEqual(classifyRunError(new CancelledError()), { kind: 'cancelled' });
    const k = classifyRunError(new InputError(one.slice('/w/m.onnx: '.length), '/w/m.onnx'));
    assert.equal(k.kind, 'logits');
  });

  it('shortens absolute paths, longest first', () => {
    const names = new Map([
      ['/w', 'w'],
      ['/w/models/u.onnx', 'models/u.onnx'],
    ]);
    assert.equal(shortenPaths('/w/models/u.onnx: bad; see /w', names), 'models/u.onnx: bad; see w');
  });

  it('folder plan counts and the confirmation offer skip/overwrite only when files exist', () => {
    const plan = [
      { input: 'a.png', output: 'o/a.npy', exists: false },
      { input: 'b.png', output: 'o/b.npy', exists: true },
      { input: 'c.png', output: 'o/c.npy', exists: false },
    ];
    const counts = countPlan(plan);
    assert.deepEqual(counts, { total: 3, fresh: 2, existing: 1 });
    const ask = folderConfirmation('u.onnx', 'images', 'probs/u', counts);
    assert.equal(ask.message, 'Run u.onnx on 3 images in images?');
    assert.match(ask.detail, /Writes 3 probability maps .* to probs\/u:\n2 new files\n1 existing file /);
    assert.deepEqual(ask.actions, [SKIP_EXISTING, OVERWRITE_EXISTING]);
    const fresh = folderConfirmation('u.onnx', 'images', 'probs/u', countPlan([plan[0]]));
    assert.deepEqual(fresh.actions, ['Write 1 probability map']);
    assert.doesNotMatch(fresh.detail, /existing/);
  });

  it('summary: counts, time and the first failure', () => {
    const ok = folderSummaryText(
      'u.onnx',
      'probs/u',
      { total: 3, written: 2, skipped: 1, failed: 0, failures: [] },
      1.234,
    );
    assert.deepEqual(ok, {
      severity: 'info',
      message: 'u.onnx: 2 written, 1 skipped (existing), 0 failed of 3 in 1.2 s → probs/u.',
    });
    const bad = folderSummaryText(
      'u.onnx',
      'o',
      {
        total: 2,
        written: 1,
        skipped: 0,
        failed: 1,
        failures: [{ input: 'x.png', error: 'x.png: corrupt' }],
      },
      0,
    );
    assert.equal(bad.severity, 'warn');
    assert.match(bad.message, /1 failed of 2 .* First failure: x\.png: corrupt$/);
  });

  it('describes a config with its source and every inferred note; the panel note names the model', () => {
    const r = resolveModelConfig(INFO, {}, 'm.onnx');
    const text = describeConfig({ info: INFO, config: r.config, notes: r.notes, configSource: undefined });
    // Plain sentences, no JSON: the source, the tensors, the preprocessing, the activation, then what was inferred.
    assert.doesNotMatch(text, /[{}]|"input"/);
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 4), [
      'No settings file for this model, so SegLens worked them out from the model itself.',
      'The model reads “x” [1, 1, ?, ?] in NCHW order and returns “y” [1, 3, ?, ?].',
      'Each image is read as greyscale (1 channel), padded to a multiple of 32 pixels, values scaled to 0–1 by ' +
        'their bit depth (full intensity of an 8-bit, 16-bit or float image → 1).',
      'The output is used as probabilities as it is (no activation).',
    ]);
    assert.ok(text.includes('Worked out, please check:'));
    const written = resolveModelConfig(
      INFO,
      {
        activation: 'softmax',
        scale: 1 / 255,
        mean: [0.5],
        std: [0.25],
        size: { kind: 'fixed', height: 64, width: 48 },
        resize: 'stretch',
        classes: ['bg', 'a', 'b'],
      },
      'm.onnx',
    );
    const described = describeConfig({
      info: INFO,
      config: written.config,
      notes: [],
      configSource: 'm.onnx.seglens.json',
    });
    assert.deepEqual(described.split('\n'), [
      'Settings from m.onnx.seglens.json.',
      'The model reads “x” [1, 1, ?, ?] in NCHW order and returns “y” [1, 3, ?, ?].',
      'Each image is read as greyscale (1 channel), stretched to 48 × 64 pixels, values multiplied by 0.00392157, ' +
        'then the mean 0.5 subtracted and divided by 0.25.',
      'A softmax over the channels turns the output into class probabilities.',
      'Classes: bg, a, b.',
    ]);
    assert.ok(r.notes.length > 0);
    for (const n of r.notes) assert.ok(text.includes(`• ${n}`), n);
    assert.equal(
      modelNote('u.onnx', 's.png', '/m/u.onnx.seglens.json', 41.6),
      'Probability map produced by model u.onnx on s.png (config from u.onnx.seglens.json; 42 ms).',
    );
  });
});
