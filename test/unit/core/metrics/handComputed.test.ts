/**
 * Hand-computed ASCII-art cases (values worked out on paper in the comments) and the empty-case table of
 * docs/specs/metrics.md §8.1 under both policies.
 */
import * as assert from 'node:assert/strict';
import { computeImageMetrics } from '../../../../src/core/metrics/imageMetrics';
import { surfaceMetrics } from '../../../../src/core/metrics/surface';
import { aggregateDataset } from '../../../../src/core/metrics/aggregate';
import { aggregationDataOf, withAggregationData } from '../../../../src/core/metrics/aggregationData';
import { LabelMap } from '../../../../src/core/types';
import { InputError } from '../../../../src/core/errors';
import { parseMask } from './reference';

const map = (rows: string[]): LabelMap => parseMask(rows);

describe('metrics: hand-computed 4×6 example', () => {
  // GT: a 2×4 block (8 px); pred: a 3×3 block (9 px) shifted right and down.
  // TP 6, FP 3, FN 2, TN 13 (N = 24).
  const gt = map(['......', '.1111.', '.1111.', '......']);
  const pred = map(['......', '..111.', '..111.', '..111.']);
  const m = computeImageMetrics(gt, pred);
  const c = m.perClass['1'];

  it('counts and overlap metrics', () => {
    assert.deepEqual(c.counts, { tp: 6, fp: 3, fn: 2, tn: 13 });
    assert.equal(c.overlap.dice, 12 / 17);
    assert.equal(c.overlap.iou, 6 / 11);
    assert.equal(c.overlap.precision, 6 / 9);
    assert.equal(c.overlap.recall, 6 / 8);
    assert.equal(c.overlap.specificity, 13 / 16);
    assert.equal(c.overlap.accuracy, 19 / 24);
    assert.equal(c.overlap.balancedAccuracy, (6 / 8 + 13 / 16) / 2);
    // F2 = 5·6 / (5·6 + 4·2 + 3) and F0.5 = 1.25·6 / (1.25·6 + 0.25·2 + 3).
    assert.equal(c.overlap.fBeta['2'], 30 / 41);
    assert.equal(c.overlap.fBeta['0.5'], 7.5 / 11);
    assert.equal(m.pixelAccuracy, 19 / 24);
  });

  it('surface metrics', () => {
    // Every GT pixel is a surface pixel (8); the pred block's centre is not (8 of 9).
    // D_GP = [1,0,0,0, 1,0,1,0], D_PG = [0,0,0,0,0, 1,1,1].
    assert.equal(c.surface.nGtSurface, 8);
    assert.equal(c.surface.nPredSurface, 8);
    assert.equal(c.surface.hd, 1);
    assert.equal(c.surface.hd95, 1);
    assert.equal(c.surface.assd, 6 / 16);
    assert.equal(c.surface.meanDistGtToPred, 3 / 8);
    assert.equal(c.surface.meanDistPredToGt, 3 / 8);
    assert.equal(c.surface.nsd, 1);
  });

  it('objects: one pair with IoU 6/11 > 0.5 matches', () => {
    const o = c.objects['8'];
    assert.equal(o.tp, 1);
    assert.equal(o.gtObjects[0].iou, 6 / 11);
    assert.equal(o.gtObjects[0].dice, 12 / 17);
    assert.deepEqual(o.gtObjects[0].bbox, { min: [1, 1], max: [2, 4] });
    assert.deepEqual(o.predObjects[0].bbox, { min: [1, 2], max: [3, 4] });
  });

  it('swapping GT and prediction swaps precision/recall and keeps symmetric metrics', () => {
    const s = computeImageMetrics(pred, gt).perClass['1'];
    assert.equal(s.overlap.precision, c.overlap.recall);
    assert.equal(s.overlap.recall, c.overlap.precision);
    assert.equal(s.overlap.dice, c.overlap.dice);
    assert.equal(s.surface.hd, c.surface.hd);
    assert.equal(s.surface.assd, c.surface.assd);
    assert.equal(s.surface.meanDistGtToPred, c.surface.meanDistPredToGt);
  });
});

