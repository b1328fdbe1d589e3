/**
 * The analysis work that runs in the worker pool (registered in workers/tasks.ts): reading the sample's
 * probability map and ground truth, the decoder-independent base (layout, slider ranking, sweep, calibration), one
 * decoder's mask with its expected scores and metrics, and the expected-Dice-vs-k curves. No vscode import: these
 * run in worker threads and in plain node (bench, tests).
 */
import { InputError } from '../../core/errors';
import { DecodeOptions, decode, decoderInfo, expectedDiceByK, curveKs } from '../../core/decoders';
import {
  bestThreshold,
  computeImageMetrics,
  reliability,
  thresholdSweep,
  type ImageSweep,
  type PooledCalibration,
} from '../../core/metrics';
import { macroSweepDice } from '../../core/metrics/mean';
import { resampleBilinear } from '../../core/model/bilinear';
import type { LabelMap, ProbMap } from '../../core/types';
import { ChannelLayout, channelLayout, foregroundChannels } from '../../core/viewmodel/probLayout';
import { SLIDER_RANKING_BUDGET, sliderMode, workerSliderNote } from '../../core/viewmodel/sliderBudget';
import { buildThresholdIndex, labelArray } from '../../core/viewmodel/thresholdIndex';
import { decodeRaster, probMapFromBytes } from '../io/load';
import type {
  AnalysisBase,
  AnalysisDecoder,
  AnalysisFiles,
  AnalysisSettings,
  DecoderView,
  ExpectedCurve,
} from '../../core/viewmodel/analysisTypes';

export interface LoadedAnalysisSample {
  prob: ProbMap;
  gt?: LabelMap;
  layout: ChannelLayout;
  width: number;
  height: number;
  notes: string[];
  needsResize?: boolean;
  /** Why the paired ground truth is set aside (see AnalysisBase.gtUnusable). */
  gtUnusable?: string;
}

/** Resamples every channel of a [C, H, W] map to outH × outW (bilinear, half-pixel centres). */
function resizeProb(prob: ProbMap, outH: number, outW: number): ProbMap {
  const [C, h, w] = prob.shape;
  const out = new Float32Array(C * outH * outW);
  for (let c = 0; c < C; c++) {
    resampleBilinear(
      { data: prob.data, offset: c * h * w, rowStride: w, pixelStride: 1 },
      { top: 0, left: 0, height: h, width: w },
      { data: out, offset: c * outH * outW, rowStride: outW, pixelStride: 1 },
      outH,
      outW,
    );
  }
  return { data: out, shape: [C, outH, outW] };
}

/**
 * Reads the files. A ground truth of another size is resampled only with the user's consent (`settings.resize`);
 * otherwise the analysis goes on without it and says why.
 */
export async function loadAnalysisSample(
  files: AnalysisFiles,
  settings: AnalysisSettings,
): Promise<LoadedAnalysisSample> {
  const notes: string[] = [];
  let needsResize = false;
  let gtUnusable: string | undefined;
  let gt: LabelMap | undefined;
  if (files.gtBytes) {
    const raster = await decodeRaster(files.gtBytes, {
      source: files.gtSource ?? 'ground truth',
      maxPixels: files.maxPixels,
      role: 'labels',
    });
    if (raster.channels !== 1 || raster.dtype === 'float32')
      throw new InputError('the ground truth is not a label map', files.gtSource);
    gt = { data: raster.data as LabelMap['data'], shape: [raster.height, raster.width] };
  }
  let prob = probMapFromBytes(files.probBytes, {
    source: files.probSource,
    logits: settings.logits ?? 'error',
    maxElements: files.maxPixels * 256,
  });
  if (prob.shape.length !== 3)
    throw new InputError(
      `the viewer analyses 2-D maps; this one has shape [${prob.shape.join(', ')}]`,
      files.probSource,
    );
  if (settings.logits)
    notes.push(`Values outside [0, 1] were converted with ${settings.logits}, as you asked.`);
  if (gt && (gt.shape[0] !== prob.shape[1] || gt.shape[1] !== prob.shape[2])) {
    const [, ph, pw] = prob.shape;
    const [gh, gw] = gt.shape;
    if (settings.resize) {
      prob = resizeProb(prob, gh, gw);
      notes.push(
        `The probability map (${pw}×${ph}) was resampled bilinearly to the ground truth's ${gw}×${gh}.`,
      );
    } else {
      notes.push(
        `The probability map is ${pw}×${ph} but the ground truth is ${gw}×${gh}: metrics against the ground truth are hidden until you resize the map.`,
      );
      gtUnusable = `it is ${gw}×${gh} and the probability map ${pw}×${ph} (resize the map to compare them)`;
      gt = undefined;
      needsResize = true;
    }
  }
  const layout = channelLayout(prob);
  if (gt) {
    const K = layout.numClasses;
    let max = 0;
    for (let i = 0; i < gt.data.length; i++) {
      const g = gt.data[i];
      if (g > max && g !== 255) max = g;
    }
    if (max >= K) {
      notes.push(
        `The ground truth has class ${max} but the probability map covers classes 0…${K - 1}: GT metrics are hidden.`,
      );
      // A one-channel map is a binary one; the labels would need a map with a channel per class.
      gtUnusable =
        `it has class ${max}, but the probability map covers classes 0…${K - 1}` +
        (prob.shape[0] === 1 ? ' (one channel: foreground vs background)' : '');
      gt = undefined;
    }
  }
  return {
    prob,
    gt,
    layout,
    width: prob.shape[2],
    height: prob.shape[1],
    notes,
    needsResize,
    ...(gtUnusable ? { gtUnusable } : {}),
  };
}

