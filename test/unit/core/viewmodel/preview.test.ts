// The viewer's preview of a large image (issue 13): each block's mean against a direct computation of it, for every
// sample type, channel count and a size the step does not divide; and when a preview is made at all.
import assert from 'node:assert/strict';
import {
  PREVIEW_MAX_SIDE,
  PREVIEW_MIN_BYTES,
  downsampleBox,
  previewStep,
} from '../../../../src/core/viewmodel/preview';
import { mulberry32 } from '../../../../src/core/dataset/stats';

/** The mean of block (bx, by), channel c, written out directly. */
function blockMean(
  data: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  step: number,
  bx: number,
  by: number,
  c: number,
): number {
  let sum = 0;
  let n = 0;
  for (let y = by * step; y < Math.min(height, by * step + step); y++)
    for (let x = bx * step; x < Math.min(width, bx * step + step); x++) {
      const v = data[(y * width + x) * channels + c];
      if (!Number.isNaN(v)) {
        sum += v;
        n++;
      }
    }
  return n ? sum / n : NaN;
}

describe('core/viewmodel: preview of a large image', () => {
  it('each block is the mean of its samples (rounded for integer types), edges included', () => {
    const r = mulberry32(7);
    const cases = [
      { make: (n: number) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256)), integer: true },
      { make: (n: number) => Uint16Array.from({ length: n }, () => Math.floor(r() * 65536)), integer: true },
      {
        make: (n: number) => Float32Array.from({ length: n }, () => (r() < 0.05 ? NaN : r() * 2 - 1)),
        integer: false,
      },
    ];
    for (const { make, integer } of cases)
      for (const channels of [1, 3, 4])
        for (const [width, height, step] of [
          [37, 23, 4],
          [16, 16, 2],
          [5, 9, 3],
          [7, 4, 1],
          [3, 2, 8],
        ]) {
          const data = make(width * height * channels);
          const out = downsampleBox(data, width, height, channels, step);
          assert.equal(out.data.constructor, data.constructor);
          assert.deepEqual([out.width, out.height], [Math.ceil(width / step), Math.ceil(height / step)]);
          for (let by = 0; by < out.height; by++)
            for (let bx = 0; bx < out.width; bx++)
              for (let c = 0; c < channels; c++) {
                const want = blockMean(data, width, height, channels, step, bx, by, c);
                const got = out.data[(by * out.width + bx) * channels + c];
                if (integer) assert.equal(got, Math.floor(want + 0.5));
                else if (Number.isNaN(want)) assert.ok(Number.isNaN(got));
                else assert.equal(got, Math.fround(want));
              }
        }
  });

  it('step 1 gives the samples back; a bad step or size is refused', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...downsampleBox(data, 3, 2, 1, 1).data], [1, 2, 3, 4, 5, 6]);
    assert.throws(() => downsampleBox(data, 3, 2, 1, 0), RangeError);
    assert.throws(() => downsampleBox(data, 4, 2, 1, 2), RangeError);
  });

  it('a preview only for images of a megabyte or more, sized to at most PREVIEW_MAX_SIDE', () => {
    assert.equal(previewStep(1024, 1024, 3 << 20), 2);
    assert.equal(previewStep(4096, 4096, 48 << 20), Math.ceil(4096 / PREVIEW_MAX_SIDE));
    assert.equal(previewStep(4096, 300, 4096 * 300 * 3), 7);
    assert.equal(previewStep(1024, 1024, PREVIEW_MIN_BYTES - 1), 1, 'small enough to cross as it is');
    assert.equal(previewStep(600, 600, 2 << 20), 1, 'already about the panel’s size');
  });
});
