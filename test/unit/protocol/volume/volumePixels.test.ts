// The volume panel's compact image: 16-bit levels over [min, max] and the window's grey table, against values
// worked out by hand and a float reference of the old per-pixel window.
import assert from 'node:assert/strict';
import {
  IMAGE_LEVELS,
  greyLevels,
  imageLevelValue,
  labelTypeFor,
  quantiseImage,
} from '../../../../src/protocol/volumePixels';

describe('volume pixels (protocol/volumePixels)', () => {
  it('levels: NaN 0, min 1, max 65535, ±Infinity at the ends, a value in the middle by hand', () => {
    const q = quantiseImage([NaN, -1000, 3000, -Infinity, Infinity, 1000, -5000, 9000], -1000, 3000);
    // 1000 is half way: 1 + round(0.5 · 65534) = 32768.
    assert.deepEqual([...q], [0, 1, 65535, 1, 65535, 32768, 1, 65535]);
    assert.ok(Number.isNaN(imageLevelValue(0, -1000, 3000)));
    assert.equal(imageLevelValue(1, -1000, 3000), -1000);
    assert.equal(imageLevelValue(65535, -1000, 3000), 3000);
    assert.equal(imageLevelValue(32768, -1000, 3000), 1000);
    // A constant image: every finite voxel is level 1, which stands for the value.
    assert.deepEqual([...quantiseImage([7, 7, NaN], 7, 7)], [1, 1, 0]);
    assert.equal(imageLevelValue(1, 7, 7), 7);
    assert.throws(() => quantiseImage([1, 2], 0, 1, new Uint16Array(3)), /holds 3 values, the slice 2/);
  });

  it('a level stands for its value within half a step, (max − min) / 65534 / 2', () => {
    const min = -1024;
    const max = 3071;
    const step = (max - min) / 65534;
    let worst = 0;
    const values = Array.from(
      { length: 10_000 },
      (_, i) => min + ((max - min) * ((i * 7919) % 10_000)) / 9999,
    );
    const q = quantiseImage(values, min, max);
    values.forEach((v, i) => (worst = Math.max(worst, Math.abs(imageLevelValue(q[i], min, max) - v))));
    assert.ok(worst <= step / 2 + 1e-9, `worst ${worst} > ${step / 2}`);
  });

  it('grey table: the window of the old float path (≤ low black, ≥ high white, linear) within one step', () => {
    const min = -1024;
    const max = 3071;
    const [low, high] = [0, 80]; // a brain window: 80 HU wide out of 4095
    const grey = greyLevels(min, max, low, high);
    assert.equal(grey.length, IMAGE_LEVELS);
    assert.equal(grey[0], 0);
    const ref = (v: number) => Math.min(255, Math.max(0, ((v - low) * 255) / (high - low)));
    const step = (max - min) / 65534;
    for (const v of [-1024, -1, 0, 0.03, 10, 39.5, 40, 79.99, 80, 500, 3071]) {
      const q = quantiseImage([v], min, max)[0];
      // One level is 0.0625 HU: at most 0.2 grey in an 80 HU window.
      assert.ok(
        Math.abs(grey[q] - ref(v)) <= (step / 2) * (255 / 80) + 1e-9,
        `${v}: ${grey[q]} vs ${ref(v)}`,
      );
    }
    // A zero-width window: values ≥ high white, the rest black.
    const flat = greyLevels(0, 10, 5, 5);
    assert.equal(flat[quantiseImage([5], 0, 10)[0]], 255);
    assert.equal(flat[quantiseImage([4.9], 0, 10)[0]], 0);
  });

  it('labels cross as one byte up to 255 (the ignore label included), else two', () => {
    assert.equal(labelTypeFor(0), 'uint8');
    assert.equal(labelTypeFor(255), 'uint8');
    assert.equal(labelTypeFor(256), 'uint16');
  });
});