/** Metric configuration of the sample: its class count, the rest the core's defaults. */
function metricsConfig(layout: ChannelLayout) {
  return { numClasses: layout.numClasses };
}

/** The largest probability over the foreground channels (a softmax map's background channel left out). */
function maxForeground(s: LoadedAnalysisSample): number {
  const n = s.width * s.height;
  let max = 0;
  for (const c of foregroundChannels(s.layout)) {
    const channel = s.prob.data.subarray(c * n, (c + 1) * n);
    for (let i = 0; i < n; i++) if (channel[i] > max) max = channel[i];
  }
  return max;
}

/** The decoder-independent part (see AnalysisBase). */
export function analysisBase(s: LoadedAnalysisSample, budget: number = SLIDER_RANKING_BUDGET): AnalysisBase {
  const fgCount = foregroundChannels(s.layout).length;
  const slider = sliderMode(s.width * s.height, fgCount, budget);
  const base: AnalysisBase = {
    width: s.width,
    height: s.height,
    layout: s.layout,
    maxProb: maxForeground(s),
    slider,
    hasGt: s.gt !== undefined,
    ...(s.gtUnusable ? { gtUnusable: s.gtUnusable } : {}),
    needsResize: s.needsResize,
    notes: [...s.notes, s.layout.note],
  };
  if (slider === 'local') {
    const index = buildThresholdIndex(s.prob, s.layout);
    base.order = index.order;
    base.sorted = index.sorted;
    base.classOf = index.classOf;
  } else base.notes.push(workerSliderNote(s.width, s.height, fgCount));
  if (s.gt) {
    const K = s.layout.numClasses;
    const present = new Set<number>();
    for (let i = 0; i < s.gt.data.length; i++)
      if (s.gt.data[i] > 0 && s.gt.data[i] < K) present.add(s.gt.data[i]);
    const classes = [...present].sort((a, b) => a - b);
    const perClass: Record<string, number[]> = {};
    const rel: Record<string, PooledCalibration> = {};
    const sweeps: ImageSweep[] = [];
    let thresholds: number[] = [];
    for (const c of s.layout.classOfChannel) {
      if (c === 0) continue;
      const sw = thresholdSweep(s.prob, s.gt, 100, c, 'best', K);
      thresholds = sw.thresholds;
      perClass[String(c)] = sw.dice;
      sweeps.push(sw);
      rel[String(c)] = reliability(s.prob, s.gt, 15, c, K);
    }
    // The tuned threshold maximises THE macro Dice of the metric table (core/metrics/mean.ts, spec §7.4): at each
    // threshold, the classes present in the ground truth or predicted there; a class the map paints without any
    // ground truth counts with Dice 0. With nothing present (both empty everywhere) the value is 1.
    const macro = macroSweepDice(sweeps);
    base.sweep = { thresholds, perClass, macro, best: bestThreshold(thresholds, macro), classes };
    base.reliability = rel;
  }
  return base;
}

/** The probability input of the decoders: the foreground channels only (a softmax map's background dropped). */
function foregroundInput(s: LoadedAnalysisSample): {
  data: Float32Array;
  shape: number[];
  classes: number[];
} {
  const fg = foregroundChannels(s.layout);
  const n = s.width * s.height;
  const classes = fg.map((c) => s.layout.classOfChannel[c]);
  if (fg.length === s.layout.channels) return { data: s.prob.data, shape: [...s.prob.shape], classes };
  // Consecutive channels (a softmax map's 1 … C−1) are a view: no copy of (C−1)·n floats (320 MB at 256³ × 6).
  if (fg.every((c, j) => c === fg[0] + j)) {
    const data = s.prob.data.subarray(fg[0] * n, (fg[0] + fg.length) * n);
    return { data, shape: [fg.length, s.height, s.width], classes };
  }
  const data = new Float32Array(fg.length * n);
  fg.forEach((c, j) => data.set(s.prob.data.subarray(c * n, (c + 1) * n), j * n));
  return { data, shape: [fg.length, s.height, s.width], classes };
}

/** The default k of top-k: the threshold decoder's largest per-class k (so the two are comparable). */
function defaultTopK(s: LoadedAnalysisSample, t: number): number {
  const input = foregroundInput(s);
  const r = decode(input, { decoder: 'threshold', threshold: t, outputMode: 'multilabel', evaluate: false });
  return Math.max(1, ...r.images[0].classes.map((c) => c.k));
}

