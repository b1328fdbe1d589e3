// Function summaries for reductions (issue 15 §1): a Dice helper that sums axis=-1 is wrong for the [B, H, W, C]
// tensors a caller passes; LL101 reports it at the call, naming the helper's lines, with a quick fix where safe.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { shortSnippet } from '../../../../src/core/lint/rule';
import { applyEdits, getLinter } from './helpers';
import { repoPath } from '../../../support/repo';

const METRICS = `import tensorflow as tf


def soft_dice(a, b, smooth=1.0):
    inter = tf.reduce_sum(a * b, axis=-1)
    union = tf.reduce_sum(a, axis=-1) + tf.reduce_sum(b, axis=-1)
    return tf.reduce_mean((2.0 * inter + smooth) / (union + smooth))
`;

const LOSSES = `import tensorflow as tf
from utils.metrics import soft_dice


def dice_loss(y_true, y_pred):
    return 1.0 - soft_dice(y_true, y_pred)


def flat_dice_loss(y_true, y_pred):
    n = tf.shape(y_true)[0]
    return 1.0 - soft_dice(tf.reshape(y_true, [n, -1]), tf.reshape(y_pred, [n, -1]))
`;

async function lint(text: string, modules?: Record<string, string>) {
  const linter = await getLinter();
  const r = linter.lint(text, modules ? { modules } : {});
  r.tree.dispose();
  return r.findings;
}

