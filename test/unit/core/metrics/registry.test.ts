/**
 * The scalar metric registry (src/core/metrics/registry.ts) is the one list of per-class metrics: the key lists
 * the core iterates, the CSV columns of `seglens eval` and the viewer's names are derived from its rows, and the
 * rows are exactly the scalar fields the IMAGE object computes.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DISTANCE_KEYS,
  METRICS,
  METRIC_CSV_COLUMNS,
  OVERLAP_KEYS,
  SURFACE_KEYS,
  computeImageMetrics,
  metricDescription,
  metricLabel,
  type OverlapKey,
  type OverlapMetrics,
  type SurfaceKey,
  type SurfaceMetrics,
} from '../../../../src/core/metrics';
import { runCli } from './helpers';
import { repoPath } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameType = <T extends true>(ok: T) => ok;

describe('metrics: the registry is the one list of scalar metrics', () => {
  it('its keys are exactly the scalar fields of OverlapMetrics and SurfaceMetrics (compile-time)', () => {
    sameType<Equal<OverlapKey, Exclude<keyof OverlapMetrics, 'fBeta'>>>(true);
    sameType<
      Equal<SurfaceKey, Exclude<keyof SurfaceMetrics, 'nGtSurface' | 'nPredSurface' | 'boundaryIouBandWidth'>>
    >(true);
  });

  it('derives the key lists in the order every export has always used', () => {
    assert.deepEqual(OVERLAP_KEYS, [
      'dice',
      'iou',
      'precision',
      'recall',
      'specificity',
      'accuracy',
      'balancedAccuracy',
    ]);
    assert.deepEqual(DISTANCE_KEYS, ['hd', 'hd95', 'assd', 'meanDistGtToPred', 'meanDistPredToGt']);
    assert.deepEqual(SURFACE_KEYS, [...DISTANCE_KEYS, 'nsd', 'boundaryIou']);
    assert.deepEqual(
      [...OVERLAP_KEYS, ...SURFACE_KEYS],
      METRICS.map((m) => m.key),
    );
    assert.deepEqual(
      METRIC_CSV_COLUMNS,
      METRICS.filter((m) => m.csv).map((m) => m.key),
    );
    for (const m of METRICS) {
      assert.ok(m.label.length > 0 && m.description.length > 0, m.key);
      assert.equal(metricLabel(m.key), m.label);
      assert.equal(metricDescription(m.key), m.description);
    }
    assert.equal(new Set(METRICS.map((m) => m.label)).size, METRICS.length, 'labels are unique');
    assert.equal(metricLabel('bogus'), 'bogus');
    assert.equal(metricDescription('bogus'), '');
  });

  it('the IMAGE object computes every registered metric and no other scalar', () => {
    // A 4×4 image: GT a 2×2 square, the prediction the same square shifted one pixel right.
    const gt = new Uint8Array(16);
    const pred = new Uint8Array(16);
    for (const i of [5, 6, 9, 10]) gt[i] = 1;
    for (const i of [6, 7, 10, 11]) pred[i] = 1;
    const m = computeImageMetrics({ data: gt, shape: [4, 4] }, { data: pred, shape: [4, 4] });
    const c = m.perClass['1'];
    const { fBeta: _fBeta, ...overlap } = c.overlap;
    assert.deepEqual(Object.keys(overlap).sort(), [...OVERLAP_KEYS].sort());
    const { nGtSurface: _a, nPredSurface: _b, boundaryIouBandWidth: _w, ...surface } = c.surface;
    assert.deepEqual(Object.keys(surface).sort(), [...SURFACE_KEYS].sort());
    // Hand-computed: TP 2, FP 2, FN 2 → Dice 4/8, IoU 2/6. Every pixel of both squares is a surface pixel; half
    // of each square lies on the other (distance 0), the other half one pixel away: directed distances [0, 0, 1, 1].
    assert.equal(c.overlap.dice, 0.5);
    assert.equal(c.overlap.iou, 2 / 6);
    assert.deepEqual(Object.fromEntries(DISTANCE_KEYS.map((k) => [k, c.surface[k]])), {
      hd: 1,
      hd95: 1,
      assd: 0.5,
      meanDistGtToPred: 0.5,
      meanDistPredToGt: 0.5,
    });
    assert.equal(c.surface.nsd, 1); // every distance within the default tolerance of 1 (inclusive)
  });

  it('`seglens eval --csv` has the registry’s CSV columns, in order, after the counts', async () => {
    const dir = makeTempDir('seglens-metric-registry').path;
    try {
      const fix = repoPath('test/fixtures/metrics/p02_shift_1px');
      mkdirSync(join(dir, 'm'));
      copyFileSync(join(fix, 'img0_gt.png'), join(dir, 'm/a_gt.png'));
      copyFileSync(join(fix, 'img0_pred.png'), join(dir, 'm/a_pred.png'));
      writeFileSync(
        join(dir, 'pairs.json'),
        JSON.stringify([{ id: 'a', gt: 'm/a_gt.png', pred: 'm/a_pred.png' }]),
      );
      const r = await runCli(['eval', '--pairs', join(dir, 'pairs.json'), '--csv']);
      assert.equal(r.code, 0, r.stderr);
      const head = r.stdout.split('\n')[0].split(',');
      const at = head.indexOf('pixelAccuracy') + 1;
      assert.deepEqual(head.slice(at, at + METRIC_CSV_COLUMNS.length), [...METRIC_CSV_COLUMNS]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
