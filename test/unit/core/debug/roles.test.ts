// Role guessing from dtype, range and name: the values decide what is possible, the name picks among it.
import assert from 'node:assert/strict';
import { guessRole, roleFromName, type TensorFacts } from '../../../../src/core/debug/roles';

const f = (
  name: string,
  dtype: string,
  min: number,
  max: number,
  distinct: number,
  values?: number[],
): TensorFacts => ({
  name,
  dtype,
  min,
  max,
  distinct,
  values,
});

describe('core/debug/roles', () => {
  it('names: the last part of an expression counts most', () => {
    assert.equal(roleFromName('y_true'), 'mask');
    assert.equal(roleFromName('y_pred'), 'prob');
    assert.equal(roleFromName("batch['mask']"), 'mask');
    assert.equal(roleFromName('outputs.logits'), 'logits');
    assert.equal(roleFromName('images'), 'image');
    assert.equal(roleFromName('x'), 'image');
    assert.equal(roleFromName('foo'), undefined);
  });

  it('0/1 floats: a mask unless named like a prediction', () => {
    assert.equal(guessRole(f('y_true', 'float32', 0, 1, 2, [0, 1])).role, 'mask');
    assert.equal(guessRole(f('m', 'float32', 0, 1, 2, [0, 1])).role, 'mask');
    assert.equal(guessRole(f('y_pred', 'float32', 0, 1, 2, [0, 1])).role, 'prob');
    assert.equal(guessRole(f('mask', 'bool', 0, 1, 2, [0, 1])).role, 'mask');
  });

  it('values in [0, 1]: probabilities, or an image when named so', () => {
    assert.equal(guessRole(f('y_pred', 'float32', 0.03, 0.95, 257)).role, 'prob');
    assert.equal(guessRole(f('out', 'float32', 0, 1, 257)).role, 'prob');
    assert.equal(guessRole(f('images', 'float32', 0, 1, 257)).role, 'image');
  });

  it('negative floats are logits, whatever their name (unless an image)', () => {
    const g = guessRole(f('y_pred', 'float32', -4.2, 3.1, 257));
    assert.equal(g.role, 'logits');
    assert.match(g.why, /negative values/);
    assert.equal(guessRole(f('x', 'float32', -1, 1, 257)).role, 'image');
  });

  it('integer labels above 1 are a mask; wide integer ranges an image', () => {
    assert.equal(guessRole(f('seg', 'int64', 0, 3, 4, [0, 1, 2, 3])).role, 'mask');
    assert.equal(guessRole(f('target', 'uint8', 0, 255, 2, [0, 255])).role, 'mask');
    assert.equal(guessRole(f('img', 'uint8', 0, 255, 200)).role, 'image');
  });

  it('no finite values: the name decides', () => {
    assert.equal(guessRole({ name: 'y_true', dtype: 'float32' }).role, 'mask');
    assert.equal(guessRole({ name: 'z', dtype: 'float32' }).role, 'image');
  });
});
