/**
 * Every metric of one image (the IMAGE object of the fixtures' README): pixel accuracy, per included class the
 * confusion counts, overlap, surface and object metrics, the macro over present classes, and calibration when a
 * probability map is given. The heavy parts work on the bounding box of each class (see crop.ts).
 */
import { LabelData, LabelMap, ProbMap, pixelCount } from '../types';
import { MetricsConfig, includedClasses, resolveMetricsConfig } from './config';
import { calibrationFromBins, topLabelBins } from './calibration';
import { binsAndSweep, binsAndSweepBinary } from './probPass';
import { classChannel } from './channels';
import { Components, connectedComponents } from './components';
import { classPixelCounts } from './confusion';
import { withAggregationData } from './aggregationData';
import { classBoxes, cropClass } from './crop';
import { macroMean } from './mean';
import { objectMetrics } from './objects';
import { overlapMetrics } from './overlap';
import { emptyCaseOf } from './ratio';
import { physicalDiagonal, surfaceMetricsOfCrop } from './surface';
import type { SharedGtWork } from './sharedGt';
import {
  CalibrationBins,
  ClassImageMetrics,
  ImageAggregationData,
  ImageCalibration,
  ImageMetrics,
  MacroOverlap,
  OVERLAP_KEYS,
  ObjectMetrics,
  OverlapMetrics,
} from './types';
import { InputSources, resolveIgnore, validateMetricInputs } from './validate';
import { wordsOf } from './scan';

export interface ImageMetricsOptions {
  /** Probability map [C, …spatial] (C = 1: probability of class 1); enables calibration and the sweep. */
  prob?: ProbMap;
  /** Spacing per array axis ([dy, dx]); default all 1. */
  spacing?: readonly number[];
  /** Configuration keys of spec §0.4; missing keys take the defaults. */
  config?: Partial<MetricsConfig>;
  /** Names for error messages (file paths). */
  sources?: InputSources;
  /**
   * GT work shared with other predictions of the same image (sharedGt.ts): the dataset mode scores every decoder
   * against one GT and computes its crops, surfaces, distance transforms and components once. Numbers are the same
   * with or without it.
   */
  shared?: SharedGtWork;
  /**
   * The prediction's labels are known to lie in [0, numClasses) because the caller made them (a decoder's label
   * map in the dataset mode): their range pass is skipped. Never set it for a label map read from a file.
   * @default false
   */
  predInRange?: boolean;
}

/**
 * Connectivities reported per dimension: the two extremes, plus the configured one. The config's 2-D values
 * carry over to 3-D as the same neighbourhood kind (4 = faces → 6, 8 = full → 26), so the default (8) gives the
 * spec's 3-D default (26) without a separate key.
 */
function reportedConnectivities(nd: number, configured: number): number[] {
  const set = new Set(nd === 3 ? [6, 26] : [4, 8]);
  set.add(nd === 3 ? (({ 4: 6, 8: 26 } as Record<number, number>)[configured] ?? configured) : configured);
  return [...set].sort((a, b) => a - b);
}

const EMPTY_COMPONENTS = (nd: number): Components => ({
  labels: new Int32Array(0),
  count: 0,
  sizes: new Float64Array(1),
  bboxMin: new Int32Array(nd),
  bboxMax: new Int32Array(nd),
});

/**
 * Label data with ignored pixels relabelled to K in both maps (so no class 0…K−1 contains them), the validity
 * mask for the probability-based metrics, and the number of ignored pixels. Without ignored pixels the maps are
 * returned as they are (no copy).
 */
function withoutIgnored(
  gt: LabelMap,
  pred: LabelMap,
  ignore: number | undefined,
  K: number,
  known?: number,
): { g: LabelData; p: LabelData; valid: Uint8Array | undefined; ignored: number } {
  const n = gt.data.length;
  let ignored = known ?? 0;
  if (ignore !== undefined && known === undefined) ignored = countIgnored(gt.data, ignore);
  if (ignored === 0) return { g: gt.data, p: pred.data, valid: undefined, ignored: 0 };
  const g = K + 1 < 256 ? new Uint8Array(n) : new Int32Array(n);
  const p = K + 1 < 256 ? new Uint8Array(n) : new Int32Array(n);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (gt.data[i] === ignore) {
      g[i] = K;
      p[i] = K;
    } else {
      g[i] = gt.data[i];
      p[i] = pred.data[i];
      valid[i] = 1;
    }
  }
  return { g, p, valid, ignored };
}

