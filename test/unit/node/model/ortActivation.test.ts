import * as assert from 'node:assert/strict';
import { sigmoidInPlace, softmaxInPlace } from '../../../../src/core/model/activation';
import { OrtActivation } from '../../../../src/node/model/ortActivation';
import { maxAbsDiff } from '../../core/model/helpers';

describe('model/ortActivation: onnxruntime sigmoid and softmax', () => {
  const act = new OrtActivation();
  after(() => act.dispose());
  const C = 3;
  const N = 1000;
  const logits = Float32Array.from({ length: C * N }, (_, i) => Math.sin(i * 0.37) * 12);

  it('sigmoid matches the float64 JavaScript sigmoid and leaves the input alone', async () => {
    const input = logits.slice();
    const got = await act.apply('sigmoid', input, C, N);
    const ref = logits.slice();
    sigmoidInPlace(ref);
    assert.ok(maxAbsDiff(got, ref) < 1e-6);
    assert.deepEqual(input, logits);
  });

  it('softmax runs over the class axis (axis 0 of [C, N])', async () => {
    const got = await act.apply('softmax', logits.slice(), C, N);
    const ref = logits.slice();
    softmaxInPlace(ref, C, N);
    assert.ok(maxAbsDiff(got, ref) < 1e-6);
    for (let p = 0; p < N; p++) assert.ok(Math.abs(got[p] + got[N + p] + got[2 * N + p] - 1) < 1e-6);
  });

  it('none returns the data itself', async () => {
    assert.equal(await act.apply('none', logits, C, N), logits);
  });
});
