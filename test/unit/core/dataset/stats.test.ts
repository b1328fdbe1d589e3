/**
 * Dataset statistics against independent references: Spearman ρ vs scipy.stats.spearmanr, the paired comparison
 * and its seeded bootstrap vs a NumPy re-implementation of the documented procedure (same PRNG written in
 * Python, numpy.percentile), the dataset-tuned threshold vs a brute-force sweep, and label-error candidates vs
 * scipy.ndimage.label.
 */
import * as assert from 'node:assert/strict';
import {
  averageRanks,
  mulberry32,
  pairedComparison,
  pairedComparisonSteps,
  spearman,
  tunedThresholds,
} from '../../../../src/core/dataset/stats';
import { labelErrorCandidates } from '../../../../src/core/dataset/labelErrors';
import { aggregateDataset, computeImageMetrics, resolveMetricsConfig } from '../../../../src/core/metrics';
import { pythonAvailable, runPython } from './python';

const close = (a: number, b: number, tol = 1e-12): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** Seeded lists with many ties (values rounded to a grid), and a few NaNs. */
function lists(seed: number, n: number, grid: number, nan = false): { x: number[]; y: number[] } {
  const r = mulberry32(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.round(r() * grid) / grid;
    x.push(nan && i % 11 === 5 ? NaN : a);
    y.push(Math.round((0.6 * a + 0.4 * r()) * grid) / grid);
  }
  return { x, y };
}

