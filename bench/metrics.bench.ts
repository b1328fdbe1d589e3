/**
 * Metric benchmarks at 1024² (issue 4 budgets: pixel metrics ≤ 20 ms, HD95/ASSD/NSD ≤ 100 ms, components +
 * matching ≤ 30 ms) and on a 20-image dataset. The baseline is one read pass over both label maps, i.e. the cost
 * of touching the data at all.
 */
import { aggregateDataset } from '../src/core/metrics/aggregate';
import { classBins } from '../src/core/metrics/calibration';
import { connectedComponents } from '../src/core/metrics/components';
import { classPixelCounts } from '../src/core/metrics/confusion';
import { cropClass } from '../src/core/metrics/crop';
import { computeImageMetrics } from '../src/core/metrics/imageMetrics';
import { objectMetrics } from '../src/core/metrics/objects';
import { overlapMetrics } from '../src/core/metrics/overlap';
import { surfaceMetricsOfCrop } from '../src/core/metrics/surface';
import { sweepHistograms } from '../src/core/metrics/sweep';
import { LabelMap, ProbMap } from '../src/core/types';
import { report, rng, timeMs } from './util';

/** A synthetic image: random disks as GT, the same disks jittered and resized as prediction, a soft prob map. */
function synthetic(
  side: number,
  seed: number,
  blobs: number,
): { gt: LabelMap; pred: LabelMap; prob: ProbMap } {
  const r = rng(seed);
  const n = side * side;
  const gt = new Uint8Array(n);
  const pred = new Uint8Array(n);
  const prob = new Float32Array(n);
  for (let b = 0; b < blobs; b++) {
    const cy = r() * side;
    const cx = r() * side;
    const rad = 4 + r() * side * 0.08;
    const dy = (r() - 0.5) * rad * 0.4;
    const dx = (r() - 0.5) * rad * 0.4;
    const prad = rad * (0.8 + r() * 0.4);
    const y0 = Math.max(0, Math.floor(cy - rad * 1.6));
    const y1 = Math.min(side - 1, Math.ceil(cy + rad * 1.6));
    const x0 = Math.max(0, Math.floor(cx - rad * 1.6));
    const x1 = Math.min(side - 1, Math.ceil(cx + rad * 1.6));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * side + x;
        const d = Math.hypot(y - cy, x - cx);
        if (d <= rad) gt[i] = 1;
        const dp = Math.hypot(y - cy - dy, x - cx - dx);
        if (dp <= prad) pred[i] = 1;
        prob[i] = Math.max(prob[i], 1 / (1 + Math.exp((dp - prad) / 2)));
      }
    }
  }
  return {
    gt: { data: gt, shape: [side, side] },
    pred: { data: pred, shape: [side, side] },
    prob: { data: prob, shape: [1, side, side] },
  };
}

export async function run(): Promise<void> {
  const { gt, pred, prob } = synthetic(1024, 1, 40);
  const g = gt.data;
  const p = pred.data;
  let sink = 0;
  const baseline = {
    name: 'one read pass',
    ms: timeMs(() => {
      let s = 0;
      for (let i = 0; i < g.length; i++) s += g[i] + p[i];
      sink += s;
    }),
  };
  report('read pass over both 1024² maps', baseline.ms);

  const pixel = timeMs(() => {
    const c = classPixelCounts(g, p, 2);
    const tp = c.tp[1];
    overlapMetrics(
      { tp, fp: c.pred[1] - tp, fn: c.gt[1] - tp, tn: c.n - c.gt[1] - c.pred[1] + tp },
      [0.5, 2],
      'best',
    );
  });
  report('pixel metrics (counts, Dice…F-β, pixel accuracy) 1024²', pixel, baseline, 20);

  const calib = timeMs(() => classBins(prob, gt, 1, 15, { channel: 0, complement: false }));
  report('calibration bins (ECE/MCE/Brier) 1024²', calib, baseline);
  const sweep = timeMs(() => sweepHistograms(prob, gt, 1, 100, { channel: 0, complement: false }));
  report('threshold sweep histograms (101 thresholds) 1024²', sweep, baseline);

  const opt = {
    spacing: [1, 1],
    hdPercentile: 95,
    nsdTolerance: 1,
    boundaryIouDilationRatio: 0.02,
    bothEmpty: 'best' as const,
  };
  const surface = timeMs(
    () => surfaceMetricsOfCrop(cropClass(g, p, [1024, 1024], 1), [1024, 1024], opt),
    5,
    1,
  );
  report('surface: HD, HD95, ASSD, NSD + boundary IoU 1024² (40 objects)', surface, baseline, 100);

  const objects = timeMs(() => {
    const crop = cropClass(g, p, [1024, 1024], 1);
    if (!crop) return;
    const gc = connectedComponents(crop.gt, crop.shape, 8);
    const pc = connectedComponents(crop.pred, crop.shape, 8);
    objectMetrics(gc, pc, crop.origin, {
      matchIouThreshold: 0.5,
      objectSizeBins: [10, 100, 1000],
      bothEmpty: 'best',
    });
  });
  report('components (8) + matching 1024² (40 objects)', objects, baseline, 30);

  const full = timeMs(() => computeImageMetrics(gt, pred, { prob }), 5, 1);
  report('computeImageMetrics, everything incl. 4- and 8-objects, 1024²', full, baseline);

  const set = Array.from({ length: 20 }, (_, i) => synthetic(512, 100 + i, 12));
  const dataset = timeMs(
    () => aggregateDataset(set.map((s) => computeImageMetrics(s.gt, s.pred, { prob: s.prob }))),
    3,
    1,
  );
  report('20-image dataset at 512² (all metrics + aggregation)', dataset, {
    name: '20 × one read pass',
    ms: (baseline.ms * 20) / 4,
  });
  if (sink === -1) console.log(sink);
}