describe('metrics: objects, connectivity and the 0.5 edge', () => {
  it('diagonal neighbours are one object at 8 and two at 4', () => {
    const gt = map(['1...', '.1..', '..11', '....']);
    const m = computeImageMetrics(gt, gt).perClass['1'].objects;
    assert.equal(m['8'].nGt, 1);
    assert.equal(m['4'].nGt, 3);
    // Ids follow the first pixel in row-major order.
    assert.deepEqual(
      m['4'].gtObjects.map((o) => [o.id, o.size, o.bbox.min]),
      [
        [1, 1, [0, 0]],
        [2, 1, [1, 1]],
        [3, 2, [2, 2]],
      ],
    );
  });
  it('an IoU of exactly 0.5 does not match; a missed 2-px object lands in bin "1-9"', () => {
    // GT object: 4 px; predicted: 2 of them → IoU = 2/4 = 0.5.
    const gt = map(['11..', '11..', '....']);
    const pred = map(['11..', '....', '....']);
    const o = computeImageMetrics(gt, pred).perClass['1'].objects['8'];
    assert.equal(o.tp, 0);
    assert.equal(o.gtObjects[0].maxIou, 0.5);
    assert.equal(o.gtObjects[0].matchedPred, null);
    assert.equal(o.missedBySize['1-9'], 1);
    assert.equal(o.spuriousBySize['1-9'], 1);
    assert.equal(o.f1, 0);
  });
});

describe('metrics: empty-case table (spec §8.1)', () => {
  const empty = map(['....', '....', '....', '....']);
  const blob = map(['....', '.11.', '.11.', '....']);
  const cases = {
    both: [empty, empty],
    gtOnlyEmpty: [empty, blob],
    predOnlyEmpty: [blob, empty],
  } as const;

  it('default policy "best"', () => {
    const b = computeImageMetrics(...cases.both).perClass['1'];
    assert.equal(b.emptyCase, 'both_empty');
    for (const k of [
      'dice',
      'iou',
      'precision',
      'recall',
      'specificity',
      'accuracy',
      'balancedAccuracy',
    ] as const) {
      assert.equal(b.overlap[k], 1, k);
    }
    assert.equal(b.surface.hd, 0);
    assert.equal(b.surface.hd95, 0);
    assert.equal(b.surface.nsd, 1);
    assert.equal(b.surface.boundaryIou, 1);
    assert.deepEqual([b.objects['8'].precision, b.objects['8'].recall, b.objects['8'].f1], [1, 1, 1]);

    const g = computeImageMetrics(...cases.gtOnlyEmpty).perClass['1'];
    assert.equal(g.emptyCase, 'gt_empty_only');
    assert.equal(g.overlap.dice, 0);
    assert.equal(g.overlap.precision, 0);
    assert.ok(Number.isNaN(g.overlap.recall));
    assert.equal(g.overlap.specificity, 12 / 16);
    assert.equal(g.overlap.balancedAccuracy, 12 / 16);
    assert.equal(g.surface.hd, Infinity);
    assert.equal(g.surface.hd95, Infinity);
    assert.ok(Number.isNaN(g.surface.meanDistGtToPred));
    assert.equal(g.surface.meanDistPredToGt, Infinity);
    assert.equal(g.surface.nsd, 0);
    assert.equal(g.objects['8'].precision, 0);
    assert.ok(Number.isNaN(g.objects['8'].recall));

    const p = computeImageMetrics(...cases.predOnlyEmpty).perClass['1'];
    assert.equal(p.emptyCase, 'pred_empty_only');
    assert.ok(Number.isNaN(p.overlap.precision));
    assert.equal(p.overlap.recall, 0);
    assert.equal(p.overlap.specificity, 1);
    assert.equal(p.overlap.balancedAccuracy, 0.5);
    assert.equal(p.surface.assd, Infinity);
    assert.ok(Number.isNaN(p.surface.meanDistPredToGt));
    assert.equal(p.surface.boundaryIou, 0);
  });

  it('policy "nan" turns exactly the both-empty policy values into NaN', () => {
    const b = computeImageMetrics(...cases.both, { config: { bothEmpty: 'nan' } }).perClass['1'];
    for (const k of ['dice', 'iou', 'precision', 'recall'] as const) assert.ok(Number.isNaN(b.overlap[k]), k);
    // Specificity and accuracy have non-zero denominators here: they stay 1.
    assert.equal(b.overlap.specificity, 1);
    assert.equal(b.overlap.accuracy, 1);
    assert.ok(Number.isNaN(b.surface.hd));
    assert.ok(Number.isNaN(b.surface.nsd));
    assert.ok(Number.isNaN(b.objects['8'].f1));
    const g = computeImageMetrics(...cases.gtOnlyEmpty, { config: { bothEmpty: 'nan' } }).perClass['1'];
    assert.equal(g.overlap.dice, 0);
    assert.equal(g.surface.hd, Infinity);
  });

  it('dataset means count skipped and both-empty values (spec §7.2)', () => {
    const imgs = [cases.both, cases.gtOnlyEmpty, cases.predOnlyEmpty].map(([a, b]) =>
      computeImageMetrics(a, b),
    );
    const d = aggregateDataset(imgs).perClass['1'];
    // Dice values 1, 0, 0 → mean 1/3 with one both-empty value included.
    assert.deepEqual(d.imageMean.dice, {
      value: 1 / 3,
      n: 3,
      skippedUndefined: 0,
      skippedInfinite: 0,
      bothEmptyIncluded: 1,
    });
    // HD: 0, +∞, +∞ → value 0 (n = 1), two infinite skipped; as-diagonal mean = (0 + 2·√32) / 3.
    assert.equal(d.surfaceImageMean.hd.value, 0);
    assert.equal(d.surfaceImageMean.hd.skippedInfinite, 2);
    assert.equal(d.surfaceImageMean.hd.valueInfAsDiagonal, (2 * Math.sqrt(32)) / 3);
    // Precision: 1, 0, NaN → 0.5 with one undefined skipped.
    assert.equal(d.imageMean.precision.value, 0.5);
    assert.equal(d.imageMean.precision.skippedUndefined, 1);
    assert.deepEqual(d.pooledCounts, { tp: 0, fp: 4, fn: 4, tn: 40 });
  });
});