/** Pixels of the ground truth with the ignore label. A function of its own so V8 optimises the loop alone. */
function countIgnored(data: LabelData, ignore: number): number {
  let count = 0;
  // Zero words (most of a mask) hold no ignored pixel when the ignore label is not 0: skipped four at a time.
  const words = ignore !== 0 ? wordsOf(data) : null;
  const n = data.length;
  for (let i = 0; i < n; i++) {
    if (words !== null && (i & 3) === 0 && i + 4 <= n && words[i >> 2] === 0) {
      i += 3;
      continue;
    }
    if (data[i] === ignore) count++;
  }
  return count;
}

/** Ignored-pixel counts of a shared GT (every decoder of a sample has the same GT), per ignore label. */
const ignoredOfShared = new WeakMap<SharedGtWork, Map<number, number>>();

/**
 * The K × K top-left block of an M × M confusion matrix: with ignored pixels the pass counted them as the extra
 * class K (in both maps), which the block leaves out.
 */
function confusionBlock(m: Float64Array, M: number, K: number): Float64Array {
  if (M === K) return m;
  const out = new Float64Array(K * K);
  for (let a = 0; a < K; a++) out.set(m.subarray(a * M, a * M + K), a * K);
  return out;
}

/** Macro over the given classes of overlap metrics (spec §7.4). */
export function macroOverlap(
  perClass: readonly OverlapMetrics[],
  fBetaKeys: readonly string[],
  policy: MetricsConfig['bothEmpty'],
): MacroOverlap {
  const m = {} as MacroOverlap;
  for (const key of OVERLAP_KEYS)
    m[key] = macroMean(
      perClass.map((o) => o[key]),
      policy,
      1,
    );
  m.fBeta = {};
  for (const b of fBetaKeys)
    m.fBeta[b] = macroMean(
      perClass.map((o) => o.fBeta[b]),
      policy,
      1,
    );
  return m;
}

/**
 * Computes the IMAGE object of the fixtures' README for one image.
 * @param gt ground-truth label map [H, W] (or [D, H, W]); @param pred predicted label map, same shape.
 * @param options.prob optional probability map; options.spacing per-axis spacing; options.config metric config.
 * @throws InputError on shape mismatch, labels ≥ numClasses, probabilities outside [0, 1], bad spacing.
 * @throws OptionError on an invalid configuration key.
 */
