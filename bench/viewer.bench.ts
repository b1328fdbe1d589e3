/**
 * The viewer's analysis budgets (docs/architecture.md §7, issue 6) on a 1024² trio — label map with 5 classes and a
 * 5-channel sigmoid probability map of soft discs with noise:
 * - open-to-overlay: reading the mask and the map, ranking the pixels, sweep and calibration, and painting the
 *   first error map (the part the analysis adds to the foundation's decode-and-draw; goal ≤ 500 ms);
 * - threshold slider: one step of the incremental update with the repaint of the changed pixels (goal ≤ 50 ms),
 *   against a full recompute of labels, counts and the whole overlay.
 * Printed with ratios, never asserted.
 */
import { writeNpy } from '../src/core/io/npy';
import { decode } from '../src/core/decoders';
import { ERROR_COLOURS, errorCode, paintCodes } from '../src/core/viewmodel/errorMap';
import { labelsToPng } from '../src/core/viewmodel/exportFormats';
import { ThresholdIndex, ThresholdLabels, rankingOf } from '../src/core/viewmodel/thresholdIndex';
import {
  analysisBase,
  analysisDecode,
  analysisThresholdMask,
  loadAnalysisSample,
} from '../src/node/analysis/analysisTasks';
import { report, rng, timeMs, timeMsAsync } from './util';

const N = 1024;
const C = 5;

function trio(): { gtPng: Uint8Array; probNpy: Uint8Array } {
  const rand = rng(7);
  const gt = new Uint8Array(N * N);
  const prob = new Float32Array(C * N * N);
  const centres = Array.from({ length: C }, (_, c) => [200 + c * 150, 300 + (c % 2) * 300, 40 + 10 * c]);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const i = y * N + x;
      for (let c = 0; c < C; c++) {
        const [cy, cx, r] = centres[c];
        const d = Math.hypot(y - cy, x - cx) - r;
        if (d < 0) gt[i] = c + 1;
        prob[c * N * N + i] = Math.min(1, Math.max(0, 1 / (1 + Math.exp(d / 3)) + (rand() - 0.5) * 0.02));
      }
    }
  }
  return {
    gtPng: labelsToPng(gt, N, N),
    probNpy: writeNpy({ dtype: 'float32', shape: [C, N, N], data: prob }),
  };
}

/** The ranking of a base built under the budget (this bench's 1024² map always is). */
function localRanking(base: Parameters<typeof rankingOf>[0]): ThresholdIndex {
  const index = rankingOf(base);
  if (!index) throw new Error('the bench map is over the slider budget');
  return index;
}

export async function run(): Promise<void> {
  const { gtPng, probNpy } = trio();
  const files = {
    probBytes: probNpy,
    probSource: 'prob.npy',
    gtBytes: gtPng,
    gtSource: 'gt.png',
    maxPixels: 1e8,
  };
  const settings = { threshold: 0.5, solver: 'auto' as const };
  const rgba = new Uint8ClampedArray(N * N * 4);

  const open = await timeMsAsync(
    async () => {
      const s = await loadAnalysisSample(files, settings);
      const engine = new ThresholdLabels(localRanking(analysisBase(s)), s.gt?.data);
      engine.setThreshold(0.5);
      const gt = s.gt?.data as Uint8Array;
      paintCodes(rgba, ERROR_COLOURS, (i) => errorCode(engine.labels[i], gt[i], 6));
    },
    3,
    1,
  );
  const s = await loadAnalysisSample(files, settings);
  const fg = { data: s.prob.data, shape: [...s.prob.shape] };
  const thresholdOnly = timeMs(() => decode(fg, { decoder: 'threshold', evaluate: false }), 5, 1);
  report(
    `open-to-overlay ${N}² ×${C} classes (read, rank, sweep, calibration, first error map)`,
    open,
    {
      name: 'core threshold decode alone',
      ms: thresholdOnly,
    },
    500,
  );

  const index = localRanking(analysisBase(s));
  const gt = s.gt?.data as Uint8Array;
  const engine = new ThresholdLabels(index, gt);
  engine.setThreshold(0.5);
  let t = 0.5;
  const step = timeMs(
    () => {
      t = t === 0.5 ? 0.51 : 0.5;
      const r = engine.setThreshold(t);
      paintCodes(
        rgba,
        ERROR_COLOURS,
        (i) => errorCode(engine.labels[i], gt[i], 6),
        index.order.subarray(r.from, r.to),
      );
    },
    21,
    3,
  );
  const jump = timeMs(
    () => {
      t = t === 0.1 ? 0.9 : 0.1;
      const r = engine.setThreshold(t);
      paintCodes(
        rgba,
        ERROR_COLOURS,
        (i) => errorCode(engine.labels[i], gt[i], 6),
        index.order.subarray(r.from, r.to),
      );
    },
    11,
    2,
  );
  const full = timeMs(
    () => {
      t = t === 0.5 ? 0.51 : 0.5;
      const fresh = new ThresholdLabels(index, gt);
      fresh.setThreshold(t);
      paintCodes(rgba, ERROR_COLOURS, (i) => errorCode(fresh.labels[i], gt[i], 6));
    },
    7,
    2,
  );
  report(
    `threshold slider step ${N}² (0.50↔0.51, incremental + repaint of changed pixels)`,
    step,
    {
      name: 'full recompute',
      ms: full,
    },
    50,
  );
  report(
    `threshold slider jump ${N}² (0.1↔0.9, incremental)`,
    jump,
    { name: 'full recompute', ms: full },
    50,
  );

  const rd = timeMs(() => analysisDecode(s, 'rankdice', { threshold: 0.5, solver: 'rma' }), 3, 1);
  report(`decoder with metrics ${N}² (RankDice RMA + IMAGE metrics, in the worker)`, rd);

  // Over the slider budget (4096² × 1 class) the slider asks the worker: one mask = read the map + threshold decode.
  const L = 4096;
  const big = new Float32Array(L * L);
  for (let i = 0; i < big.length; i++) big[i] = ((i * 2654435761) >>> 0) / 2 ** 32;
  const bigFiles = {
    probBytes: writeNpy({ dtype: 'float32', shape: [1, L, L], data: big }),
    probSource: 'big.npy',
    maxPixels: 1e8,
  };
  let bt = 0.5;
  const mask = await timeMsAsync(
    async () => {
      bt = bt === 0.5 ? 0.3 : 0.5;
      analysisThresholdMask(await loadAnalysisSample(bigFiles, settings), bt);
    },
    3,
    1,
  );
  const bigSample = await loadAnalysisSample(bigFiles, settings);
  const rank = timeMs(() => analysisBase(bigSample, Infinity), 1, 0);
  report(
    `large-map slider step ${L}² × 1 class (worker mask: read map + threshold decode; no ranking sent)`,
    mask,
    { name: 'building the ranking the webview would need', ms: rank },
  );
}
