// One image of a batch in the viewer's layout for its role: checked element by element on small arrays.
import assert from 'node:assert/strict';
import { explainDims } from '../../../../src/core/debug/dims';
import { viewerItem } from '../../../../src/core/debug/item';
import type { NDArray } from '../../../../src/core/ndarray';

const arange = (shape: number[]): NDArray => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', shape, data: Float32Array.from({ length: n }, (_, i) => i) };
};

describe('core/debug/item', () => {
  it('takes item i of a [B, H, W, 1] batch and drops the single channel', () => {
    const a = arange([3, 2, 4, 1]);
    const item = viewerItem(a, explainDims(a.shape), 'prob', 2);
    assert.deepEqual(item.array.shape, [2, 4]);
    assert.deepEqual([...item.array.data], [16, 17, 18, 19, 20, 21, 22, 23]);
    assert.equal(item.note, 'item 2 of 3');
  });

  it('channels_first probabilities come out channels_last', () => {
    const b = arange([1, 3, 20, 20]);
    const item = viewerItem(b, explainDims(b.shape), 'prob', 0);
    assert.deepEqual(item.array.shape, [20, 20, 3]);
    // Pixel (y=1, x=2), channel c is element c·400 + 1·20 + 2 of the input.
    const at = (y: number, x: number, c: number) => Number(item.array.data[(y * 20 + x) * 3 + c]);
    assert.deepEqual([at(1, 2, 0), at(1, 2, 1), at(1, 2, 2)], [22, 422, 822]);
  });

  it('masks become uint8 labels: 0/1 floats, integer labels, one-hot by argmax', () => {
    const soft: NDArray = { dtype: 'float32', shape: [2, 2], data: Float32Array.from([0, 1, 0.6, 0.4]) };
    assert.deepEqual([...viewerItem(soft, explainDims(soft.shape), 'mask').array.data], [0, 1, 1, 0]);
    const labels: NDArray = { dtype: 'int64', shape: [2, 2], data: BigInt64Array.from([0n, 3n, 2n, 1n]) };
    const l = viewerItem(labels, explainDims(labels.shape), 'mask');
    assert.equal(l.array.dtype, 'uint8');
    assert.deepEqual([...l.array.data], [0, 3, 2, 1]);
    const onehot: NDArray = {
      dtype: 'float32',
      shape: [20, 20, 3],
      data: Float32Array.from({ length: 1200 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)),
    };
    const o = viewerItem(onehot, explainDims(onehot.shape), 'mask');
    assert.deepEqual(o.array.shape, [20, 20]);
    assert.deepEqual([...o.array.data.slice(0, 6)], [0, 1, 2, 0, 1, 2]);
  });

  it('images with an odd channel count keep channel 0; volumes give their middle slice', () => {
    const five = arange([20, 20, 5]);
    const img = viewerItem(five, explainDims(five.shape), 'image');
    assert.deepEqual(img.array.shape, [20, 20]);
    assert.equal(Number(img.array.data[1]), 5);
    assert.match(img.note, /channel 0 of 5/);
    const vol = arange([1, 40, 20, 20]);
    const mid = viewerItem(vol, explainDims(vol.shape), 'prob');
    assert.equal(Number(mid.array.data[0]), 20 * 400);
    assert.match(mid.note, /middle slice 20 of 40/);
  });

  it('refuses an index outside the batch and a tensor without two spatial axes', () => {
    const a = arange([2, 20, 20]);
    assert.throws(() => viewerItem(a, explainDims(a.shape), 'prob', 2), /outside the batch of 2/);
    const v = arange([7]);
    assert.throws(() => viewerItem(v, explainDims(v.shape), 'prob'), /not an image/);
  });
});