describe('core/dataset/stats against NumPy / SciPy', function () {
  this.timeout(120_000);
  before(function () {
    if (!pythonAvailable(['numpy', 'scipy'])) {
      console.warn(
        '    skipped: /usr/bin/python3 with numpy and scipy is needed (apt install python3-numpy python3-scipy)',
      );
      this.skip();
    }
  });

  it('Spearman ρ (ties averaged, NaN pairs left out) equals scipy.stats.spearmanr', () => {
    const cases = [
      lists(1, 50, 10),
      lists(2, 200, 4),
      lists(3, 37, 1000, true),
      lists(4, 5, 2),
      { x: [1, 2, 3], y: [3, 2, 1] },
    ];
    const ref = runPython<number[]>(
      `
import json, sys, numpy as np
from scipy.stats import spearmanr
out = []
for c in json.load(sys.stdin):
    x = np.array([np.nan if v is None else v for v in c['x']], float)
    y = np.array(c['y'], float)
    ok = np.isfinite(x) & np.isfinite(y)
    out.append(float(spearmanr(x[ok], y[ok]).correlation))
print(json.dumps(out))
`,
      cases.map((c) => ({ x: c.x.map((v) => (Number.isNaN(v) ? null : v)), y: c.y })),
    );
    cases.forEach((c, i) => {
      const got = spearman(c.x, c.y);
      assert.ok(close(got.rho, ref[i]), `case ${i}: ${got.rho} vs scipy ${ref[i]}`);
    });
    assert.deepEqual(averageRanks([3, 1, 3, 2]), [3.5, 1, 3.5, 2]);
    assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3]).rho), 'a constant side has no correlation');
  });

  it('paired comparison: wins/ties/losses, mean difference and the seeded bootstrap interval', () => {
    const { x, y } = lists(9, 120, 20, true);
    const got = pairedComparison(x, y, { resamples: 500, seed: 42 });
    const ref = runPython<{
      wins: number;
      ties: number;
      losses: number;
      mean: number;
      low: number;
      high: number;
      n: number;
    }>(
      `
import json, sys, numpy as np
d = json.load(sys.stdin)
a = np.array([np.nan if v is None else v for v in d['a']], float); b = np.array(d['b'], float)
ok = np.isfinite(a) & np.isfinite(b); diff = a[ok] - b[ok]; n = len(diff)
M = 0xFFFFFFFF
def imul(p, q): return (p * q) & M
state = d['seed'] & M
def rand():
    global state
    state = (state + 0x6D2B79F5) & M
    t = state
    t = imul(t ^ (t >> 15), t | 1)
    t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & M)) & M
    return ((t ^ (t >> 14)) & M) / 4294967296.0
means = []
for _ in range(d['resamples']):
    idx = [int(rand() * n) for _ in range(n)]
    means.append(diff[idx].mean())
print(json.dumps({'wins': int((diff > 1e-9).sum()), 'ties': int((abs(diff) <= 1e-9).sum()),
  'losses': int((diff < -1e-9).sum()), 'mean': float(diff.mean()), 'n': n,
  'low': float(np.percentile(means, 2.5)), 'high': float(np.percentile(means, 97.5))}))
`,
      { a: x.map((v) => (Number.isNaN(v) ? null : v)), b: y, seed: 42, resamples: 500 },
    );
    assert.deepEqual([got.wins, got.ties, got.losses, got.n], [ref.wins, ref.ties, ref.losses, ref.n]);
    assert.equal(got.skipped, 120 - ref.n);
    assert.ok(close(got.meanDifference, ref.mean, 1e-12));
    assert.ok(close(got.ci.low, ref.low, 1e-12), `${got.ci.low} vs ${ref.low}`);
    assert.ok(close(got.ci.high, ref.high, 1e-12), `${got.ci.high} vs ${ref.high}`);
    assert.ok(got.ci.low <= got.meanDifference && got.meanDifference <= got.ci.high);
    // Same seed, same interval; another seed, another one.
    assert.deepEqual(pairedComparison(x, y, { resamples: 500, seed: 42 }), got);
    assert.notEqual(pairedComparison(x, y, { resamples: 500, seed: 43 }).ci.low, got.ci.low);
  });

  it('label-error candidates: regions and scores equal a scipy.ndimage.label reference', () => {
    const H = 40;
    const W = 50;
    const r = mulberry32(5);
    const gt = new Uint8Array(H * W);
    const pred = new Uint8Array(H * W);
    const prob = new Float32Array(2 * H * W);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        const g = (x - 15) ** 2 + (y - 15) ** 2 < 80 ? 1 : (x - 38) ** 2 + (y - 28) ** 2 < 30 ? 2 : 0;
        gt[i] = g;
        // The model sees disc 1 shifted and a confident blob of class 2 where the label says background.
        const p1 = (x - 18) ** 2 + (y - 15) ** 2 < 80 ? 0.7 + 0.3 * r() : 0.3 * r();
        const p2 = (x - 38) ** 2 + (y - 28) ** 2 < 30 || (x > 40 && y < 8) ? 0.6 + 0.4 * r() : 0.2 * r();
        prob[i] = p1;
        prob[H * W + i] = p2;
        pred[i] = p1 > 0.5 && p1 >= p2 ? 1 : p2 > 0.5 ? 2 : 0;
      }
    const got = labelErrorCandidates(
      { data: gt, shape: [H, W] },
      { data: pred, shape: [H, W] },
      { data: prob, shape: [2, H, W] },
      { classes: [1, 2], config: { numClasses: 3, backgroundIndex: 0 }, minPixels: 5 },
    );
    const ref = runPython<
      { class: number; score: number; kind: string; pixels: number; bbox: { min: number[]; max: number[] } }[]
    >(
      `
import json, sys, numpy as np
from scipy import ndimage
d = json.load(sys.stdin); H, W = d['H'], d['W']
gt = np.array(d['gt']).reshape(H, W); pred = np.array(d['pred']).reshape(H, W)
prob = np.array(d['prob'], float).reshape(2, H, W)
out = []
for c in [1, 2]:
    p = prob[c - 1].astype(np.float32).astype(float)
    best = None
    for kind, mask, conf in [('missed', (gt == c) & (pred != c), 1 - p), ('spurious', (pred == c) & (gt != c), p)]:
        lab, n = ndimage.label(mask, structure=np.ones((3, 3)))
        for k in range(1, n + 1):
            m = lab == k; size = int(m.sum())
            if size < 5: continue
            s = float(conf[m].sum() / size)
            ys, xs = np.nonzero(m)
            cand = {'class': c, 'score': s, 'kind': kind, 'pixels': size,
                    'bbox': {'min': [int(ys.min()), int(xs.min())], 'max': [int(ys.max()), int(xs.max())]}}
            if best is None or s > best['score'] or (s == best['score'] and size > best['pixels']): best = cand
    if best: out.append(best)
out.sort(key=lambda c: (-c['score'], -c['pixels'], c['class']))
print(json.dumps(out))
`,
      { H, W, gt: Array.from(gt), pred: Array.from(pred), prob: Array.from(prob) },
    );
    assert.equal(got.length, ref.length);
    got.forEach((g, i) => {
      const e = ref[i];
      assert.deepEqual([g.class, g.kind, g.pixels, g.bbox], [e.class, e.kind, e.pixels, e.bbox]);
      assert.ok(close(g.score, e.score, 1e-9), `${g.score} vs ${e.score}`);
    });
    assert.ok(
      got.some((c) => c.kind === 'spurious' && c.class === 2),
      'the confident unlabelled blob is found',
    );
  });
});