describe('metrics: input validation', () => {
  const a = map(['.1', '1.']);
  it('refuses a shape mismatch, labels ≥ numClasses, bad probabilities and bad spacing, naming the input', () => {
    assert.throws(() => computeImageMetrics(a, map(['.1.', '1..'])), /prediction: shape/);
    assert.throws(
      () => computeImageMetrics(a, map(['.3', '1.']), { sources: { pred: 'p.png' } }),
      (e: unknown) => e instanceof InputError && /p\.png: label 3/.test(e.message),
    );
    const prob = { data: new Float32Array([0, 0.5, 1.5, 0]), shape: [1, 2, 2] };
    assert.throws(() => computeImageMetrics(a, a, { prob }), /probability 1\.5/);
    const nan = { data: new Float32Array([0, NaN, 0, 0]), shape: [1, 2, 2] };
    assert.throws(() => computeImageMetrics(a, a, { prob: nan }), /probability NaN/);
    const threeChannels = { data: new Float32Array(12), shape: [3, 2, 2] };
    assert.throws(() => computeImageMetrics(a, a, { prob: threeChannels }), /3 channels/);
    assert.throws(() => computeImageMetrics(a, a, { spacing: [1, 0] }), /spacing/);
    assert.throws(() => computeImageMetrics(a, a, { config: { connectivity: 5 } }), /connectivity/);
    assert.throws(() => computeImageMetrics(a, a, { config: { nope: 1 } as never }), /nope/);
  });
});

