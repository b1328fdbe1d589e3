// The worker tasks on the committed fixtures, against independent references: each decoder's label map against
// the core decoder run directly, its k against the label counts, its metrics against the error-map histogram,
// and the sweep's best threshold against the core's thresholdSweep.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from '../../../../src/core/decoders';
import { writeNpy } from '../../../../src/core/io/npy';
import { computeImageMetrics, thresholdSweep } from '../../../../src/core/metrics';
import { labelsToPng } from '../../../../src/core/viewmodel/exportFormats';
import { errorHistogram } from '../../../../src/core/viewmodel/errorMap';
import { ANALYSIS_DECODERS } from '../../../../src/core/viewmodel/analysisTypes';
import {
  analysisBase,
  analysisCurve,
  analysisDecode,
  loadAnalysisSample,
} from '../../../../src/node/analysis/analysisTasks';
import { repoPath } from '../../../support/repo';

const dir = repoPath('test/fixtures/analysis');
const read = (...p: string[]) => new Uint8Array(readFileSync(join(dir, ...p)));
const files = (name: string, gt = true) => ({
  probBytes: read('probs', `${name}.npy`),
  probSource: `probs/${name}.npy`,
  gtBytes: gt ? read('masks', `${name}.png`) : undefined,
  gtSource: gt ? `masks/${name}.png` : undefined,
  maxPixels: 1e6,
});
const settings = { threshold: 0.5, solver: 'exact' as const };

