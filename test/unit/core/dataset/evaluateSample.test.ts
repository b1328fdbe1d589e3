/**
 * evaluateSample's per-row confusion matrix: taken from the metrics' own pixel-count pass when it formed one, it
 * must equal a direct count (confusionCounts, kept as the oracle) with and without ignored pixels, for binary and
 * multi-class maps, and for every decoder of the sample.
 */
import * as assert from 'node:assert/strict';
import { decodeToLabels, evaluateSample } from '../../../../src/core/dataset/evaluateSample';
import { confusionCounts } from '../../../../src/core/dataset/summary';
import { DECODER_NAMES } from '../../../../src/core/decoders/registry';
import { resolveMetricsConfig } from '../../../../src/core/metrics/config';
import { computeImageMetrics } from '../../../../src/core/metrics/imageMetrics';
import { validateMetricInputs } from '../../../../src/core/metrics/validate';
import type { LabelMap, ProbMap } from '../../../../src/core/types';

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A softmax map of C classes and a GT that mostly agrees with it; `ignoreEvery` puts 255 on some GT pixels. */
function sample(
  C: number,
  H: number,
  W: number,
  seed: number,
  ignoreEvery = 0,
): { gt: LabelMap; prob: ProbMap } {
  const r = rng(seed);
  const n = H * W;
  const data = new Float32Array(C * n);
  const gt = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const w: number[] = [];
    for (let c = 0; c < C; c++) {
      const v = r() ** 3;
      w.push(v);
      sum += v;
    }
    let best = 0;
    for (let c = 0; c < C; c++) {
      data[c * n + i] = w[c] / sum;
      if (w[c] > w[best]) best = c;
    }
    gt[i] = r() < 0.8 ? best : Math.floor(r() * C);
    if (ignoreEvery && i % ignoreEvery === 3) gt[i] = 255;
  }
  return { gt: { data: gt, shape: [H, W], ignoreIndex: 255 }, prob: { data, shape: [C, H, W] } };
}

describe('core/dataset: evaluateSample confusion rows', () => {
  for (const [C, ignoreEvery] of [
    [2, 0],
    [2, 7],
    [4, 0],
    [4, 5],
  ] as const) {
    it(`equals a direct count for ${C} classes${ignoreEvery ? ' with ignored GT pixels' : ''}`, () => {
      const { gt, prob } = sample(C, 23, 31, 17 + C + ignoreEvery, ignoreEvery);
      const config = resolveMetricsConfig({ numClasses: C });
      const rows = evaluateSample(gt, prob, {
        id: 's',
        model: 'm',
        decoders: ['argmax', 'threshold'],
        config,
        files: { gt: 'gt.png', prob: 'p.npy' },
        labelErrors: false,
      });
      assert.equal(rows.length, 2);
      for (const row of rows) {
        assert.ok(row.image && row.confusion, `${row.decoder}: evaluated`);
        const labels = decodeToLabels(prob, row.decoder, config).labels.data;
        const want = confusionCounts(gt.data, labels, C, 255);
        assert.deepEqual(row.confusion, want, row.decoder);
        // The ignored pixels are out of every cell.
        const total = (row.confusion as number[]).reduce((s, v) => s + v, 0);
        assert.equal(total, gt.data.filter((v) => v !== 255).length);
      }
    });
  }

  // evaluateSample tells the metrics that a decoder's labels need no range check (predInRange): every decoder, on
  // binary, softmax and foreground-only maps, must keep that promise.
  it('every decoder gives labels in [0, numClasses) on binary, softmax and foreground-only maps', () => {
    const maps: { C: number; K: number; map: ReturnType<typeof sample>['prob'] }[] = [
      { C: 1, K: 2, map: { data: sample(2, 9, 11, 3).prob.data.subarray(0, 99), shape: [1, 9, 11] } },
      { C: 4, K: 4, map: sample(4, 9, 11, 5).prob },
      { C: 3, K: 4, map: { data: sample(3, 9, 11, 7).prob.data, shape: [3, 9, 11] } },
    ];
    for (const { C, K, map } of maps) {
      for (const backgroundIndex of C === K - 1 && K > 2 ? [0, 2] : [0]) {
        const config = resolveMetricsConfig({ numClasses: K, backgroundIndex });
        for (const decoder of DECODER_NAMES) {
          let labels;
          try {
            labels = decodeToLabels(map, decoder, config).labels.data;
          } catch {
            continue; // a decoder that refuses this layout makes no labels at all
          }
          for (const v of labels) assert.ok(v >= 0 && v < K, `${decoder} on C=${C}, K=${K}: label ${v}`);
        }
      }
    }
  });

  it('predInRange skips only the range pass of the prediction: its shape is still checked', () => {
    const config = resolveMetricsConfig({ numClasses: 2 });
    const gt = { data: new Uint8Array(4), shape: [2, 2] };
    const out = { data: Uint8Array.from([0, 1, 7, 0]), shape: [2, 2] };
    assert.throws(() => validateMetricInputs(gt, out, undefined, [1, 1], config), /label 7/);
    assert.doesNotThrow(() =>
      validateMetricInputs(gt, out, undefined, [1, 1], config, {}, undefined, false, true),
    );
    const short = { data: new Uint8Array(3), shape: [2, 2] };
    assert.throws(
      () => validateMetricInputs(gt, short, undefined, [1, 1], config, {}, undefined, false, true),
      /3 values for shape \[2, 2\]/,
    );
  });

  // Every decoder of a sample shares the GT's work (boxes, crops, the ignored-pixel count): each row's IMAGE object
  // must equal the metrics computed for that decoder alone.
  it('each row equals the metrics of its decoder computed alone, with ignored GT pixels too', () => {
    for (const ignoreEvery of [0, 6]) {
      const { gt, prob } = sample(3, 19, 27, 40 + ignoreEvery, ignoreEvery);
      const config = resolveMetricsConfig({ numClasses: 3 });
      const decoders = ['argmax', 'threshold', 'rankdice'] as const;
      const rows = evaluateSample(gt, prob, {
        id: 's',
        model: 'm',
        decoders: [...decoders],
        config,
        files: { gt: 'gt.png', prob: 'p.npy' },
        labelErrors: false,
      });
      rows.forEach((row, i) => {
        const labels = decodeToLabels(prob, decoders[i], config).labels;
        const alone = computeImageMetrics(gt, labels, { config, ...(i === 0 ? { prob } : {}) });
        const strip = (m: unknown): unknown =>
          JSON.parse(
            JSON.stringify(m, (_k, v: unknown) =>
              typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
            ),
          );
        const got = strip(row.image) as { calibration?: unknown };
        const want = strip(alone) as { calibration?: unknown };
        // Calibration is computed with the first decoder and shared by the others.
        if (i > 0) delete got.calibration;
        assert.deepEqual(got, want, `${decoders[i]}, ignore every ${ignoreEvery}`);
        if (ignoreEvery) assert.ok((row.image as { ignoredPixels?: number }).ignoredPixels);
      });
    }
  });
});
