import * as assert from 'node:assert/strict';
import { internalErrors } from '../../../../src/core/lint/linter';
import { getLinter } from './helpers';

/** Rule, severity and line of every finding: what must not depend on the spelling of an operator. */
async function verdicts(text: string): Promise<string[]> {
  const linter = await getLinter();
  const { findings, tree } = linter.lint(text);
  tree.dispose();
  return findings.map((f) => `${f.rule} ${f.severity} line ${f.range.start.line + 1}`).sort();
}

const KERAS_PER_PIXEL = [
  'import tensorflow as tf',
  'from keras import ops',
  '',
  'def dice_coef(y_true, y_pred, smooth=1.0):',
  '    inter = tf.reduce_sum(PRODUCT, axis=-1)',
  '    total = tf.reduce_sum(y_true, axis=-1) + tf.reduce_sum(y_pred, axis=-1)',
  '    return RATIO',
  '',
  'model.compile(optimizer="adam", loss="bce", metrics=[dice_coef])',
].join('\n');

const TORCH_UNGUARDED = [
  'import torch',
  '',
  'def soft_dice(probs, target):',
  '    inter = PRODUCT.sum(dim=(1, 2, 3))',
  '    total = probs.sum(dim=(1, 2, 3)) + target.sum(dim=(1, 2, 3))',
  '    return 1 - RATIO.mean()',
].join('\n');

describe('lint engine: function-form operators read like the operators', () => {
  afterEach(() => assert.deepEqual(internalErrors, []));

  const fill = (template: string, product: string, ratio: string): string =>
    template.replace('PRODUCT', product).replace('RATIO', ratio);

  it('Keras: tf.math.multiply / tf.math.divide / keras.ops.* give the findings of * and /', async () => {
    const reference = await verdicts(
      fill(KERAS_PER_PIXEL, 'y_true * y_pred', '(2.0 * inter + smooth) / (total + smooth)'),
    );
    assert.equal(reference.filter((v) => v.startsWith('LL101')).length, 3);
    for (const [product, ratio] of [
      ['tf.math.multiply(y_true, y_pred)', 'tf.math.divide(2.0 * inter + smooth, total + smooth)'],
      ['tf.multiply(y_true, y_pred)', 'tf.truediv(2.0 * inter + smooth, total + smooth)'],
      ['ops.multiply(y_true, y_pred)', 'ops.divide(2.0 * inter + smooth, total + smooth)'],
      ['ops.multiply(y_true, y_pred)', 'ops.true_divide(2.0 * inter + smooth, total + smooth)'],
    ]) {
      assert.deepEqual(
        await verdicts(fill(KERAS_PER_PIXEL, product, ratio)),
        reference,
        `${product}; ${ratio}`,
      );
    }
  });

  it('PyTorch: torch.mul / torch.div / torch.true_divide / Tensor.mul / Tensor.div give the findings of * and /', async () => {
    const reference = await verdicts(fill(TORCH_UNGUARDED, '(probs * target)', '(2 * inter / total)'));
    assert.deepEqual(
      reference.filter((v) => v.startsWith('LL301')),
      ['LL301 error line 6'],
    );
    for (const [product, ratio] of [
      ['torch.mul(probs, target)', 'torch.div(2 * inter, total)'],
      ['torch.multiply(probs, target)', 'torch.divide(2 * inter, total)'],
      ['torch.mul(probs, target)', 'torch.true_divide(2 * inter, total)'],
      ['probs.mul(target)', '(2 * inter).div(total)'],
      ['probs.multiply(target)', 'torch.div(input=2 * inter, other=total)'],
    ]) {
      assert.deepEqual(
        await verdicts(fill(TORCH_UNGUARDED, product, ratio)),
        reference,
        `${product}; ${ratio}`,
      );
    }
  });

  it('divide_no_nan is a ratio that cannot give NaN: no LL301, and LL101 counts 0/0 pixels as 0', async () => {
    const text = fill(KERAS_PER_PIXEL, 'y_true * y_pred', 'tf.math.divide_no_nan(2.0 * inter, total)');
    const linter = await getLinter();
    const { findings, tree } = linter.lint(text);
    tree.dispose();
    assert.deepEqual(
      findings.filter((f) => f.rule === 'LL301'),
      [],
    );
    const ll101 = findings.filter((f) => f.rule === 'LL101');
    assert.equal(ll101.length, 3);
    for (const f of ll101) assert.match(f.message, /every background pixel scores 0/);
    for (const f of ll101) assert.doesNotMatch(f.message, /NaN/);
  });
});
