import assert from 'node:assert/strict';
import {
  bandRuns,
  distancesAtRuns,
  maskRuns,
  runCoordinates,
  runPixels,
  runsToMask,
  sharedPixels,
  surfaceRuns,
} from '../../../../src/core/metrics/lineRuns';
import { surfaceOf } from '../../../../src/core/metrics/surface';
import { boundaryIouOfCrop } from '../../../../src/core/metrics/boundaryIou';
import { squaredEdt } from '../../../../src/core/metrics/edt';
import { mulberry32 } from '../../../../src/core/dataset/stats';

/** Random blobs, speckle and (optionally) full lines inside a one-pixel background frame, as a class crop has. */
function framedMask(shape: number[], seed: number, fill = 0.35): Uint8Array {
  const r = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(n);
  const centres = Array.from({ length: 3 }, () => ({
    c: shape.map((s) => r() * s),
    rad: 0.5 + r() * Math.max(...shape) * fill,
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
    if (inBlob || r() < 0.02) out[i] = 1;
  }
  return out;
}

/** The band by its definition through the transform: mask pixels whose squared distance to a non-mask pixel ≤ limit. */
function viaEdt(mask: Uint8Array, shape: number[], spacing: number[], limit: number): Uint8Array {
  const sq = squaredEdt(mask, shape, spacing, undefined, true);
  return Uint8Array.from(mask, (m, i) => (m && sq[i] <= limit ? 1 : 0));
}

const sum = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);

describe('metrics: boundary band on runs (lineRuns.ts)', () => {
  it('maskRuns reads every mask back exactly: empty, full, one pixel, odd widths, unaligned views', () => {
    const r = mulberry32(3);
    for (const shape of [[1, 1], [3, 5], [7, 13], [4, 64], [2, 3, 9], [17]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const masks = [
        new Uint8Array(n),
        new Uint8Array(n).fill(1),
        Uint8Array.from({ length: n }, (_, i) => (i === n >> 1 ? 1 : 0)),
        Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0)),
      ];
      for (const m of masks) {
        assert.deepEqual(runsToMask(maskRuns(m, shape)), m, `${shape}`);
        // The same bytes one byte into a buffer (no 32-bit view): the same runs.
        const shifted = new Uint8Array(n + 1);
        shifted.set(m, 1);
        assert.deepEqual(runsToMask(maskRuns(shifted.subarray(1), shape)), m, `${shape} unaligned`);
        assert.equal(runPixels(maskRuns(m, shape)), sum(m));
      }
    }
  });

  it('marks exactly the transform’s band: 1-D, 2-D, 3-D, anisotropic spacing, widths on the grid and between it', () => {
    const cases: [number[], number[], number][] = [
      [[40], [1], 2],
      [[60, 70], [1, 1], 2],
      [[60, 70], [1, 1], Math.SQRT2],
      [[80, 50], [0.6, 1.7], 3.1],
      [[90, 90], [1, 1], 5 + 1e-9],
      [[33, 47], [1, 1], 0.5],
      [[14, 20, 18], [1, 1, 1], 2.2],
      [[12, 16, 20], [2.5, 0.9, 1.2], 3],
      [[3, 3], [1, 1], 1],
      [[3, 3, 3], [1, 1, 1], 1],
    ];
    let ran = 0;
    for (const [shape, spacing, width] of cases) {
      const limit = width * width;
      for (let seed = 1; seed <= 6; seed++) {
        const mask = framedMask(shape, seed * 7 + shape.length, seed % 2 ? 0.35 : 0.1);
        // A crop of one pixel in the middle, too.
        if (seed === 6) mask.fill(0).fill(1, mask.length >> 1, (mask.length >> 1) + 1);
        const got = bandRuns(maskRuns(mask, shape), shape, spacing, limit);
        if (!got) continue;
        ran++;
        const want = viaEdt(mask, shape, spacing, limit);
        assert.deepEqual(runsToMask(got), want, `${shape} ${spacing} w=${width} seed ${seed}`);
        assert.equal(runPixels(got), sum(want));
      }
    }
    assert.ok(ran >= 50, `${ran} cases on runs`);
  });

  it('stays bounded and exact on extreme anisotropic spacing; declines (null) a ball too tall for runs', () => {
    const shape = [40, 40];
    const mask = framedMask(shape, 11);
    for (const spacing of [
      [1e-9, 1e9],
      [1e9, 1e-9],
      [0.001, 1000],
    ]) {
      for (const width of [1e-9, 1, 1e9]) {
        const limit = width * width;
        const got = bandRuns(maskRuns(mask, shape), shape, spacing, limit);
        if (got)
          assert.deepEqual(runsToMask(got), viaEdt(mask, shape, spacing, limit), `${spacing} w=${width}`);
      }
    }
    const big = [64, 64, 64];
    assert.equal(bandRuns(maskRuns(framedMask(big, 2), big), big, [1, 1, 1], 30 * 30), null);
  });

  it('surfaceRuns marks surfaceOf’s pixels; coordinates and distances come out in C order', () => {
    const shapes = [[12], [3, 3], [9, 14], [31, 40], [5, 6, 7], [10, 12, 9], [3, 3, 3]];
    for (const shape of shapes) {
      for (let seed = 1; seed <= 5; seed++) {
        const mask = framedMask(shape, seed * 13 + shape.length, seed % 2 ? 0.4 : 0.1);
        if (seed === 5) mask.fill(0).fill(1, mask.length >> 1, (mask.length >> 1) + 1);
        const want = surfaceOf(mask, shape);
        const runs = surfaceRuns(maskRuns(mask, shape), shape);
        assert.deepEqual(runsToMask(runs), want, `${shape} seed ${seed}`);
        const n = runPixels(runs);
        assert.equal(n, sum(want));
        // By the definition: every set pixel in C order, its coordinates axis-major, its value read from a map.
        const coords = runCoordinates(runs, shape, n);
        const sq = Float64Array.from({ length: mask.length }, (_, i) => (i * 7) % 23);
        const dist = distancesAtRuns(sq, runs, n);
        let k = 0;
        for (let i = 0; i < mask.length; i++) {
          if (!want[i]) continue;
          let rest = i;
          for (let a = shape.length - 1; a >= 0; a--) {
            assert.equal(coords[a * n + k], rest % shape[a]);
            rest = Math.floor(rest / shape[a]);
          }
          assert.equal(dist[k], Math.sqrt(sq[i]));
          k++;
        }
      }
    }
  });

  it('sharedPixels counts the pixels of both run sets; boundary IoU equals the IoU of the transform’s bands', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const shape = seed % 3 ? [30 + seed, 41] : [9, 12, 15];
      const spacing = seed % 2 ? shape.map(() => 1) : shape.map((_, a) => 0.7 + 0.3 * a);
      const gt = framedMask(shape, seed);
      const pred = seed === 5 ? new Uint8Array(gt.length) : framedMask(shape, seed + 100);
      assert.equal(
        sharedPixels(maskRuns(gt, shape), maskRuns(pred, shape)),
        sum(gt.map((v, i) => v & pred[i])),
      );
      const width = 1 + (seed % 4) * 0.8;
      const limit = (width + 1e-9) * (width + 1e-9);
      const bg = viaEdt(gt, shape, spacing, limit);
      const bp = viaEdt(pred, shape, spacing, limit);
      const inter = sum(bg.map((v, i) => v & bp[i]));
      const union = sum(bg.map((v, i) => v | bp[i]));
      const crop = { shape, origin: shape.map(() => -1), gt, pred };
      assert.equal(
        boundaryIouOfCrop(crop, spacing, width, 'best'),
        union ? inter / union : 1,
        `seed ${seed}`,
      );
    }
  });
});
