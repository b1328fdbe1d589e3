import * as assert from 'node:assert/strict';
import { internalErrors } from '../../../../src/core/lint/linter';
import type { Finding } from '../../../../src/core/lint/types';
import { createLinter, suppressionEdit } from '../../../../src/core/lint';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, getLinter, parseExpectations, wasmBytes, wasmPaths } from './helpers';
import { repoPath } from '../../../support/repo';

async function lint(text: string, options = {}): Promise<Finding[]> {
  const linter = await getLinter();
  const { findings, tree } = linter.lint(text, options);
  tree.dispose();
  return findings;
}

const KERAS_DICE = [
  'from tensorflow.keras import backend as K',
  '',
  'def dice_coef(y_true, y_pred, smooth=1.0):',
  '    inter = K.sum(y_true * y_pred, -1)',
  '    return (2.0 * inter + smooth) / (K.sum(y_true, axis=-1) + K.sum(y_pred, axis=-1) + smooth)',
  '',
].join('\n');

describe('lint engine', () => {
  afterEach(() => assert.deepEqual(internalErrors, []));

  it('maps positional and keyword axes alike and resolves import aliases', async () => {
    for (const header of [
      'from tensorflow.keras import backend as K',
      'import keras.backend as K',
      'from keras import backend as K',
      'import tensorflow.keras.backend as K',
    ]) {
      const text = KERAS_DICE.replace('from tensorflow.keras import backend as K', header);
      const f = (await lint(text)).filter((x) => x.rule === 'LL101');
      assert.equal(f.length, 3, header);
    }
    const tf = [
      'import tensorflow as tf',
      'def dice(y_true, y_pred):',
      '    i = tf.math.reduce_sum(y_true * y_pred, -1)',
      '    return (2 * i + 1) / (tf.reduce_sum(y_true + y_pred, axis=-1) + 1)',
    ].join('\n');
    assert.equal((await lint(tf)).filter((x) => x.rule === 'LL101').length, 2);
  });

  it('resolves from-imports of functions, keras.ops, torch and numpy spellings', async () => {
    const cases: Array<[string, number]> = [
      [
        [
          'from keras import ops',
          'def dice(y_true, y_pred):',
          '    i = ops.sum(y_true * y_pred, axis=-1)',
          '    return (2 * i + 1) / (ops.sum(y_true + y_pred, -1) + 1)',
        ].join('\n'),
        2,
      ],
      [
        [
          'from tensorflow.keras.backend import sum as ksum',
          'def dice(y_true, y_pred):',
          '    i = ksum(y_true * y_pred, -1)',
          '    return (2 * i + 1) / (ksum(y_true + y_pred, -1) + 1)',
        ].join('\n'),
        2,
      ],
      [
        [
          'import torch',
          'def dice(pred, target):  # (B, H, W, C)',
          '    i = torch.sum(pred * target, -1)',
          '    return (2 * i + 1) / (torch.sum(pred + target, dim=-1) + 1)',
        ].join('\n'),
        2,
      ],
    ];
    for (const [text, n] of cases) {
      assert.equal((await lint(text)).filter((f) => f.rule === 'LL101').length, n, text);
    }
  });

  it('loads the grammar from file paths as well as bytes', async () => {
    const linter = await createLinter({ wasm: wasmPaths() });
    const r = linter.lint(KERAS_DICE);
    assert.equal(r.findings.filter((f) => f.rule === 'LL101').length, 3);
    r.tree.dispose();
    linter.dispose();
  });

  it('does not resolve a local variable that shadows nothing as a module alias', async () => {
    const text = [
      'def dice(y_true, y_pred, smooth=1.0):',
      '    K = helper()',
      '    i = K.sum(y_true * y_pred, -1)',
      '    return (2 * i + smooth) / (K.sum(y_true + y_pred, -1) + smooth)',
    ].join('\n');
    // Without any import the conventional alias K still applies (snippets), so the layout defaults to Keras.
    assert.ok((await lint(text)).every((f) => f.rule !== 'LL101' || f.message.includes('NHWC')));
  });

  it('states layout and role assumptions, and lets the layout setting override inference', async () => {
    const [first] = (await lint(KERAS_DICE)).filter((x) => x.rule === 'LL101');
    assert.match(first.message, /assumed layout NHWC: Keras default channels_last; role: metric/);
    assert.match(first.explanation ?? '', /0\.50.*0\.97/);
    // On NCHW, axis -1 is W: a partial spatial reduction (LL105), not a per-pixel one.
    const nchw = await lint(KERAS_DICE, { layout: 'NCHW' });
    assert.deepEqual(
      nchw.map((x) => x.rule),
      ['LL105', 'LL105', 'LL105'],
    );
    assert.match(nchw[0].message, /assumed layout NCHW: layout setting/);
    const channelsFirst = KERAS_DICE + "\nK.set_image_data_format('channels_first')\n";
    assert.match((await lint(channelsFirst))[0].message, /NCHW: set_image_data_format/);
  });

  it('infers the loss role through compile(loss=...) and calls', async () => {
    const text =
      KERAS_DICE +
      '\ndef total(y_true, y_pred):\n    return 1 - dice_coef(y_true, y_pred)\n\nmodel.compile(loss=total)\n';
    const f = (await lint(text)).filter((x) => x.rule === 'LL101');
    assert.match(f[0].message, /role: loss, called from the loss total/);
  });

  it('offers the layout axes as a quick fix, keeping the positional/keyword form', async () => {
    const f = (await lint(KERAS_DICE)).filter((x) => x.rule === 'LL101');
    const lines = KERAS_DICE.split('\n');
    for (const finding of f) {
      const fix = finding.fixes?.[0];
      assert.ok(fix?.preferred);
      const e = fix.edits[0];
      const line = lines[e.range.start.line];
      const replaced = line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
      assert.match(replaced, /K\.sum\([^)]*(, |axis=)\[1, 2, 3\]\)/);
    }
    // Applying all preferred fixes removes every LL101.
    const edits = f
      .map((x) => x.fixes![0].edits[0])
      .sort(
        (a, b) =>
          b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character,
      );
    const out = [...lines];
    for (const e of edits) {
      const l = out[e.range.start.line];
      out[e.range.start.line] =
        l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
    }
    assert.deepEqual(
      (await lint(out.join('\n'))).filter((x) => x.rule === 'LL101'),
      [],
    );
  });

  it('reports columns in UTF-16 code units', async () => {
    const text = KERAS_DICE.replace(
      '    inter = K.sum(y_true * y_pred, -1)',
      '    s, inter = "é😀", K.sum(y_true * y_pred, -1)',
    );
    const f = (await lint(text)).find((x) => x.rule === 'LL101' && x.range.start.line === 3);
    assert.ok(f);
    const line = text.split('\n')[3];
    assert.equal(f.range.start.character, line.indexOf('K.sum'));
  });

  it('honours line and file suppressions', async () => {
    const lines = KERAS_DICE.split('\n');
    lines[3] += '  # seglens: ignore[LL101]';
    const f = await lint(lines.join('\n'));
    assert.equal(f.filter((x) => x.rule === 'LL101').length, 2);
    assert.equal(f.filter((x) => x.range.start.line === 3).length, 0);
    const above = [...KERAS_DICE.split('\n')];
    above.splice(3, 0, '    # seglens: ignore[overlap-reduced-over-wrong-axes]');
    assert.equal((await lint(above.join('\n'))).filter((x) => x.rule === 'LL101').length, 2);
    assert.deepEqual(await lint('# seglens: ignore-file[LL101]\n' + KERAS_DICE), []);
    assert.equal((await lint(KERAS_DICE, { rules: { LL101: 'off' } })).length, 0);
    assert.ok(
      (await lint(KERAS_DICE, { rules: { LL101: 'warning' } })).every((x) => x.severity === 'warning'),
    );
  });

  it('builds line and file suppression edits that silence the finding', async () => {
    const [f] = (await lint(KERAS_DICE)).filter((x) => x.rule === 'LL101');
    const lineEdit = suppressionEdit(KERAS_DICE, f, 'line');
    const once = applyEdits(KERAS_DICE, [lineEdit]);
    assert.equal(once.split('\n')[3], '    inter = K.sum(y_true * y_pred, -1)  # seglens: ignore[LL101]');
    assert.equal((await lint(once)).filter((x) => x.range.start.line === 3).length, 0);
    // A second rule on the same line is merged into the existing comment.
    const merged = applyEdits(once, [suppressionEdit(once, { ...f, rule: 'LL104' }, 'line')]);
    assert.match(merged.split('\n')[3], /# seglens: ignore\[LL101, LL104\]$/);
    const fileEdit = suppressionEdit('#!/usr/bin/env python\n' + KERAS_DICE, f, 'file');
    const withFile = applyEdits('#!/usr/bin/env python\n' + KERAS_DICE, [fileEdit]);
    assert.match(withFile, /^#!\/usr\/bin\/env python\n# seglens: ignore-file\[LL101\]\n/);
    assert.equal((await lint(withFile)).filter((x) => x.rule === 'LL101').length, 0);
  });

  it('takes a per-file layout directive over the workspace setting', async () => {
    const text = '# seglens: layout=NCHW\n' + KERAS_DICE;
    const f = await lint(text, { layout: 'NHWC' });
    assert.deepEqual(
      f.map((x) => x.rule),
      ['LL105', 'LL105', 'LL105'],
    );
    assert.match(f[0].message, /assumed layout NCHW: file setting on line 1/);
  });

  it('joins values assigned in branches that may not run (no double activation across exclusive flags)', async () => {
    const branchy = [
      'import torch',
      'def overlap_loss(logits, target, sigmoid=True, softmax=False):',
      '    if sigmoid:',
      '        logits = torch.sigmoid(logits)',
      '    if softmax:',
      '        logits = torch.softmax(logits, 1)',
      '    inter = (logits * target).sum(dim=(2, 3))',
      '    return 1 - ((2 * inter + 1) / ((logits + target).sum(dim=(2, 3)) + 1)).mean()',
    ].join('\n');
    assert.deepEqual(
      (await lint(branchy)).filter((f) => f.rule === 'LL202'),
      [],
    );
    // Unconditional sigmoid followed by a conditional softmax: on the path where both run, it is doubled.
    const twice = branchy.replace(
      '    if sigmoid:\n        logits = torch.sigmoid(logits)',
      '    logits = torch.sigmoid(logits)',
    );
    assert.equal((await lint(twice)).filter((f) => f.rule === 'LL202').length, 1);
  });

  it('lints partial trees: a syntax error elsewhere does not hide findings', async () => {
    const text = KERAS_DICE + '\ndef broken(:\n    return (\n';
    const f = await lint(text);
    assert.equal(f.filter((x) => x.rule === 'LL101').length, 3);
    for (const x of f) assert.ok(x.range.end.line < text.split('\n').length);
  });

  it('survives deep nesting, garbage and empty input without throwing', async () => {
    const deep = 'x = ' + '('.repeat(3000) + 'y' + ')'.repeat(3000) + '\n';
    const deepSum =
      'def dice(y_true, y_pred):\n    return ' +
      'K.sum('.repeat(800) +
      'y_pred' +
      ', -1)'.repeat(800) +
      ' / K.sum(y_true)\n';
    const chain =
      'def f(a, b):\n    x = a\n' +
      Array.from({ length: 3000 }, (_, i) => `    x${i} = x * b + 1`).join('\n');
    for (const text of [deep, deepSum, chain, '', '\u0000\u0001garbage ((( ]]] """', 'def'.repeat(1000)]) {
      const f = await lint(text);
      assert.ok(Array.isArray(f));
    }
  });

  it('applies the numeric options: empty targets, smoothing thresholds, LL102 severity', async () => {
    const unguarded = [
      'def overlap_loss(p, t):',
      '    return 1 - 2 * (p * t).sum(dim=(1, 2, 3)) / (p.sum(dim=(1, 2, 3)) + t.sum(dim=(1, 2, 3)))',
    ].join('\n');
    assert.equal((await lint(unguarded)).filter((f) => f.rule === 'LL301').length, 1);
    // Instance masks are never empty: 0/0 cannot happen.
    assert.equal(
      (await lint(unguarded, { targetsCanBeEmpty: false })).filter((f) => f.rule === 'LL301').length,
      0,
    );
    const smoothed = unguarded
      .replace('(p, t)', '(p, t, s=5.0)')
      .replace('2 * (p * t)', '(2 * (p * t)')
      .replace('dim=(1, 2, 3)))', 'dim=(1, 2, 3)) + s)')
      .replace(' / (p.sum', ' + s) / (p.sum');
    assert.equal((await lint(smoothed)).filter((f) => f.rule === 'LL303').length, 0);
    assert.equal((await lint(smoothed, { oversizedSmooth: 5 })).filter((f) => f.rule === 'LL303').length, 1);
    const meanDice = [
      'import tensorflow as tf',
      'def mean_dice(y_true, y_pred):',
      '    i = tf.reduce_mean(y_true * y_pred, axis=[1, 2, 3])',
      '    return (2 * i + 1e-4) / (tf.reduce_mean(y_true, axis=[1, 2, 3]) + tf.reduce_mean(y_pred, axis=[1, 2, 3]) + 1e-4)',
    ].join('\n');
    assert.equal((await lint(meanDice)).filter((f) => f.rule === 'LL109').length, 0);
    assert.equal(
      (await lint(meanDice, { meanSmoothThreshold: 1e-5 })).filter((f) => f.rule === 'LL109').length,
      1,
    );
    const batch =
      'import torch\ndef pooled(p, t):\n    return (2 * (p * t).sum() + 1) / (p.sum() + t.sum() + 1)\n';
    assert.deepEqual(
      (await lint(batch)).map((f) => `${f.rule} ${f.severity}`),
      ['LL102 info'],
    );
    assert.deepEqual(
      (await lint(batch, { rules: { LL102: 'warning' } })).map((f) => `${f.rule} ${f.severity}`),
      ['LL102 warning'],
    );
  });

  it('follows classes imported from other modules of the project (LL202 across files)', async () => {
    const dir = repoPath('test/fixtures/lint/crossfile');
    const train = readFileSync(join(dir, 'train.py'), 'utf8');
    const heads = readFileSync(join(dir, 'heads.py'), 'utf8');
    // Without the other module there is nothing to follow.
    assert.deepEqual(
      (await lint(train)).filter((f) => f.rule === 'LL202'),
      [],
    );
    const found = (await lint(train, { modules: { heads } })).filter((f) => f.rule === 'LL202');
    const expected = parseExpectations(train).filter((e) => e.rule === 'LL202');
    assert.deepEqual(
      found.map((f) => `${f.range.start.line}:${f.range.start.character}-${f.range.end.character}`),
      expected.map((e) => `${e.line}:${e.start}-${e.end}`),
    );
    assert.match(found[0].message, /`torch\.sigmoid\(self\.proj\(x\)\)` in module heads/);
  });

  it('caps the size with an informational finding', async () => {
    const f = await lint(KERAS_DICE, { maxLength: 10 });
    assert.equal(f.length, 1);
    assert.equal(f[0].rule, 'LL000');
    assert.match(f[0].message, /over the limit of 10/);
  });

  it('re-parses incrementally (and replays cached findings) with the same findings as a fresh full lint', async () => {
    const linter = await getLinter();
    const fresh = async (text: string): Promise<Finding[]> => {
      // A new linter has an empty findings cache: nothing is replayed.
      const l = await createLinter({ wasm: wasmBytes() });
      const r = l.lint(text);
      r.tree.dispose();
      l.dispose();
      return r.findings;
    };
    const base =
      KERAS_DICE +
      '\n' +
      Array.from({ length: 50 }, (_, i) => `def f${i}(a):\n    return a + ${i}\n`).join('\n');
    let r = linter.lint(base);
    let text = base;
    const edits = [
      { find: ', -1)', text: ', axis=[1, 2, 3])' },
      { find: 'return a + 7', text: 'return a + 7.5' },
      { find: 'def f3', text: '# é😀\ndef f3' },
      { find: 'axis=-1) + K', text: 'axis=[1, 2, 3]) + K' },
      {
        find: 'def f10(a):',
        text: 'def f10(a):\n    pass\n\ndef g(y_true, y_pred):\n    return (2 * K.sum(y_true * y_pred, -1) + 1) / (K.sum(y_true, -1) + 1)\n\ndef f10b(a):',
      },
      { find: 'from tensorflow.keras import backend as K', text: 'import torch' },
      {
        find: 'def f20(a):',
        text: 'class Head:\n    def forward(self, x):\n        return torch.sigmoid(x)\n\ndef uses_head(x, target):\n    head = Head()\n    return F.binary_cross_entropy_with_logits(head(x), target)\n\ndef f20(a):',
      },
      { find: 'return torch.sigmoid(x)', text: 'return x' },
    ];
    for (const e of edits) {
      const at = text.indexOf(e.find);
      assert.ok(at >= 0);
      const next = text.slice(0, at) + e.text + text.slice(at + e.find.length);
      r = linter.lint(
        next,
        {},
        { tree: r.tree, edits: [{ rangeOffset: at, rangeLength: e.find.length, text: e.text }] },
      );
      assert.deepEqual(r.findings, await fresh(next));
      text = next;
    }
    // A wrong edit list falls back to a full parse instead of producing a corrupt tree.
    const bogus = linter.lint(
      KERAS_DICE,
      {},
      { tree: r.tree, edits: [{ rangeOffset: 0, rangeLength: 0, text: 'zzz' }] },
    );
    assert.equal(bogus.findings.filter((x) => x.rule === 'LL101').length, 3);
    bogus.tree.dispose();
  });

  it('gives no finding on correct losses (precision)', async () => {
    const good = [
      'import torch',
      'import torch.nn.functional as F',
      'from tensorflow.keras import backend as K',
      '',
      'def dice_coef(y_true, y_pred, smooth=1.0):',
      '    inter = K.sum(y_true * y_pred, axis=[1, 2, 3])',
      '    return K.mean((2.0 * inter + smooth) / (K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3]) + smooth))',
      '',
      'def dice_loss(y_true, y_pred):',
      '    return -dice_coef(y_true, y_pred)',
      '',
      'def iou_metric(y_true, y_pred):',
      '    y_hat = K.round(y_pred)',
      '    inter = K.sum(y_true * y_hat, axis=[1, 2, 3])',
      '    return K.mean((inter + 1.0) / (K.sum(y_true + y_hat, axis=[1, 2, 3]) - inter + 1.0))',
      '',
      'class SoftDiceLoss(torch.nn.Module):',
      '    def forward(self, logits, target):',
      '        p = torch.sigmoid(logits)',
      '        dims = tuple(range(2, p.ndim))',
      '        inter = (p * target).sum(dim=dims)',
      '        card = p.sum(dim=dims) + target.sum(dim=dims)',
      '        return 1 - ((2 * inter + 1e-6) / (card + 1e-6)).mean()',
      '',
      'def focal(logits, target, gamma=2.0):',
      '    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")',
      '    p_t = torch.exp(-bce)',
      '    return ((1 - p_t) ** gamma * bce).mean()',
      '',
      'model.compile(optimizer="adam", loss=dice_loss, metrics=[dice_coef, iou_metric])',
    ].join('\n');
    assert.deepEqual(
      (await lint(good)).map((f) => `${f.rule} ${f.range.start.line + 1}: ${f.message}`),
      [],
    );
  });
});
