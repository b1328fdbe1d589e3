/**
 * The dataset summary and the class confusion matrix against NumPy: mean, sample sd, median of per-image Dice,
 * pooled (micro) Dice and pixel accuracy from the raw label maps, and the GT × prediction pixel counts
 * (numpy.bincount), summed over the rows.
 */
import * as assert from 'node:assert/strict';
import {
  confusionCounts,
  datasetSummary,
  summarizeValues,
  sumConfusion,
} from '../../../../src/core/dataset/summary';
import { mulberry32 } from '../../../../src/core/dataset/stats';
import { aggregateDataset, computeImageMetrics, resolveMetricsConfig } from '../../../../src/core/metrics';
import { pythonAvailable, runPython } from './python';

describe('core/dataset/summary against NumPy', function () {
  this.timeout(60_000);
  before(function () {
    if (!pythonAvailable(['numpy'])) {
      console.warn('    skipped: /usr/bin/python3 with numpy is needed (apt install python3-numpy)');
      this.skip();
    }
  });

  it('mean ± sd, median, pooled Dice, pixel accuracy and the confusion matrix', () => {
    const r = mulberry32(17);
    const K = 4;
    const config = resolveMetricsConfig({ numClasses: K });
    const maps: { gt: number[]; pred: number[] }[] = [];
    const rows = [];
    const images = [];
    for (let k = 0; k < 9; k++) {
      const n = 15 * 11;
      const gt = Uint8Array.from({ length: n }, () => (r() < 0.6 ? 0 : 1 + Math.floor(r() * (K - 1))));
      if (k === 4) gt.fill(0);
      const pred = Uint8Array.from(gt, (g) => (r() < 0.25 ? Math.floor(r() * K) : g));
      const m = computeImageMetrics(
        { data: gt, shape: [15, 11] },
        { data: pred, shape: [15, 11] },
        { config },
      );
      images.push(m);
      const dice = [1, 2, 3].map((c) => m.perClass[String(c)].overlap.dice);
      rows.push({
        meanDice: dice.reduce((s, v) => s + v, 0) / 3,
        confusion: confusionCounts(gt, pred, K, undefined),
      });
      maps.push({ gt: Array.from(gt), pred: Array.from(pred) });
    }
    const summary = datasetSummary(rows, aggregateDataset(images, config));
    const ref = runPython<{
      mean: number;
      sd: number;
      median: number;
      pooled: number;
      acc: number;
      conf: number[][];
      fg: number;
    }>(
      `
import json, sys, numpy as np
d = json.load(sys.stdin); K = d['K']
per = []
conf = np.zeros((K, K), int); tp = fp = fn = 0; correct = total = 0; fg = 0
for m in d['maps']:
    g = np.array(m['gt']); p = np.array(m['pred'])
    conf += np.bincount(g * K + p, minlength=K * K).reshape(K, K)
    dice = []
    for c in range(1, K):
        a, b = g == c, p == c
        s = a.sum() + b.sum()
        dice.append(1.0 if s == 0 else 2.0 * (a & b).sum() / s)
        tp += (a & b).sum(); fp += (~a & b).sum(); fn += (a & ~b).sum(); fg += a.sum()
    per.append(np.mean(dice)); correct += (g == p).sum(); total += g.size
per = np.array(per)
print(json.dumps({'mean': float(per.mean()), 'sd': float(per.std(ddof=1)), 'median': float(np.median(per)),
  'pooled': float(2 * tp / (2 * tp + fp + fn)), 'acc': float(correct / total), 'conf': conf.tolist(), 'fg': float(fg / total)}))
`,
      { K, maps },
    );
    const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12, `${a} vs ${b}`);
    near(summary.imageDice.mean, ref.mean);
    near(summary.imageDice.sd, ref.sd);
    near(summary.imageDice.median, ref.median);
    near(summary.pooledDice, ref.pooled);
    near(summary.pixelAccuracy, ref.acc);
    near(summary.foregroundFraction, ref.fg);
    assert.deepEqual(sumConfusion(rows), ref.conf);
    assert.match(summary.explanation, /Pooled Dice|per-image mean/);
  });

  it('summarizeValues leaves NaN out and has no sd for one value', () => {
    assert.deepEqual(summarizeValues([NaN, 2]), { n: 1, mean: 2, sd: NaN, median: 2, min: 2, max: 2 });
    assert.equal(summarizeValues([4, 1, 3, 2]).median, 2.5);
    assert.equal(confusionCounts([0, 255, 1], [1, 1, 1], 2, 255)?.join(), '0,1,0,1');
    assert.equal(confusionCounts([0], [0], 65, undefined), undefined);
  });
});