describe('core/lint reductions across calls (LL101 at the call site)', () => {
  it('a helper imported from another module: reported at the call, naming the module and its lines', async () => {
    const findings = await lint(LOSSES, { 'utils.metrics': METRICS });
    const ll101 = findings.filter((f) => f.rule === 'LL101');
    assert.equal(ll101.length, 1, JSON.stringify(findings, null, 1));
    const f = ll101[0];
    assert.equal(f.range.start.line, 5);
    assert.equal(f.range.start.character, LOSSES.split('\n')[5].indexOf('soft_dice('));
    assert.match(
      f.message,
      /^`soft_dice` in module utils\.metrics computes Dice with axis -1 \(C\) only \(lines 5, 6:/,
    );
    assert.match(f.message, /the tensors passed here are \[B, H, W, C\]/);
    assert.match(f.message, /Reduce over the spatial axes in `soft_dice`/);
    assert.match(f.message, /assumed layout NHWC: Keras default channels_last; role: loss/);
    assert.ok(f.explanation && /0\.97 instead of the per-image Dice 0\.50/.test(f.explanation));
    // The helper is in another file: nothing here can be edited safely.
    assert.equal(f.fixes, undefined);
  });

  it('the flattened call (reshape(n, -1)) and the lint without the module text stay silent', async () => {
    const flatOnly = LOSSES.replace(/def dice_loss[\s\S]*?\n\n\n/, '');
    assert.deepEqual(
      (await lint(flatOnly, { 'utils.metrics': METRICS })).filter((f) => f.rule === 'LL101'),
      [],
    );
    assert.deepEqual(
      (await lint(LOSSES)).filter((f) => f.rule === 'LL101'),
      [],
    );
  });

  it('a loss file with no framework of its own takes the framework of the module it imports', async () => {
    const bare = LOSSES.replace('import tensorflow as tf\n', '').replace(
      /\n\n\ndef flat_dice_loss[\s\S]*$/,
      '\n',
    );
    assert.ok(!bare.includes('tensorflow'));
    const withModule = (await lint(bare, { 'utils.metrics': METRICS })).filter((f) => f.rule === 'LL101');
    assert.equal(withModule.length, 1);
    assert.match(withModule[0].message, /assumed layout NHWC: Keras default channels_last/);
    assert.deepEqual(await lint(bare), []);
  });

  it('a helper whose own lint reports the sites is not reported again at the call', async () => {
    const text = `from tensorflow.keras import backend as K


def dice_coef(y_true, y_pred, smooth=1.0):
    inter = K.sum(y_true * y_pred, axis=-1)
    return (2.0 * inter + smooth) / (K.sum(y_true, axis=-1) + K.sum(y_pred, axis=-1) + smooth)


def dice_loss(y_true, y_pred):
    return 1 - dice_coef(y_true, y_pred)
`;
    const ll101 = (await lint(text)).filter((f) => f.rule === 'LL101');
    assert.deepEqual(
      ll101.map((f) => f.range.start.line),
      [4, 5, 5],
    );
  });

  it('the quick fix rewrites the helper for these tensors, and the fixed file is clean', async () => {
    const path = repoPath('test/fixtures/lint/LL101_bad_across_calls.py');
    const text = readFileSync(path, 'utf8');
    const findings = await lint(text);
    const first = findings.find((f) => f.rule === 'LL101' && f.range.start.line === 12);
    assert.ok(first?.fixes?.length === 1, JSON.stringify(first));
    assert.equal(first.fixes[0].title, 'Reduce over [1, 2, 3] in _ratio (lines 8, 9; per image)');
    const fixed = applyEdits(text, first.fixes[0].edits);
    assert.match(fixed, /K\.sum\(a \* b, axis=\[1, 2, 3\]\)/);
    const after = (await lint(fixed)).filter((f) => f.rule === 'LL101');
    assert.deepEqual(
      after.map((f) => f.range.start.line),
      [25, 29],
      'only the calls of the other helper remain',
    );
    // That helper is reached through another function and called twice: no fix is offered for it.
    assert.ok(after.every((f) => f.fixes === undefined));
  });

  it('a shape comment [B, H, W, 1] in a PyTorch module makes the helper per pixel for that call', async () => {
    const text = `import torch


def overlap(a, b, smooth=1.0):
    inter = (a * b).sum(axis=-1)
    return (2.0 * inter + smooth) / (a.sum(axis=-1) + b.sum(axis=-1) + smooth)


class DiceLoss(torch.nn.Module):
    def forward(self, probs, target):
        # probs, target: [B, H, W, 1]
        return 1 - overlap(probs, target).mean()
`;
    const findings = await lint(text);
    const atCall = findings.filter((f) => f.rule === 'LL101' && f.range.start.line === 11);
    assert.equal(atCall.length, 1, JSON.stringify(findings, null, 1));
    assert.match(atCall[0].message, /assumed layout NHWC: shape comment in the function/);
    assert.equal(atCall[0].fixes?.[0].edits.length, 3);
    assert.ok(atCall[0].fixes?.[0].edits.every((e) => e.newText === '(1, 2, 3)'));
  });

  it('replayed findings keep their fix edits in place when only the caller moves', async () => {
    const path = repoPath('test/fixtures/lint/LL101_bad_across_calls.py');
    const text = readFileSync(path, 'utf8');
    const linter = await getLinter();
    const r1 = linter.lint(text);
    // Two lines inserted between the helper and its caller: the caller moves, the helper does not.
    const moved = text.replace('def dice_metric', '# a comment\n# another\ndef dice_metric');
    const r2 = linter.lint(moved, undefined, undefined);
    r1.tree.dispose();
    r2.tree.dispose();
    const fix = r2.findings.find((f) => f.rule === 'LL101' && f.fixes)?.fixes?.[0];
    assert.ok(fix);
    const fixed = applyEdits(moved, fix.edits);
    assert.match(fixed, /shared = K\.sum\(a \* b, axis=\[1, 2, 3\]\)/);
  });
});

describe('core/lint LL107 one-hot viewed as (B, C, -1)', () => {
  it('the quick fix moves the class axis first, and the fixed file is clean', async () => {
    const text = readFileSync(repoPath('test/fixtures/lint/LL107_bad_onehot_view.py'), 'utf8');
    const f = (await lint(text)).find((x) => x.rule === 'LL107');
    assert.ok(f?.fixes?.[0]);
    assert.match(f.message, /channels-last tensor to \(B, C, -1\)/);
    const fixed = applyEdits(text, f.fixes[0].edits);
    assert.match(
      fixed,
      /F\.one_hot\(labels, num_classes\)\.permute\(0, 3, 1, 2\)\.reshape\(bs, num_classes, -1\)/,
    );
    assert.deepEqual(
      (await lint(fixed)).filter((x) => x.severity !== 'info'),
      [],
    );
  });
});

describe('core/lint message snippets (issue 15 §8)', () => {
  it('are cut at a token boundary with the open brackets closed after an ellipsis', () => {
    assert.equal(shortSnippet('K.sum(x, axis=-1)', 40), 'K.sum(x, axis=-1)');
    assert.equal(
      shortSnippet('logits.softmax(dim=1) * keep.unsqueeze(1)', 40),
      'logits.softmax(dim=1) * keep.unsqueeze(1…)',
    );
    assert.equal(
      shortSnippet('(1 - p_t) ** gamma * torch.log(p_t.clamp_min(1e-7))', 30),
      '(1 - p_t) ** gamma * torch.log…',
    );
    assert.equal(shortSnippet('a\n    + b', 40), 'a + b');
  });
});

describe('core/lint flattened-input shape hints', () => {
  it('without the "(B, N)" docstring the same helper is read as NHWC and its axis=1 sums are partial (LL105)', async () => {
    const good = readFileSync(repoPath('test/fixtures/lint/LL105_good_flat_docstring.py'), 'utf8');
    const bare = good
      .replace(/ {4}"""Soft Dice.*\n/, '')
      .replace(/ {4}# y_true, y_pred: \[batch, -1\]\n/, '');
    assert.notEqual(bare, good);
    const rules = (await lint(bare)).map((f) => `${f.rule}@${f.range.start.line + 1}`);
    assert.deepEqual(
      rules.filter((r) => r.startsWith('LL105')),
      ['LL105@5', 'LL105@6', 'LL105@6'],
    );
    assert.ok(
      rules.some((r) => r.startsWith('LL101')),
      'axis=-1 on NHWC is per pixel',
    );
    assert.deepEqual(
      (await lint(good)).filter((f) => f.severity !== 'info'),
      [],
    );
  });
});
