// The slider engine against independent references: a full recompute of "score > t" per pixel, brute-force
// confusion counts, and the core's own threshold decoder (multiclass, void = background).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decode } from '../../../../src/core/decoders';
import type { ProbMap } from '../../../../src/core/types';
import { channelLayout } from '../../../../src/core/viewmodel/probLayout';
import {
  ThresholdLabels,
  buildThresholdIndex,
  selectedCount,
} from '../../../../src/core/viewmodel/thresholdIndex';

/** A random [C, H, W] map whose channels do not sum to one (foreground layout), values on a coarse grid for ties. */
function randomMap(C: number, h: number, w: number, values: number[]): ProbMap {
  return { data: Float32Array.from(values.slice(0, C * h * w)), shape: [C, h, w] };
}

/** Full recompute: the label of every pixel at threshold t, straight from the channels. */
function bruteLabels(prob: ProbMap, classOfChannel: number[], t: number): number[] {
  const C = prob.shape[0];
  const n = prob.data.length / C;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestC = -1;
    for (let c = 0; c < C; c++) {
      if (classOfChannel[c] === 0) continue;
      const v = prob.data[c * n + i];
      if (v > best) {
        best = v;
        bestC = c;
      }
    }
    out.push(best > t ? classOfChannel[bestC] : 0);
  }
  return out;
}

function bruteCounts(pred: number[], gt: Uint8Array, K: number) {
  const tp = new Array<number>(K).fill(0);
  const fp = new Array<number>(K).fill(0);
  const fn = new Array<number>(K).fill(0);
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i];
    const g = gt[i];
    if (g >= K) continue;
    if (p > 0 && p === g) tp[p]++;
    if (p > 0 && p !== g) fp[p]++;
    if (g > 0 && p !== g) fn[g]++;
  }
  return { tp, fp, fn };
}

const grid = fc.integer({ min: 0, max: 20 }).map((v) => v / 20);

describe('analysis: incremental threshold', () => {
  it('selectedCount is the number of scores strictly above t (hand example)', () => {
    const sorted = Float32Array.from([0.9, 0.5, 0.5, 0.2]);
    assert.equal(selectedCount(sorted, 0.5), 1);
    assert.equal(selectedCount(sorted, 0.49), 3);
    assert.equal(selectedCount(sorted, 1), 0);
    assert.equal(selectedCount(sorted, -1), 4);
  });

  it('labels and counts after any sequence of thresholds equal a full recompute', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(grid, { minLength: 3 * 49, maxLength: 3 * 49 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 49, maxLength: 49 }),
        fc.array(grid, { minLength: 1, maxLength: 8 }),
        (C, h, w, values, gtValues, thresholds) => {
          const prob = randomMap(C, h, w, values);
          const layout = channelLayout(prob);
          const K = layout.numClasses;
          // Labels beyond the task's classes play the ignore label.
          const gt = Uint8Array.from(gtValues.slice(0, h * w).map((g) => (g > K ? 255 : Math.min(g, K - 1))));
          const state = new ThresholdLabels(buildThresholdIndex(prob, layout), gt);
          for (const t of thresholds) {
            const changed = state.setThreshold(t);
            const expected = bruteLabels(prob, layout.classOfChannel, t);
            assert.deepEqual(Array.from(state.labels), expected);
            assert.equal(state.selected, expected.filter((l) => l > 0).length);
            assert.ok(changed.from <= changed.to);
            const want = bruteCounts(expected, gt, K);
            assert.deepEqual(Array.from(state.counts.tp), want.tp);
            assert.deepEqual(Array.from(state.counts.fp), want.fp);
            assert.deepEqual(Array.from(state.counts.fn), want.fn);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('equals the core threshold decoder (multiclass, void as background) on binary and sigmoid maps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(grid, { minLength: 3 * 30, maxLength: 3 * 30 }),
        grid,
        (C, values, t) => {
          const prob = randomMap(C, 5, 6, values);
          const layout = channelLayout(prob);
          fc.pre(layout.kind !== 'softmax');
          const state = new ThresholdLabels(buildThresholdIndex(prob, layout));
          state.setThreshold(t);
          const r = decode(
            { data: prob.data, shape: prob.shape },
            {
              decoder: 'threshold',
              threshold: t,
              outputMode: 'multiclass',
              unassignedPolicy: 'void',
              evaluate: false,
            },
          );
          const core = Array.from(r.mask.data, (v) =>
            C === 1 ? v : v === 255 ? 0 : layout.classOfChannel[v],
          );
          assert.deepEqual(Array.from(state.labels), core);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('moving the threshold touches only the pixels between the two cut-offs', () => {
    const n = 64 * 64;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (i % 1000) / 1000;
    const prob: ProbMap = { data, shape: [1, 64, 64] };
    const state = new ThresholdLabels(buildThresholdIndex(prob, channelLayout(prob)));
    state.setThreshold(0.5);
    const r = state.setThreshold(0.49);
    // Pixels with p in (0.49, 0.5]: value 0.5 itself (i % 1000 = 500) — 0.491…0.5 are 10 values, ~4 each.
    const expected = Array.from(data).filter((p) => p > 0.49 && p <= 0.5).length;
    assert.equal(r.to - r.from, expected);
  });
});
