import assert from 'node:assert/strict';
import { bandByStamping } from '../../../../src/core/metrics/bandStamp';
import { squaredEdt } from '../../../../src/core/metrics/edt';
import { mulberry32 } from '../../../../src/core/dataset/stats';

/** Random blobs and speckle inside a one-pixel background frame (as a class crop has). */
function framedMask(shape: number[], seed: number): Uint8Array {
  const r = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(n);
  const centres = Array.from({ length: 3 }, () => ({
    c: shape.map((s) => r() * s),
    rad: 1 + r() * Math.max(...shape) * 0.35,
  }));
  for (let i = 0; i < n; i++) {
    const coord: number[] = [];
    let rest = i;
    for (let a = shape.length - 1; a >= 0; a--) {
      coord.unshift(rest % shape[a]);
      rest = Math.floor(rest / shape[a]);
    }
    if (coord.some((v, a) => v === 0 || v === shape[a] - 1)) continue;
    const inBlob = centres.some(({ c, rad }) => Math.hypot(...coord.map((v, a) => v - c[a])) <= rad);
    if (inBlob || r() < 0.01) out[i] = 1;
  }
  return out;
}

/** The band by its definition through the transform: mask pixels whose squared distance to a non-mask pixel ≤ limit. */
function viaEdt(mask: Uint8Array, shape: number[], spacing: number[], limit: number): Uint8Array {
  const sq = squaredEdt(mask, shape, spacing, undefined, true);
  return Uint8Array.from(mask, (m, i) => (m && sq[i] <= limit ? 1 : 0));
}

describe('metrics: boundary band by stamping (bandStamp.ts)', () => {
  it('marks exactly the transform’s band: 2-D and 3-D, anisotropic spacing, widths on the grid and between it', () => {
    const cases: [number[], number[], number][] = [
      [[60, 70], [1, 1], 2],
      [[60, 70], [1, 1], Math.SQRT2],
      [[80, 50], [0.6, 1.7], 3.1],
      [[90, 90], [1, 1], 5 + 1e-9],
      [[14, 20, 18], [1, 1, 1], 2.2],
      [[12, 16, 20], [2.5, 0.9, 1.2], 3],
    ];
    let stamped = 0;
    for (const [shape, spacing, width] of cases) {
      const limit = width * width;
      for (let seed = 1; seed <= 6; seed++) {
        const mask = framedMask(shape, seed * 7 + shape.length);
        const got = bandByStamping(mask, shape, spacing, limit);
        if (!got) continue;
        stamped++;
        assert.deepEqual(
          got,
          viaEdt(mask, shape, spacing, limit),
          `${shape} ${spacing} w=${width} seed ${seed}`,
        );
      }
    }
    assert.ok(stamped >= 20, `${stamped} cases stamped`);
  });

  it('stays bounded on extreme anisotropic spacing (the ball is capped at the crop), and still exact', () => {
    const shape = [40, 40];
    const mask = framedMask(shape, 11);
    for (const spacing of [
      [1e-9, 1e9],
      [1e9, 1e-9],
      [0.001, 1000],
    ]) {
      for (const width of [1e-9, 1, 1e9]) {
        const limit = width * width;
        const got = bandByStamping(mask, shape, spacing, limit);
        if (got) assert.deepEqual(got, viaEdt(mask, shape, spacing, limit), `${spacing} w=${width}`);
      }
    }
  });

  it('declines (null) when the ball times the boundary would cost more than a transform', () => {
    const shape = [64, 64];
    const mask = framedMask(shape, 3);
    assert.equal(bandByStamping(mask, shape, [1, 1], 200 * 200), null);
  });
});