describe('metrics: ignore label (GT pixels that leave the image)', () => {
  // 3×4 image; the GT marks two pixels "255" (don't care). The prediction there is irrelevant, even out of range.
  const gt: LabelMap = { ...parseMask(['11..', '11..', '....']), ignoreIndex: 255 };
  gt.data[3] = 255;
  gt.data[7] = 255;
  const pred = parseMask(['1...', '11.1', '...1']);
  pred.data[3] = 7;

  it('removes ignored pixels from every count, pixel accuracy, calibration and the sweep', () => {
    const prob = { data: new Float32Array(12).fill(0.25), shape: [1, 3, 4] };
    prob.data[3] = 1; // an ignored pixel: must not reach the calibration bins
    const m = computeImageMetrics(gt, pred, { prob });
    const c = m.perClass['1'];
    // Remaining 10 pixels: GT 4 px, pred 3 of them + (2,3) → TP 3, FP 1, FN 1, TN 5.
    assert.deepEqual(c.counts, { tp: 3, fp: 1, fn: 1, tn: 5 });
    assert.equal(m.ignoredPixels, 2);
    assert.equal(m.pixelAccuracy, 8 / 10);
    assert.equal(m.calibration?.perClass['1'].n, 10);
    // Brier over the 10 valid pixels: 4 GT pixels at (0.25 − 1)², 6 others at 0.25².
    assert.equal(m.calibration?.perClass['1'].brier, (4 * 0.5625 + 6 * 0.0625) / 10);
    const d = aggregateDataset([m]);
    assert.equal(d.pixelAccuracy.pooled, 0.8);
  });

  it('a config ignoreIndex of null turns the ignore label into an error again', () => {
    assert.throws(
      () => computeImageMetrics(gt, pred, { config: { ignoreIndex: null } }),
      /label 255 at pixel 3/,
    );
    assert.throws(() => computeImageMetrics(gt, pred, { config: { ignoreIndex: 1 } }), /ignoreIndex/);
  });

  it('without ignored pixels the result has no ignoredPixels key', () => {
    assert.equal('ignoredPixels' in computeImageMetrics(pred, pred, { config: { numClasses: 8 } }), false);
  });
});

describe('metrics: aggregation data across a structured clone (worker hand-off)', () => {
  it('aggregates identically after re-attaching the data that structuredClone drops', () => {
    const gt = map(['.11.', '.11.', '....']);
    const pred = map(['..11', '..11', '....']);
    const prob = {
      data: new Float32Array([0, 0.2, 0.9, 0.7, 0, 0.6, 0.8, 0.4, 0, 0, 0.1, 0]),
      shape: [1, 3, 4],
    };
    const m = computeImageMetrics(gt, pred, { prob });
    const cloned = structuredClone(m);
    assert.equal(aggregationDataOf(cloned), undefined);
    assert.throws(() => aggregateDataset([cloned]), /aggregation data/);
    const data = structuredClone(aggregationDataOf(m));
    assert.ok(data);
    const back = withAggregationData(cloned, data);
    assert.deepEqual(JSON.stringify(aggregateDataset([back])), JSON.stringify(aggregateDataset([m])));
  });
});

describe('metrics: surface options', () => {
  it('boundaryIou: false skips the band transforms and reports NaN, leaving the distances unchanged', () => {
    const gt = map(['......', '.1111.', '.1111.', '......']);
    const pred = map(['......', '..111.', '..111.', '..111.']);
    const opt = { spacing: [1, 1], hdPercentile: 95, nsdTolerance: 1, boundaryIouDilationRatio: 0.02 };
    const full = surfaceMetrics(gt.data, pred.data, gt.shape, 1, { ...opt, bothEmpty: 'best' });
    const fast = surfaceMetrics(gt.data, pred.data, gt.shape, 1, {
      ...opt,
      bothEmpty: 'best',
      boundaryIou: false,
    });
    assert.ok(Number.isNaN(fast.boundaryIou));
    assert.ok(full.boundaryIou > 0);
    assert.deepEqual({ ...fast, boundaryIou: 0 }, { ...full, boundaryIou: 0 });
  });
});