/** Runs one decoder (see DecoderView); `tuned` is the tuned threshold from the base's sweep. */
export function analysisDecode(
  s: LoadedAnalysisSample,
  decoder: AnalysisDecoder,
  settings: AnalysisSettings,
  tuned?: number,
): DecoderView {
  const info = decoderInfo(decoder);
  const view: DecoderView = {
    decoder,
    label: info?.label ?? decoder,
    solver: null,
    perClass: [],
    meanExpectedDice: null,
    meanExpectedIoU: null,
    notes: [],
    elapsedMs: 0,
  };
  const start = performance.now();
  const n = s.width * s.height;
  const labels = labelArray(n, s.layout.numClasses);
  // What to run comes from the decoder's registry row (its viewer entry), not from a switch here.
  const plan = info?.viewer?.plan({
    threshold: settings.threshold,
    tuned,
    topK: settings.topK,
    solver: settings.solver,
    layout: s.layout.kind,
    defaultTopK: () => defaultTopK(s, settings.threshold),
  }) ?? { unavailable: 'not offered by the analysis panel' };
  if ('unavailable' in plan) return { ...view, unavailable: plan.unavailable };
  if (plan.label !== undefined) view.label = plan.label;
  if (plan.threshold !== undefined) view.threshold = plan.threshold;
  if (plan.k !== undefined) view.k = plan.k;
  view.notes.push(...(plan.notes ?? []));
  const fgOnly = !plan.withBackground;
  const input = fgOnly
    ? foregroundInput(s)
    : { data: s.prob.data, shape: [...s.prob.shape], classes: s.layout.classOfChannel };
  const classes = input.classes;
  const options: DecodeOptions = { ...plan.options, decoder };
  const r = decode(
    { data: input.data, shape: input.shape },
    {
      ...options,
      outputMode: 'multiclass',
      unassignedPolicy: fgOnly ? 'void' : 'max_score',
      voidIndex: 65535,
    },
  );
  const out = r.mask.data;
  const single = input.shape[0] === 1;
  for (let i = 0; i < n; i++) {
    const v = out[i];
    // One channel: the label map is the binary decision (1 = selected); otherwise a channel index or void.
    labels[i] = single ? (v === 1 ? classes[0] : 0) : v === 65535 ? 0 : classes[v];
  }
  view.labels = labels;
  view.solver = r.solver;
  view.meanExpectedDice = r.meanExpectedDice;
  view.meanExpectedIoU = r.meanExpectedIoU;
  view.notes.push(...r.notes);
  view.perClass = r.images[0].classes
    .map((c, j) => ({
      cls: classes[j],
      k: c.k,
      expectedDice: c.expectedDice,
      expectedIoU: c.expectedIoU,
      cutoffProb: c.cutoffProb,
    }))
    .filter((c) => c.cls !== 0);
  if (s.gt) {
    view.metrics = computeImageMetrics(
      s.gt,
      { data: labels, shape: s.gt.shape },
      { prob: s.prob, config: metricsConfig(s.layout) },
    );
  }
  view.elapsedMs = performance.now() - start;
  return view;
}

/**
 * The threshold decoder's label map alone (no expected scores, no metrics): what the slider needs on a map over
 * the ranking budget. Same decision as analysisDecode's threshold (core decoder, p > t, void = background).
 */
export function analysisThresholdMask(
  s: LoadedAnalysisSample,
  threshold: number,
): { labels: Uint8Array | Uint16Array; selected: number } {
  const input = foregroundInput(s);
  const n = s.width * s.height;
  const labels = labelArray(n, s.layout.numClasses);
  const r = decode(
    { data: input.data, shape: input.shape },
    {
      decoder: 'threshold',
      threshold,
      outputMode: 'multiclass',
      unassignedPolicy: 'void',
      voidIndex: 65535,
      evaluate: false,
    },
  );
  const out = r.mask.data;
  const single = input.shape[0] === 1;
  const classes = input.classes;
  let selected = 0;
  for (let i = 0; i < n; i++) {
    const v = out[i];
    const k = single ? (v === 1 ? classes[0] : 0) : v === 65535 ? 0 : classes[v];
    labels[i] = k;
    if (k !== 0) selected++;
  }
  return { labels, selected };
}

/** Expected Dice of the top-k mask per foreground class for k ≤ maxK (see core expectedDiceByK). */
export function analysisCurve(
  s: LoadedAnalysisSample,
  maxK: number,
  shouldCancel?: () => boolean,
): ExpectedCurve {
  const input = foregroundInput(s);
  const n = s.width * s.height;
  const K = Math.min(n, Math.max(1, Math.floor(maxK)));
  const maxPoints = 400;
  const perClass: Record<string, number[]> = {};
  input.classes.forEach((c, j) => {
    const probs = input.data.subarray(j * n, (j + 1) * n);
    perClass[String(c)] = Array.from(expectedDiceByK(probs, { maxK: K, maxPoints, shouldCancel }));
  });
  return { ks: Array.from(curveKs(K, maxPoints)), perClass, maxK: K };
}
