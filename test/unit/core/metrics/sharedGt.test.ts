import assert from 'node:assert/strict';
import { computeImageMetrics } from '../../../../src/core/metrics/imageMetrics';
import { SharedGtWork, unionClassBoxes } from '../../../../src/core/metrics/sharedGt';
import { aggregationDataOf } from '../../../../src/core/metrics/aggregationData';
import { mulberry32 } from '../../../../src/core/dataset/stats';
import type { LabelMap } from '../../../../src/core/types';

/** Blobs of classes 1..K−1 on background 0, with per-map jitter so predictions differ from the GT and each other. */
function blobs(H: number, W: number, K: number, seed: number, jitter: number): Uint8Array {
  const r = mulberry32(seed);
  const out = new Uint8Array(H * W);
  const rj = mulberry32(seed * 31 + jitter);
  for (let b = 0; b < 4; b++) {
    const c = 1 + (b % (K - 1));
    const cy = r() * H + (rj() - 0.5) * jitter;
    const cx = r() * W + (rj() - 0.5) * jitter;
    const rad = 2 + r() * (H / 4) + (rj() - 0.5) * jitter;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) if ((y - cy) ** 2 + (x - cx) ** 2 <= rad * rad) out[y * W + x] = c;
  }
  // Speckle: small far-away components, so a prediction's box can leave the GT's.
  for (let k = 0; k < jitter; k++) out[Math.floor(rj() * H * W)] = 1 + Math.floor(rj() * (K - 1));
  return out;
}

describe('metrics: GT work shared across predictions (sharedGt.ts)', () => {
  it('every number equals an unshared computation, in order, with ignore pixels and spacing (40 images × 3 predictions)', () => {
    let reused = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const H = 20 + (seed % 7) * 5;
      const W = 18 + (seed % 5) * 6;
      const K = 2 + (seed % 3);
      const gtData = blobs(H, W, K, seed, 0);
      if (seed % 4 === 0) for (let i = 0; i < W; i++) gtData[i] = 255; // an ignored first row
      const gt: LabelMap = { data: gtData, shape: [H, W] };
      const preds: LabelMap[] = [3, 6, 9].map((j) => ({ data: blobs(H, W, K, seed, j), shape: [H, W] }));
      const config = { numClasses: K, ignoreIndex: seed % 4 === 0 ? 255 : null };
      const spacing = seed % 2 ? [1, 1] : [0.7, 1.3];
      // Boxes from only the first two predictions: the third may fall outside and must be scored on its own box.
      // Their own boxes are remembered (as the dataset mode does), the third's are found by computeImageMetrics.
      const own: [LabelMap['data'], ReturnType<typeof unionClassBoxes>][] = [];
      const shared = new SharedGtWork(
        unionClassBoxes(
          gt.data,
          preds.slice(0, 2).map((p) => p.data),
          gt.shape,
          K,
          (p, b) => own.push([p, b]),
        ),
      );
      for (const [p, b] of own) shared.rememberBoxes(p, b);
      for (const pred of preds) {
        const alone = computeImageMetrics(gt, pred, { config, spacing });
        const withShared = computeImageMetrics(gt, pred, { config, spacing, shared });
        assert.deepEqual(withShared, alone, `seed ${seed}`);
        // The aggregation data (not enumerable) carries the sums the dataset view adds up: equal too.
        assert.deepEqual(aggregationDataOf(withShared), aggregationDataOf(alone), `seed ${seed} sums`);
      }
      for (let c = 0; c < K; c++) if (shared.classWork(c).components.size > 0) reused++;
    }
    // The comparison above is only worth something if the shared path ran.
    assert.ok(reused > 40, `GT work was shared for ${reused} classes`);
  });

  it('a prediction without the class keeps the "class in neither map" result even where the shared box has one', () => {
    const gt: LabelMap = { data: new Uint8Array(16), shape: [4, 4] };
    const p1: LabelMap = { data: new Uint8Array(16), shape: [4, 4] };
    p1.data[5] = 1;
    const p2: LabelMap = { data: new Uint8Array(16), shape: [4, 4] };
    const shared = new SharedGtWork(unionClassBoxes(gt.data, [p1.data, p2.data], [4, 4], 2));
    const config = { numClasses: 2 };
    assert.deepEqual(
      computeImageMetrics(gt, p2, { config, shared }),
      computeImageMetrics(gt, p2, { config }),
    );
    assert.deepEqual(
      computeImageMetrics(gt, p1, { config, shared }),
      computeImageMetrics(gt, p1, { config }),
    );
  });
});
