import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { resampleBilinear } from '../../../../src/core/model/bilinear';

function plane(data: number[], width: number) {
  return { data: Float32Array.from(data), offset: 0, rowStride: width, pixelStride: 1 };
}

function resample(src: number[], h: number, w: number, oh: number, ow: number): number[] {
  const out = new Float32Array(oh * ow);
  resampleBilinear(
    plane(src, w),
    { top: 0, left: 0, height: h, width: w },
    { data: out, offset: 0, rowStride: ow, pixelStride: 1 },
    oh,
    ow,
  );
  return Array.from(out);
}

describe('model/bilinear: half-pixel bilinear resampling', () => {
  it('upsamples 2×2 → 4×4 like torch interpolate(align_corners=False) (hand-computed)', () => {
    // Sample positions (i + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25, clamped to [0, 1].
    assert.deepEqual(
      resample([0, 1, 2, 3], 2, 2, 4, 4),
      [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3],
    );
  });

  it('downsamples 1×4 → 1×2 by averaging pairs (positions 0.5 and 2.5)', () => {
    assert.deepEqual(resample([0, 1, 2, 3], 1, 4, 1, 2), [0.5, 2.5]);
  });

  it('copies a same-size rectangle exactly, reading and writing with strides', () => {
    // Source: interleaved 2-channel 3×3; take channel 1, rows 1–2, columns 0–1, write channel-last into 2 channels.
    const src = Float32Array.from({ length: 18 }, (_, i) => i);
    const out = new Float32Array(8).fill(-1);
    resampleBilinear(
      { data: src, offset: 1, rowStride: 6, pixelStride: 2 },
      { top: 1, left: 0, height: 2, width: 2 },
      { data: out, offset: 1, rowStride: 4, pixelStride: 2 },
      2,
      2,
    );
    assert.deepEqual(Array.from(out), [-1, 7, -1, 9, -1, 13, -1, 15]);
  });

  it('matches a direct transcription of the torch formula on random sizes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 0, max: 1000 }),
        (h, w, oh, ow, seed) => {
          const src = Array.from({ length: h * w }, (_, i) => Math.sin(seed + i * 1.7) * 10);
          const got = resample(src, h, w, oh, ow);
          // torch's upsample_bilinear2d: src = max(0, scale·(dst + 0.5) − 0.5), i1 = i0 + (i0 < in − 1).
          const idx = (d: number, inn: number, out: number) => {
            const s = Math.max(0, (inn / out) * (d + 0.5) - 0.5);
            const i0 = Math.min(Math.floor(s), inn - 1);
            const i1 = i0 + (i0 < inn - 1 ? 1 : 0);
            const l1 = Math.min(s - i0, 1);
            return [i0, i1, 1 - l1, l1];
          };
          for (let y = 0; y < oh; y++) {
            const [y0, y1, hy0, hy1] = idx(y, h, oh);
            for (let x = 0; x < ow; x++) {
              const [x0, x1, wx0, wx1] = idx(x, w, ow);
              const v =
                hy0 * (wx0 * src[y0 * w + x0] + wx1 * src[y0 * w + x1]) +
                hy1 * (wx0 * src[y1 * w + x0] + wx1 * src[y1 * w + x1]);
              assert.ok(Math.abs(got[y * ow + x] - v) < 1e-4, `(${y},${x}) ${got[y * ow + x]} vs ${v}`);
            }
          }
        },
      ),
    );
  });
});
