// One macro definition everywhere (docs/metrics.md, "Macro: one definition"): a hand-computed case where the two
// common definitions differ — a class absent from the ground truth that the prediction paints — gives the same
// macro in the metric table, the tuned threshold's sweep and the CLI, and the other value only where labelled.
import assert from 'node:assert/strict';
import { writeNpy } from '../../../../src/core/io/npy';
import { computeImageMetrics } from '../../../../src/core/metrics/imageMetrics';
import { macroDiceOfCounts, macroDiceOverGtClasses, macroSweepDice } from '../../../../src/core/metrics/mean';
import { resolveMetricsConfig } from '../../../../src/core/metrics/config';
import { describeImage } from '../../../../src/cli/commands/metrics';
import { analysisBase, loadAnalysisSample } from '../../../../src/node/analysis/analysisTasks';

// 4×5 image, 20 pixels. Ground truth: class 1 on pixels 0–4, class 2 nowhere.
const GT = new Uint8Array(20);
GT.fill(1, 0, 5);
// Prediction: class 1 on pixels 0–3 (TP 4, FN 1), class 2 on pixels 18–19 (FP 2, no GT at all).
const PRED = new Uint8Array(20);
PRED.fill(1, 0, 4);
PRED.fill(2, 18, 20);

describe('metrics: one macro definition', () => {
  it('hand-computed: class 1 Dice 8/9, class 2 (FP only) Dice 0 → macro 4/9; over GT classes 8/9', () => {
    const counts = [
      { tp: 4, fp: 0, fn: 1 },
      { tp: 0, fp: 2, fn: 0 },
    ];
    assert.equal(macroDiceOfCounts(counts).value, (8 / 9 + 0) / 2);
    assert.equal(macroDiceOfCounts(counts).nClasses, 2);
    assert.equal(macroDiceOverGtClasses(counts), 8 / 9);
    // A class empty on both sides is left out, never a free 1.
    assert.equal(macroDiceOfCounts([...counts, { tp: 0, fp: 0, fn: 0 }]).value, 4 / 9);
    // Nothing present at all: the both-empty policy value.
    assert.equal(macroDiceOfCounts([{ tp: 0, fp: 0, fn: 0 }]).value, 1);
    assert.ok(Number.isNaN(macroDiceOfCounts([{ tp: 0, fp: 0, fn: 0 }], 'nan').value));
  });

  it('the metric table (IMAGE macroPresentClasses) uses it, and the CLI shows the other only under its label', () => {
    const config = resolveMetricsConfig({ numClasses: 3 });
    const m = computeImageMetrics({ data: GT, shape: [4, 5] }, { data: PRED, shape: [4, 5] }, { config });
    assert.deepEqual(m.macroPresentClasses.classes, [1, 2]);
    assert.ok(Math.abs(m.macroPresentClasses.metrics.dice.value - 4 / 9) < 1e-12);
    const text = describeImage(m);
    assert.match(
      text,
      /macro over present classes \[1, 2\]: Dice 0\.4444 \(over the classes in the ground truth only: 0\.8889\)/,
    );
  });

  it('the tuned threshold maximises the same macro: the FP-only class pulls t above its probabilities', async () => {
    // Two sigmoid channels (class 1, class 2). Class 1: 0.95 on its 4 found pixels, 0.5 on the fifth GT pixel,
    // 0.3 on one background pixel. Class 2: 0.92 on pixels 18–19, where the ground truth is background.
    const p1 = new Float32Array(20);
    p1.fill(0.95, 0, 4);
    p1[4] = 0.5;
    p1[5] = 0.3;
    const p2 = new Float32Array(20);
    p2.fill(0.92, 18, 20);
    const prob = new Float32Array(40);
    prob.set(p1, 0);
    prob.set(p2, 20);
    const s = await loadAnalysisSample(
      {
        probBytes: writeNpy({ dtype: 'float32', shape: [2, 4, 5], data: prob }),
        probSource: 'p.npy',
        gtBytes: writeNpy({ dtype: 'uint8', shape: [4, 5], data: GT }),
        gtSource: 'gt.npy',
        maxPixels: 1e6,
      },
      { threshold: 0.5, solver: 'exact' },
    );
    const sweep = analysisBase(s).sweep!;
    const at = (t: number) => sweep.macro[Math.round(t * 100)];
    // t = 0.5: class 1 perfect (Dice 1), class 2 predicted on 2 FP pixels (Dice 0) → 0.5 (GT-only would say 1).
    assert.ok(Math.abs(at(0.5) - 0.5) < 1e-12);
    // t = 0.93: class 2 no longer predicted (absent, left out); class 1 Dice 8/9.
    assert.ok(Math.abs(at(0.93) - 8 / 9) < 1e-12);
    // The GT-only definition would tune t = 0.5 (Dice 1); the one definition tunes 0.93 (closest to 0.5 of the ties).
    assert.equal(sweep.best.threshold, 0.93);
    assert.ok(Math.abs(sweep.best.value - 8 / 9) < 1e-12);
    // The curve is the core's macroSweepDice: point by point the macro of that threshold's counts.
    assert.equal(sweep.macro.length, 101);
    assert.deepEqual(macroSweepDice([]), []);
  });
});