describe('analysis: worker tasks', () => {
  it('refuses logits and NaN with messages naming the file; converts logits only when asked', async () => {
    await assert.rejects(loadAnalysisSample(files('logits'), settings), /probs\/logits\.npy|logits/);
    await assert.rejects(loadAnalysisSample(files('nan'), settings), /NaN/);
    const s = await loadAnalysisSample(files('logits'), { ...settings, logits: 'sigmoid' });
    assert.ok(s.gt && s.prob.data.every((p) => p >= 0 && p <= 1));
  });

  it('a smaller map hides the ground truth until resizing is allowed', async () => {
    const s = await loadAnalysisSample(files('small'), settings);
    assert.equal(s.gt, undefined);
    assert.equal(s.needsResize, true);
    const r = await loadAnalysisSample(files('small'), { ...settings, resize: true });
    assert.deepEqual([r.width, r.height, r.gt?.shape.join()], [32, 24, '24,32']);
    // The panel says why the ground truth is not used, where the error map and the metrics would be.
    assert.equal(
      analysisBase(s).gtUnusable,
      'it is 32×24 and the probability map 16×12 (resize the map to compare them)',
    );
    assert.equal(analysisBase(r).gtUnusable, undefined);
  });

  it('a ground truth with more classes than a one-channel map covers is set aside, and the panel is told why', async () => {
    // Labels 0, 1, 2 (a 4×2 mask) against a binary map of the same size.
    const mask = new Uint8Array([0, 1, 2, 0, 1, 1, 0, 0]);
    const prob = writeNpy({ dtype: 'float32', data: new Float32Array(8).fill(0.7), shape: [2, 4] });
    const s = await loadAnalysisSample(
      {
        probBytes: prob,
        probSource: 'p.npy',
        gtBytes: labelsToPng(mask, 4, 2),
        gtSource: 'm.png',
        maxPixels: 1e6,
      },
      settings,
    );
    const base = analysisBase(s);
    assert.equal(base.hasGt, false);
    assert.equal(
      base.gtUnusable,
      'it has class 2, but the probability map covers classes 0…1 (one channel: foreground vs background)',
    );
    // With only labels 0 and 1 the same map uses it.
    const ok = await loadAnalysisSample(
      {
        probBytes: prob,
        probSource: 'p.npy',
        gtBytes: labelsToPng(new Uint8Array([0, 1, 1, 0, 1, 1, 0, 0]), 4, 2),
        gtSource: 'm.png',
        maxPixels: 1e6,
      },
      settings,
    );
    assert.deepEqual([analysisBase(ok).hasGt, analysisBase(ok).gtUnusable], [true, undefined]);
  });

  it('every decoder agrees with the core, its k with its mask, its metrics with the error map', async () => {
    const s = await loadAnalysisSample(files('logits'), { ...settings, logits: 'sigmoid' });
    const base = analysisBase(s);
    const sweep = thresholdSweep(s.prob, s.gt!, 100, 1, 'best', 2);
    assert.deepEqual(base.sweep?.best, sweep.best.dice);
    for (const d of ANALYSIS_DECODERS) {
      const v = analysisDecode(s, d, settings, base.sweep?.best.threshold);
      assert.equal(v.unavailable, undefined, d);
      const labels = v.labels!;
      const k = Array.from(labels).filter((x) => x === 1).length;
      assert.equal(v.perClass[0].k, k, d);
      const direct = decode(
        { data: s.prob.data, shape: [...s.prob.shape] },
        {
          decoder: d,
          threshold: d === 'tunedThreshold' ? base.sweep?.best.threshold : 0.5,
          k: v.k,
          solver: d === 'rankdice' || d === 'rankiou' ? 'exact' : undefined,
          outputMode: 'multilabel',
        },
      );
      assert.deepEqual(Array.from(labels), Array.from(direct.mask.data), d);
      assert.ok(
        Math.abs((v.perClass[0].expectedDice ?? -1) - (direct.images[0].classes[0].expectedDice ?? -2)) <
          1e-12,
      );
      const h = errorHistogram(labels, s.gt!.data, 2);
      const c = v.metrics!.perClass['1'].counts;
      assert.deepEqual([c.tp, c.fp, c.fn], [h[1], h[2], h[3]], d);
    }
  });

  it('without ground truth: expected scores only; tuned threshold explains why it is unavailable', async () => {
    const s = await loadAnalysisSample(files('nogt', false), settings);
    const base = analysisBase(s);
    assert.equal(base.hasGt, false);
    assert.equal(base.gtUnusable, undefined, 'none paired: nothing was set aside');
    assert.equal(base.sweep, undefined);
    const tuned = analysisDecode(s, 'tunedThreshold', settings, undefined);
    assert.match(tuned.unavailable ?? '', /ground truth/);
    const rd = analysisDecode(s, 'rankdice', settings);
    assert.equal(rd.metrics, undefined);
    assert.ok((rd.meanExpectedDice ?? 0) > 0.5);
    const curve = analysisCurve(s, 300);
    // Below 400 points every k is on the curve: its maximum is the exact RankDice optimum.
    const best = Math.max(...curve.perClass['1']);
    assert.ok(Math.abs(best - (rd.perClass[0].expectedDice ?? 0)) < 1e-12);
  });

  it('sigmoid-per-class maps: channel c is class c + 1, unclaimed pixels are background (3 classes)', async () => {
    // A 4×4 map, 3 channels: the best channel wins where it is above 0.5; nothing above 0.5 → background.
    // Two hand-made rows, then two empty rows (the loader needs fewer channels than rows to tell the layout).
    const zeros = new Array<number>(8).fill(0);
    const p = [
      [0.9, 0.2, 0.1, 0.6, 0.3, 0.0, 0.5, 0.6, ...zeros],
      [0.1, 0.7, 0.1, 0.7, 0.3, 0.0, 0.5, 0.1, ...zeros],
      [0.0, 0.1, 0.8, 0.1, 0.3, 0.0, 0.5, 0.1, ...zeros],
    ];
    const gt = Uint8Array.from([1, 2, 3, 2, 0, 0, 0, 1, ...zeros]);
    const s = await loadAnalysisSample(
      {
        probBytes: writeNpy({ dtype: 'float32', shape: [3, 4, 4], data: Float32Array.from(p.flat()) }),
        probSource: 'p.npy',
        gtBytes: labelsToPng(gt, 4, 4),
        gtSource: 'gt.png',
        maxPixels: 1000,
      },
      settings,
    );
    assert.equal(s.layout.kind, 'foreground');
    const v = analysisDecode(s, 'threshold', settings);
    // p = 0.5 is not above the threshold (strict), and ties go to the first channel (0.6 vs 0.6 does not occur here).
    assert.deepEqual(Array.from(v.labels!), [1, 2, 3, 2, 0, 0, 0, 1, ...zeros]);
    assert.deepEqual(
      v.perClass.map((c) => [c.cls, c.k]),
      [
        [1, 2],
        [2, 2],
        [3, 1],
      ],
    );
    // Metrics are the core's on this label map: everything right → Dice 1 for every class.
    const m = computeImageMetrics(
      { data: gt, shape: [4, 4] },
      { data: v.labels!, shape: [4, 4] },
      { config: { numClasses: 4 } },
    );
    assert.deepEqual(v.metrics!.perClass, m.perClass);
    assert.equal(v.metrics!.macroPresentClasses.metrics.dice.value, 1);
    const argmax = analysisDecode(s, 'argmax', settings);
    assert.match(argmax.unavailable ?? '', /background channel/);
  });

  it('softmax maps: argmax over all channels, the other decoders on the foreground channels', async () => {
    // 3 classes × 4×4 pixels; each pixel's channels sum to 1.
    const n = 16;
    const data = new Float32Array(3 * n);
    const expectedArgmax: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = (i % 5) / 10;
      const b = ((i * 3) % 7) / 10;
      const v = [1 - a - b, a, b];
      v.forEach((x, c) => (data[c * n + i] = x));
      expectedArgmax.push(v.indexOf(Math.max(...v)));
    }
    const s = await loadAnalysisSample(
      {
        probBytes: writeNpy({ dtype: 'float32', shape: [3, 4, 4], data }),
        probSource: 'p.npy',
        maxPixels: 1000,
      },
      settings,
    );
    assert.equal(s.layout.kind, 'softmax');
    assert.deepEqual(Array.from(analysisDecode(s, 'argmax', settings).labels!), expectedArgmax);
    // Threshold 0.3 on channels 1 and 2 only: the larger of the two wins when it is above 0.3.
    const t = analysisDecode(s, 'threshold', { ...settings, threshold: 0.3 });
    const expected = Array.from({ length: n }, (_, i) => {
      const a = data[n + i];
      const b = data[2 * n + i];
      const best = Math.max(a, b);
      return best > 0.3 ? (a >= b ? 1 : 2) : 0;
    });
    assert.deepEqual(Array.from(t.labels!), expected);
  });
});
