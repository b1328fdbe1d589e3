import * as assert from 'node:assert/strict';
import { datasetSummary } from '../../../../src/core/dataset/summary';
import { aggregateDataset, computeImageMetrics, resolveMetricsConfig } from '../../../../src/core/metrics';

describe('core/dataset/summary: the sentence follows the one macro definition', () => {
  it('names the images with nothing on either side as the free 1s behind a per-image mean above pooled Dice', () => {
    const config = resolveMetricsConfig({ numClasses: 2 });
    const shape = [10, 10];
    const empty = new Uint8Array(100);
    // Image B: a 40-pixel structure of which the prediction finds 20 (Dice 2·20 / (40 + 20) = 0.667).
    const gt = new Uint8Array(100);
    const pred = new Uint8Array(100);
    for (let i = 0; i < 40; i++) gt[i] = 1;
    for (let i = 0; i < 20; i++) pred[i] = 1;
    const a = computeImageMetrics({ data: empty, shape }, { data: empty, shape }, { config });
    const b = computeImageMetrics({ data: gt, shape }, { data: pred, shape }, { config });
    assert.deepEqual(a.macroPresentClasses.classes, []);
    const rows = [a, b].map((image) => ({ image, meanDice: image.macroPresentClasses.metrics.dice.value }));
    assert.equal(rows[0]!.meanDice, 1);
    const s = datasetSummary(rows, aggregateDataset([a, b], config));
    assert.ok(Math.abs(s.imageDice.mean - (1 + 2 / 3) / 2) < 1e-12);
    assert.ok(Math.abs(s.pooledDice - 2 / 3) < 1e-12);
    assert.match(
      s.explanation,
      /1 image with nothing to find on either side counts as 1, and every image weighs/,
    );
  });
});