describe('core/dataset/stats: the dataset-tuned threshold', () => {
  it('equals a brute-force sweep of per-image mean Dice of p ≥ t, and is labelled optimistic', () => {
    const r = mulberry32(11);
    const config = resolveMetricsConfig({ sweepSteps: 20 });
    const images = [];
    const probs: Float32Array[] = [];
    const gts: Uint8Array[] = [];
    for (let k = 0; k < 6; k++) {
      const n = 64;
      const gt = Uint8Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
      const prob = Float32Array.from(gt, (g) =>
        Math.min(1, Math.max(0, (g ? 0.55 : 0.25) + (r() - 0.5) * 0.6)),
      );
      gts.push(gt);
      probs.push(prob);
      images.push(
        computeImageMetrics(
          { data: gt, shape: [8, 8] },
          { data: gt, shape: [8, 8] },
          { prob: { data: prob, shape: [1, 8, 8] }, config },
        ),
      );
    }
    const tuned = tunedThresholds(aggregateDataset(images, config));
    assert.equal(tuned.length, 1);
    // Brute force: per threshold t = k/20, Dice of (p ≥ t) per image (both empty = 1), mean over images.
    let bestT = NaN;
    let bestV = -1;
    let atHalf = NaN;
    for (let k = 0; k <= 20; k++) {
      const t = k / 20;
      let sum = 0;
      gts.forEach((gt, j) => {
        let tp = 0;
        let fp = 0;
        let fn = 0;
        gt.forEach((g, i) => {
          const p = probs[j][i] >= t ? 1 : 0;
          if (p && g) tp++;
          else if (p) fp++;
          else if (g) fn++;
        });
        sum += tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn);
      });
      const v = sum / gts.length;
      if (k === 10) atHalf = v;
      // Ties go to the threshold nearest 0.5 (the sweep's documented rule).
      if (v > bestV + 1e-12 || (Math.abs(v - bestV) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(bestT - 0.5))) {
        bestV = v;
        bestT = t;
      }
    }
    assert.ok(close(tuned[0].threshold, bestT), `${tuned[0].threshold} vs ${bestT}`);
    assert.ok(close(tuned[0].imageMeanDice, bestV, 1e-12));
    assert.ok(close(tuned[0].atHalf, atHalf, 1e-12));
    assert.equal(tuned[0].optimistic, true);
    assert.match(tuned[0].label, /tuned on this set \(optimistic\)/);
  });
});

describe('core/dataset/stats: the bootstrap in steps (for the extension host)', () => {
  it('pairedComparisonSteps yields every ~N draws and returns pairedComparison’s result, draw for draw', () => {
    const r = mulberry32(3);
    const a = Array.from({ length: 1000 }, () => r());
    const b = a.map((x) => x + (r() - 0.6) * 0.1);
    const steps = pairedComparisonSteps(a, b, { resamples: 1000, seed: 7 }, 50_000);
    let yields = 0;
    let step = steps.next();
    while (!step.done) {
      yields++;
      step = steps.next();
    }
    // 1,000 resamples × 1,000 draws in steps of 50,000 draws: 19 yields (none after the last resample).
    assert.equal(yields, 19);
    assert.deepEqual(step.value, pairedComparison(a, b, { resamples: 1000, seed: 7 }));
  });
});
