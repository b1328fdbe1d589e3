// The function under the cursor, its parameters and the call order; and splitting typed expressions.
import assert from 'node:assert/strict';
import { functionAt, functionsOf, targetFirst, wordAt } from '../../../../src/core/debug/functionAt';
import { splitExpressions } from '../../../../src/core/debug/expressions';

const SRC = [
  'import numpy as np', // 0
  '', // 1
  'def dice_coeff(y_true, y_pred, smooth=1.0):', // 2
  '    inter = np.sum(y_true * y_pred, axis=-1)', // 3
  '', // 4
  '    return (2 * inter + smooth) / (', // 5
  '        np.sum(y_true) + smooth', // 6
  '    )', // 7
  '', // 8
  'class Loss:', // 9
  '    def forward(self, input: "Tensor",', // 10
  '                target=None):', // 11
  '        return dice_coeff(target, input)', // 12
  '', // 13
  'loss = dice_coeff(a, b)', // 14
  'other = imported_loss(a, b)', // 15
].join('\n');

describe('core/debug/functionAt', () => {
  it('lists every def with its parameters and last line', () => {
    assert.deepEqual(
      functionsOf(SRC).map((f) => [f.name, f.params, f.startLine, f.endLine]),
      [
        ['dice_coeff', ['y_true', 'y_pred', 'smooth'], 2, 7],
        ['forward', ['input', 'target'], 10, 12],
      ],
    );
  });

  it('the word under the cursor names a def; else the innermost def around it', () => {
    assert.equal(functionAt(SRC, 2, 6)?.name, 'dice_coeff');
    assert.equal(functionAt(SRC, 14, 10)?.name, 'dice_coeff');
    assert.equal(functionAt(SRC, 6, 12)?.name, 'dice_coeff');
    assert.equal(functionAt(SRC, 12, 9)?.name, 'forward');
    assert.deepEqual(functionAt(SRC, 15, 10), { name: 'imported_loss' });
    assert.equal(functionAt(SRC, 0, 3), undefined);
    assert.equal(wordAt('  foo(bar)', 7), 'bar');
  });

  it('call order from parameter names, Keras order when unknown', () => {
    assert.equal(targetFirst(['y_true', 'y_pred']).targetFirst, true);
    assert.equal(targetFirst(['input', 'target']).targetFirst, false);
    assert.equal(targetFirst(['logits', 'labels']).targetFirst, false);
    assert.equal(targetFirst(['gt', 'pr']).targetFirst, true);
    const unknown = targetFirst(['a', 'b']);
    assert.equal(unknown.targetFirst, true);
    assert.match(unknown.because, /assumed/);
    assert.equal(targetFirst(undefined).targetFirst, true);
  });

  it('splits typed expressions at top-level commas only', () => {
    assert.deepEqual(splitExpressions('x[0, :, :], y_true ; d["a,b"]'), ['x[0, :, :]', 'y_true', 'd["a,b"]']);
    assert.deepEqual(splitExpressions(' , '), []);
    assert.deepEqual(splitExpressions("f(a, (b, c)), 'x\\',y'"), ['f(a, (b, c))', "'x\\',y'"]);
  });
});
