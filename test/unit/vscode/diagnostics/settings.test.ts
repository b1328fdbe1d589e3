import assert from 'node:assert/strict';
import { RULES } from '../../../../src/core/lint';
import type { LintSettingKey } from '../../../../src/vscode/diagnostics/ids';
import { DEFAULT_MAX_FILE_LENGTH, parseLintSettings } from '../../../../src/vscode/diagnostics/settings';
import { kerasDemo, sharedLinter } from './helpers';

const parse = (values: Partial<Record<LintSettingKey, unknown>>) =>
  parseLintSettings((key) => values[key], RULES);

describe('host/diagnostics settings', () => {
  it('unset settings give the documented defaults and no problems', () => {
    const s = parse({});
    assert.equal(s.enable, true);
    assert.deepEqual(s.options, {
      layout: 'auto',
      rules: {},
      maxLength: DEFAULT_MAX_FILE_LENGTH,
      oversizedSmooth: 10,
      meanSmoothThreshold: 1e-3,
      targetsCanBeEmpty: true,
    });
    assert.deepEqual(s.problems, []);
  });

  it('accepts valid values, normalising the case of layouts, rule keys and severities', () => {
    const s = parse({
      enable: false,
      layout: 'nchw',
      rules: { ll102: 'Warning', 'unguarded-log': 'off', LL306: 'error' },
      maxFileLength: 5000,
      targetsCanBeEmpty: false,
      oversizedSmooth: 50,
      meanSmoothThreshold: 0.01,
    });
    assert.equal(s.enable, false);
    assert.equal(s.options.layout, 'NCHW');
    assert.deepEqual(s.options.rules, { LL102: 'warning', LL304: 'off', LL306: 'error' });
    assert.equal(s.options.maxLength, 5000);
    assert.equal(s.options.targetsCanBeEmpty, false);
    assert.equal(s.options.oversizedSmooth, 50);
    assert.equal(s.options.meanSmoothThreshold, 0.01);
    assert.deepEqual(s.problems, []);
    assert.equal(parse({ layout: ' Auto ' }).options.layout, 'auto');
  });

  it('falls back to the default for each wrong value and names the setting and the value', () => {
    const s = parse({
      enable: 'yes',
      layout: 'NHW',
      rules: { LL999: 'off', LL101: 'loud', LL102: 3 },
      maxFileLength: 1.5,
      targetsCanBeEmpty: 1,
      oversizedSmooth: -1,
      meanSmoothThreshold: Number.NaN,
    });
    assert.equal(s.enable, true);
    assert.equal(s.options.layout, 'auto');
    assert.deepEqual(s.options.rules, {});
    assert.equal(s.options.maxLength, DEFAULT_MAX_FILE_LENGTH);
    assert.equal(s.options.targetsCanBeEmpty, true);
    assert.equal(s.options.oversizedSmooth, 10);
    assert.equal(s.options.meanSmoothThreshold, 1e-3);
    const text = s.problems.join('\n');
    for (const needle of [
      'seglens.lint.enable: "yes"',
      'seglens.lint.layout: "NHW"',
      'unknown rule "LL999"',
      'seglens.lint.rules.LL101: "loud"',
      'seglens.lint.rules.LL102: 3',
      'seglens.lint.maxFileLength: 1.5',
      'seglens.lint.targetsCanBeEmpty: 1',
      'seglens.lint.oversizedSmooth: -1',
      'seglens.lint.meanSmoothThreshold: null',
    ]) {
      assert.ok(text.includes(needle), `${needle} in\n${text}`);
    }
    assert.equal(s.problems.length, 9);
  });

  it('rejects a rules value that is not an object', () => {
    for (const v of [[], 'LL101', null, 7]) {
      const s = parse({ rules: v });
      assert.deepEqual(s.options.rules, {});
      assert.equal(s.problems.length, 1, JSON.stringify(v));
    }
  });
});

describe('host/diagnostics settings reach the linter', () => {
  it('layout and per-rule settings change what the real linter reports on the demo', async () => {
    const linter = await sharedLinter();
    const run = (values: Partial<Record<LintSettingKey, unknown>>) => {
      const r = linter.lint(kerasDemo(), parse(values).options);
      r.tree.dispose();
      return r.findings.map((f) => `${f.rule}:${f.severity}`);
    };
    assert.deepEqual(run({}), ['LL101:error', 'LL101:error', 'LL101:error']);
    // On NCHW the last axis is W, a spatial axis: the sums then miss H instead (LL105), and the message says why.
    assert.deepEqual(run({ layout: 'NCHW' }), ['LL105:error', 'LL105:error', 'LL105:error']);
    assert.deepEqual(run({ rules: { LL101: 'warning' } }), [
      'LL101:warning',
      'LL101:warning',
      'LL101:warning',
    ]);
    assert.deepEqual(run({ rules: { 'overlap-reduced-over-wrong-axes': 'off' } }), []);
    assert.deepEqual(run({ maxFileLength: 100 }), ['LL000:info']);
  });
});
