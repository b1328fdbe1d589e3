import * as assert from 'node:assert/strict';
import { axesFromComment, layoutFromText, subscriptRank } from '../../../../src/core/lint/layout';
import { resolveOptions } from '../../../../src/core/lint/linter';
import { buildModule } from '../../../../src/core/lint/module';
import { PythonParser } from '../../../../src/core/lint/parser';
import { walk, type SNode } from '../../../../src/core/lint/syntax';
import { wasmBytes } from './helpers';

let parser: PythonParser;

/** Layout and its reason for a PyTorch function whose body is `body`. */
function layoutOf(body: string): { layout?: string; reason: string } {
  const text = `import torch\n\ndef dice_loss(probs, target):\n${body}\n`;
  const parsed = parser.parse(text);
  const model = buildModule(parsed.syntax, resolveOptions());
  const fn = model.functions.find((f) => f.name === 'dice_loss');
  assert.ok(fn);
  const out = { layout: fn.layout, reason: fn.layoutReason };
  parsed.dispose();
  return out;
}

function rankOf(expr: string): number {
  const parsed = parser.parse(`${expr}\n`);
  let found: SNode | undefined;
  walk(parsed.syntax.root, (n) => {
    if (n.type === 'subscript' && !found) found = n;
    return !found;
  });
  assert.ok(found, expr);
  const rank = subscriptRank(found);
  parsed.dispose();
  return rank;
}

describe('lint rank evidence: subscripts with one index per axis', () => {
  before(async () => {
    parser = await PythonParser.create(wasmBytes());
  });

  it('counts the axes a subscript indexes (None inserts one, ... stands for uncounted ones)', () => {
    assert.equal(rankOf('x[:, 1:, :, :, :]'), 5);
    assert.equal(rankOf('x[:, 1, :, :, :]'), 5);
    assert.equal(rankOf('x[:, 0]'), 2);
    assert.equal(rankOf('x[..., 1:]'), 1);
    assert.equal(rankOf('x[None, :, :, :, :]'), 4);
    assert.equal(rankOf('x[:, :, None, :, :, :]'), 5);
  });

  it('a five-index subscript makes the function 3-D, and the reason quotes it', () => {
    const { layout, reason } = layoutOf('    p = probs[:, 1:, :, :, :]\n    return p.sum()');
    assert.equal(layout, 'NCDHW');
    assert.match(reason, /rank 5 from probs\[:, 1:, :, :, :\]/);
  });

  it('four indices, an ellipsis or an added None axis leave the 2-D default', () => {
    for (const body of [
      '    return probs[:, 1:, :, :].sum()',
      '    return probs[..., 1:].sum()',
      '    return probs[None, :, :, :, :].sum()',
    ]) {
      assert.equal(layoutOf(body).layout, 'NCHW', body);
    }
  });

  it('shape comments read alike with round or square brackets', () => {
    assert.equal(layoutFromText('# pred: [B, C, D, H, W]'), 'NCDHW');
    assert.equal(layoutFromText('# pred: (B, C, D, H, W)'), 'NCDHW');
    assert.equal(layoutFromText('# logits [N, H, W, C]'), 'NHWC');
    assert.equal(layoutFromText('# scores[b, c]'), undefined);
    assert.deepEqual(axesFromComment('x = f(y)  # [B, C, L]'), ['B', 'C', 'L']);
    assert.deepEqual(axesFromComment('x = f(y)  # (B, C, L)'), ['B', 'C', 'L']);
    assert.equal(axesFromComment('x = y[0]  # first row'), undefined);
  });
});
