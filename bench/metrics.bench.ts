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

/**
 * Median CPU time (user + system) of `fn`: on a shared 2-core machine the wall time also counts other processes'
 * turns, so both are printed and the CPU time is what the budgets are meant for.
 */
function cpuMs(fn: () => unknown, repeats = 5): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    t.push((c.user + c.system) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(repeats / 2)];
}

/**
 * Reports the CPU time of `fn` (the figure the budgets are for: on the shared 2-core machine the wall time also
 * counts other processes' turns) with the median wall time in the name.
 */
function bench(
  name: string,
  fn: () => unknown,
  baseline?: { name: string; ms: number },
  budget?: number,
  repeats = 7,
): number {
  const wall = timeMs(fn, repeats, 1);
  const ms = cpuMs(fn, Math.min(repeats, 5));
  report(`${name} [cpu time; wall ${wall.toFixed(1)} ms]`, ms, baseline, budget);
  return ms;
}

export async function run(): Promise<void> {
  const { gt, pred, prob } = synthetic(1024, 1, 40);
  const g = gt.data;
  const p = pred.data;
  let sink = 0;
  const baseline = {
    name: 'one read pass',
    ms: bench('read pass over both 1024² maps', () => {
      let s = 0;
      for (let i = 0; i < g.length; i++) s += g[i] + p[i];
      sink += s;
    }),
  };

  bench(
    'pixel metrics (counts, Dice…F-β, pixel accuracy) 1024²',
    () => {
      const c = classPixelCounts(g, p, 2);
      const tp = c.tp[1];
      overlapMetrics(
        { tp, fp: c.pred[1] - tp, fn: c.gt[1] - tp, tn: c.n - c.gt[1] - c.pred[1] + tp },
        [0.5, 2],
        'best',
      );
    },
    baseline,
    20,
  );

  bench(
    'calibration bins (ECE/MCE/Brier) 1024²',
    () => classBins(prob, gt, 1, 15, { channel: 0, complement: false }),
    baseline,
  );
  bench(
    'threshold sweep histograms (101 thresholds) 1024²',
    () => sweepHistograms(prob, gt, 1, 100, { channel: 0, complement: false }),
    baseline,
  );

  const opt = {
    spacing: [1, 1],
    hdPercentile: 95,
    nsdTolerance: 1,
    boundaryIouDilationRatio: 0.02,
    bothEmpty: 'best' as const,
  };
  bench(
    'surface: HD, HD95, ASSD, NSD 1024² (40 objects)',
    () =>
      surfaceMetricsOfCrop(cropClass(g, p, [1024, 1024], 1), [1024, 1024], { ...opt, boundaryIou: false }),
    baseline,
    100,
    5,
  );
  bench(
    'surface: HD, HD95, ASSD, NSD + boundary IoU 1024² (40 objects)',
    () => surfaceMetricsOfCrop(cropClass(g, p, [1024, 1024], 1), [1024, 1024], opt),
    baseline,
    100,
    5,
  );

  bench(
    'components (8) + matching 1024² (40 objects)',
    () => {
      const crop = cropClass(g, p, [1024, 1024], 1);
      if (!crop) return;
      const gc = connectedComponents(crop.gt, crop.shape, 8);
      const pc = connectedComponents(crop.pred, crop.shape, 8);
      objectMetrics(gc, pc, crop.origin, {
        matchIouThreshold: 0.5,
        objectSizeBins: [10, 100, 1000],
        bothEmpty: 'best',
      });
    },
    baseline,
    30,
  );

  bench(
    'computeImageMetrics, everything incl. 4- and 8-objects, 1024²',
    () => computeImageMetrics(gt, pred, { prob }),
    baseline,
    undefined,
    5,
  );

  // Ten classes: blobs of the binary image relabelled by position, to show per-class crops (one scan for all boxes).
  const multi = (m: ArrayLike<number>): Uint8Array =>
    Uint8Array.from(m, (v, i) => (v ? 1 + (Math.floor((i % 1024) / 103) % 9) : 0));
  const gt10 = { data: multi(g), shape: [1024, 1024] };
  const pred10 = { data: multi(p), shape: [1024, 1024] };
  bench(
    'computeImageMetrics, 10 classes, 1024²',
    () => computeImageMetrics(gt10, pred10, { config: { numClasses: 10 } }),
    baseline,
    undefined,
    3,
  );
  const set = Array.from({ length: 20 }, (_, i) => synthetic(512, 100 + i, 12));
  bench(
    '20-image dataset at 512² (all metrics + aggregation)',
    () => aggregateDataset(set.map((s) => computeImageMetrics(s.gt, s.pred, { prob: s.prob }))),
    { name: '20 × one read pass', ms: (baseline.ms * 20) / 4 },
    undefined,
    3,
  );

  // 3-D: the comparison (MONAI 6.4 s, DeepMind surface-distance 1.9 s for Dice + HD95 + NSD on one 256³
  // volume on this machine): two overlapping spheres.
  const S = 256;
  const g3 = new Uint8Array(S * S * S);
  const p3 = new Uint8Array(S * S * S);
  for (let z = 0; z < S; z++) {
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        const i = (z * S + y) * S + x;
        if ((z - 128) ** 2 + (y - 128) ** 2 + (x - 128) ** 2 <= 80 ** 2) g3[i] = 1;
        if ((z - 131) ** 2 + (y - 126) ** 2 + (x - 129) ** 2 <= 78 ** 2) p3[i] = 1;
      }
    }
  }
  bench(
    '3-D Dice + HD95 + NSD, 256³ volume',
    () => {
      classPixelCounts(g3, p3, 2);
      surfaceMetricsOfCrop(cropClass(g3, p3, [S, S, S], 1), [S, S, S], {
        ...opt,
        spacing: [1, 1, 1],
        boundaryIou: false,
      });
    },
    { name: 'MONAI (issue)', ms: 6400 },
    undefined,
    1,
  );
  if (sink === -1) console.log(sink);
}