export function computeImageMetrics(
  gt: LabelMap,
  pred: LabelMap,
  options: ImageMetricsOptions = {},
): ImageMetrics {
  const config = resolveMetricsConfig(options.config ?? {});
  const shape = gt.shape;
  const nd = shape.length;
  const spacing = options.spacing ?? new Array<number>(nd).fill(1);
  const prob = options.prob;
  const ignore = resolveIgnore(config, gt);
  // Every prediction of the image is checked; the shared GT only once for a given label range.
  const checkKey = `${config.numClasses}:${ignore}`;
  const shared = options.shared;
  validateMetricInputs(
    gt,
    pred,
    prob,
    spacing,
    config,
    options.sources,
    ignore,
    shared?.gtCheckedFor === checkKey,
    options.predInRange === true,
  );
  if (shared) shared.gtCheckedFor = checkKey;
  const K = config.numClasses;
  // With shared GT work the GT's ignored pixels are counted once per image, not once per decoder.
  let known: number | undefined;
  if (shared && ignore !== undefined) {
    let m = ignoredOfShared.get(shared);
    if (!m) ignoredOfShared.set(shared, (m = new Map()));
    known = m.get(ignore);
    if (known === undefined) m.set(ignore, (known = countIgnored(gt.data, ignore)));
  }
  const { g, p, valid, ignored } = withoutIgnored(gt, pred, ignore, K, known);
  // Ignored pixels carry the extra label K in g and p: no class sees them, and they are taken out of N.
  const N = pixelCount(shape) - ignored;
  const counts0 = classPixelCounts(g, p, ignored ? K + 1 : K);
  const { gt: gtCount, pred: predCount, tp: tpCount } = counts0;
  const correct = counts0.correct - (ignored ? tpCount[K] : 0);
  const policy = config.bothEmpty;
  const classes = includedClasses(config);
  const conns = reportedConnectivities(nd, config.connectivity);
  const surfaceOpt = { ...config, spacing };
  // One scan for the bounding boxes of all classes; each class then works on its own crop.
  // Without ignored pixels g and p are the caller's arrays, whose boxes the shared work may already hold.
  const boxes =
    (!ignored && g === gt.data && shared?.boxesOf(p)) || classBoxes(g, p, shape, ignored ? K + 1 : K);
  const perClass: Record<string, ClassImageMetrics> = {};
  const present: number[] = [];
  for (const c of classes) {
    const tp = tpCount[c];
    const fp = predCount[c] - tp;
    const fn = gtCount[c] - tp;
    const counts = { tp, fp, fn, tn: N - tp - fp - fn };
    // With shared GT work, the class is cropped to the box every prediction of the image fits in, and what
    // depends on the GT alone is computed once in it.
    const place = shared ? shared.boxFor(c, boxes[c]) : { box: boxes[c], shared: false };
    const gtWork = place.shared && shared ? shared.classWork(c) : undefined;
    const crop = cropClass(g, p, shape, c, place.box, gtWork?.crop);
    if (gtWork && crop) gtWork.crop = crop.gt;
    const objects: Record<string, ObjectMetrics> = {};
    for (const conn of conns) {
      let gc = crop ? gtWork?.components.get(conn) : EMPTY_COMPONENTS(nd);
      if (!gc && crop) {
        gc = connectedComponents(crop.gt, crop.shape, conn);
        gtWork?.components.set(conn, gc);
      }
      gc ??= EMPTY_COMPONENTS(nd);
      const pc = crop ? connectedComponents(crop.pred, crop.shape, conn) : EMPTY_COMPONENTS(nd);
      objects[String(conn)] = objectMetrics(
        gc,
        pc,
        crop ? crop.origin : new Array<number>(nd).fill(0),
        config,
      );
    }
    if (gtCount[c] + predCount[c] > 0) present.push(c);
    perClass[String(c)] = {
      gtPixels: gtCount[c],
      predPixels: predCount[c],
      gtEmpty: gtCount[c] === 0,
      predEmpty: predCount[c] === 0,
      emptyCase: emptyCaseOf(gtCount[c], predCount[c]),
      counts,
      overlap: overlapMetrics(counts, config.fBetas, policy),
      surface: surfaceMetricsOfCrop(crop, shape, surfaceOpt, gtWork),
      objects,
    };
  }
  const fBetaKeys = config.fBetas.map(String);
  const result: ImageMetrics = {
    pixelAccuracy: correct / N,
    // Only present when the ground truth has ignored pixels, so ordinary results keep the fixtures' schema.
    ...(ignored ? { ignoredPixels: ignored } : {}),
    perClass,
    macroPresentClasses: {
      classes: present,
      metrics: macroOverlap(
        present.map((c) => perClass[String(c)].overlap),
        fBetaKeys,
        policy,
      ),
    },
  };
  const agg: ImageAggregationData = {
    diagonal: physicalDiagonal(shape, spacing),
    pixels: N,
    correctPixels: correct,
  };
  if (counts0.matrix) agg.confusion = confusionBlock(counts0.matrix, ignored ? K + 1 : K, K);
  if (prob) {
    const calibration: ImageCalibration = { perClass: {} };
    const binsPerClass: Record<string, CalibrationBins> = {};
    const sweep: Record<string, { pos: Float64Array; neg: Float64Array }> = {};
    // A one-channel binary map scores class 1 on p and class 0 on 1 − p: both classes in one pass.
    const pair =
      prob.shape[0] === 1 && K === 2 && classes.includes(0) && classes.includes(1)
        ? binsAndSweepBinary(prob, gt, config.eceBins, config.sweepSteps, valid)
        : undefined;
    for (const c of classes) {
      const ch = classChannel(prob.shape[0], c, K, config.backgroundIndex);
      // A foreground-only (multi-label) map has no background channel: that class gets no calibration.
      if (!ch) continue;
      // Calibration bins and sweep histograms in one pass over the class's probabilities.
      const both =
        pair && (c === 0 || c === 1)
          ? pair[c]
          : binsAndSweep(prob, gt, c, config.eceBins, config.sweepSteps, ch, valid);
      const bins = both.bins;
      const s = calibrationFromBins(bins);
      binsPerClass[String(c)] = bins;
      calibration.perClass[String(c)] = { ece: s.ece, mce: s.mce, brier: s.brier, n: s.n };
      sweep[String(c)] = both.sweep;
    }
    agg.calibration = { perClass: binsPerClass };
    if (prob.shape[0] > 1 && prob.shape[0] === K) {
      const { bins, brierSum } = topLabelBins(prob, gt, config.eceBins, valid);
      const s = calibrationFromBins(bins);
      calibration.topLabel = { ece: s.ece, mce: s.mce, n: s.n };
      calibration.multiclassBrier = brierSum / N;
      agg.calibration.topLabel = bins;
      agg.calibration.multiclassBrier = { sumSquaredError: brierSum, n: N };
    }
    agg.sweep = { steps: config.sweepSteps, perClass: sweep };
    result.calibration = calibration;
  }
  return withAggregationData(result, agg);
}
