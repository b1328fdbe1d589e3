import * as assert from 'node:assert/strict';
import { sigmoidInPlace, softmaxInPlace } from '../../../../src/core/model/activation';

describe('model/activation', () => {
  it('sigmoid: hand values and no overflow at ±1000', () => {
    const d = Float32Array.from([0, Math.log(3), -1000, 1000]);
    sigmoidInPlace(d);
    assert.equal(d[0], 0.5);
    assert.ok(Math.abs(d[1] - 0.75) < 1e-7);
    assert.equal(d[2], 0);
    assert.equal(d[3], 1);
  });

  it('softmax runs over the class axis of a [C, N] map', () => {
    // Two classes, two pixels: pixel 0 has logits (0, ln 3) → (0.25, 0.75); pixel 1 (1000, 1000) → (0.5, 0.5).
    const d = Float32Array.from([0, 1000, Math.log(3), 1000]);
    softmaxInPlace(d, 2, 2);
    assert.ok(Math.abs(d[0] - 0.25) < 1e-7 && Math.abs(d[2] - 0.75) < 1e-7);
    assert.equal(d[1], 0.5);
    assert.equal(d[3], 0.5);
  });

  it('softmax lets a NaN poison its pixel only', () => {
    const d = Float32Array.from([NaN, 0, 1, 0]);
    softmaxInPlace(d, 2, 2);
    assert.ok(Number.isNaN(d[0]) && Number.isNaN(d[2]));
    assert.equal(d[1], 0.5);
    assert.equal(d[3], 0.5);
  });
});
