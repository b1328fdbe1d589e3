/**
 * Dataset aggregation (docs/specs/metrics.md §7): per-image means with their counts, pooled (micro over images) counts,
 * macro over present classes, micro over classes, pooled calibration and the threshold sweep. Every mean carries
 * its level in its name and its n / skipped / both-empty counts.
 */
import { OptionError } from '../errors';
import { MetricsConfig, includedClasses, resolveMetricsConfig } from './config';
import { addBins, calibrationFromBins, emptyBins } from './calibration';
import { macroOverlap } from './imageMetrics';
import { MeanAccumulator, macroMean } from './mean';
import { objectScores } from './objects';
import { overlapMetrics } from './overlap';
import { emptyCaseOf, safeRatio } from './ratio';
import { bestThreshold, sweepCounts, sweepThresholds } from './sweep';
import {
  AGGREGATION_DATA,
  CalibrationBins,
  ClassSweep,
  ConfusionCounts,
  DISTANCE_KEYS,
  DatasetCalibration,
  DatasetClassMetrics,
  DatasetMetrics,
  DatasetObjectMetrics,
  DatasetSweep,
  EmptyCase,
  ImageAggregationData,
  ImageMetrics,
  MacroValue,
  MeanRecord,
  OVERLAP_KEYS,
  OverlapMeans,
  OverlapMetrics,
  SURFACE_KEYS,
  SurfaceKey,
} from './types';

function aggregationData(img: ImageMetrics, index: number): ImageAggregationData {
  const d = img[AGGREGATION_DATA];
  if (!d) {
    throw new OptionError(
      `images[${index}]`,
      'ImageMetrics without aggregation data',
      'a result of computeImageMetrics (JSON round trips drop the data aggregation needs)',
    );
  }
  return d;
}

/** The values of a set of overlap means, shaped like OverlapMetrics (for the macro over classes). */
function meanValues(m: OverlapMeans, fBetaKeys: readonly string[]): OverlapMetrics {
  const fBeta: Record<string, number> = {};
  for (const b of fBetaKeys) fBeta[b] = m.fBeta[b].value;
  return {
    dice: m.dice.value,
    iou: m.iou.value,
    precision: m.precision.value,
    recall: m.recall.value,
    specificity: m.specificity.value,
    accuracy: m.accuracy.value,
    balancedAccuracy: m.balancedAccuracy.value,
    fBeta,
  };
}

function classObjects(
  images: readonly ImageMetrics[],
  key: string,
  conn: string,
  config: MetricsConfig,
): DatasetObjectMetrics {
  let nGt = 0;
  let nPred = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const precision = new MeanAccumulator();
  const recall = new MeanAccumulator();
  const f1 = new MeanAccumulator();
  const missedBySize: Record<string, number> = {};
  const spuriousBySize: Record<string, number> = {};
  const perObjectDice: number[] = [];
  for (const img of images) {
    const o = img.perClass[key].objects[conn];
    nGt += o.nGt;
    nPred += o.nPred;
    tp += o.tp;
    fp += o.fp;
    fn += o.fn;
    precision.add(o.precision, o.emptyCase);
    recall.add(o.recall, o.emptyCase);
    f1.add(o.f1, o.emptyCase);
    for (const [bin, n] of Object.entries(o.missedBySize)) missedBySize[bin] = (missedBySize[bin] ?? 0) + n;
    for (const [bin, n] of Object.entries(o.spuriousBySize))
      spuriousBySize[bin] = (spuriousBySize[bin] ?? 0) + n;
    for (const g of o.gtObjects) perObjectDice.push(g.dice);
  }
  return {
    pooled: {
      nGt,
      nPred,
      tp,
      fp,
      fn,
      emptyCase: emptyCaseOf(nGt, nPred),
      ...objectScores(tp, fp, fn, config.bothEmpty),
    },
    imageMean: { precision: precision.record(), recall: recall.record(), f1: f1.record() },
    missedBySize,
    spuriousBySize,
    perObjectDice,
  };
}

function classMetrics(
  images: readonly ImageMetrics[],
  data: readonly ImageAggregationData[],
  key: string,
  config: MetricsConfig,
): DatasetClassMetrics {
  const counts: ConfusionCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  let gtPixels = 0;
  let predPixels = 0;
  const byCase: Record<EmptyCase, number> = { none: 0, both_empty: 0, gt_empty_only: 0, pred_empty_only: 0 };
  const fBetaKeys = config.fBetas.map(String);
  const overlapAcc = new Map<string, MeanAccumulator>();
  for (const k of [...OVERLAP_KEYS, ...fBetaKeys.map((b) => `fBeta:${b}`)])
    overlapAcc.set(k, new MeanAccumulator());
  const surfaceAcc = new Map<SurfaceKey, MeanAccumulator>();
  for (const k of SURFACE_KEYS) surfaceAcc.set(k, new MeanAccumulator());
  images.forEach((img, i) => {
    const c = img.perClass[key];
    counts.tp += c.counts.tp;
    counts.fp += c.counts.fp;
    counts.fn += c.counts.fn;
    counts.tn += c.counts.tn;
    gtPixels += c.gtPixels;
    predPixels += c.predPixels;
    byCase[c.emptyCase]++;
    for (const k of OVERLAP_KEYS) overlapAcc.get(k)?.add(c.overlap[k], c.emptyCase);
    for (const b of fBetaKeys) overlapAcc.get(`fBeta:${b}`)?.add(c.overlap.fBeta[b], c.emptyCase);
    for (const k of SURFACE_KEYS) surfaceAcc.get(k)?.add(c.surface[k], c.emptyCase, data[i].diagonal);
  });
  const imageMean = {} as OverlapMeans;
  for (const k of OVERLAP_KEYS) imageMean[k] = (overlapAcc.get(k) as MeanAccumulator).record();
  imageMean.fBeta = {};
  for (const b of fBetaKeys) imageMean.fBeta[b] = (overlapAcc.get(`fBeta:${b}`) as MeanAccumulator).record();
  const surfaceImageMean = {} as Record<SurfaceKey, MeanRecord>;
  const isDistance = new Set<string>(DISTANCE_KEYS);
  for (const k of SURFACE_KEYS)
    surfaceImageMean[k] = (surfaceAcc.get(k) as MeanAccumulator).record(isDistance.has(k));
  const objects: Record<string, DatasetObjectMetrics> = {};
  const conns = images.length ? Object.keys(images[0].perClass[key].objects) : [];
  for (const conn of conns) objects[conn] = classObjects(images, key, conn, config);
  return {
    gtPixels,
    predPixels,
    emptyCase: emptyCaseOf(gtPixels, predPixels),
    imagesByEmptyCase: byCase,
    pooledCounts: counts,
    pooled: overlapMetrics(counts, config.fBetas, config.bothEmpty),
    imageMean,
    surfaceImageMean,
    objects,
  };
}

function datasetCalibration(
  data: readonly ImageAggregationData[],
  classes: readonly number[],
  nBins: number,
): DatasetCalibration | undefined {
  if (data.length === 0 || !data.every((d) => d.calibration)) return undefined;
  const out: DatasetCalibration = { perClass: {} };
  for (const c of classes) {
    const key = String(c);
    // Classes without a probability channel (the background of a foreground-only map) have no calibration.
    if (!data.every((d) => d.calibration?.perClass[key])) continue;
    const pooled = emptyBins(nBins);
    const ece = new MeanAccumulator();
    const mce = new MeanAccumulator();
    const brier = new MeanAccumulator();
    for (const d of data) {
      const bins = d.calibration?.perClass[key] as CalibrationBins;
      addBins(pooled, bins);
      const s = calibrationFromBins(bins);
      ece.add(s.ece);
      mce.add(s.mce);
      brier.add(s.brier);
    }
    out.perClass[key] = {
      pooled: calibrationFromBins(pooled),
      imageMean: { ece: ece.record(), mce: mce.record(), brier: brier.record() },
    };
  }
  if (data.every((d) => d.calibration?.topLabel && d.calibration.multiclassBrier)) {
    const pooled = emptyBins(nBins);
    const ece = new MeanAccumulator();
    const mce = new MeanAccumulator();
    const brier = new MeanAccumulator();
    let sum = 0;
    let n = 0;
    for (const d of data) {
      const bins = d.calibration?.topLabel as CalibrationBins;
      addBins(pooled, bins);
      const s = calibrationFromBins(bins);
      ece.add(s.ece);
      mce.add(s.mce);
      const mb = d.calibration?.multiclassBrier as { sumSquaredError: number; n: number };
      sum += mb.sumSquaredError;
      n += mb.n;
      brier.add(mb.sumSquaredError / mb.n);
    }
    const p = calibrationFromBins(pooled);
    out.topLabel = {
      pooled: { ece: p.ece, mce: p.mce, n: p.n, reliability: p.reliability },
      imageMean: { ece: ece.record(), mce: mce.record() },
    };
    out.multiclassBrier = { pooled: sum / n, imageMean: brier.record() };
  }
  return out;
}

function datasetSweep(
  data: readonly ImageAggregationData[],
  classes: readonly number[],
  config: MetricsConfig,
): DatasetSweep | undefined {
  if (data.length === 0 || !data.every((d) => d.sweep && d.sweep.steps === config.sweepSteps))
    return undefined;
  const K = config.sweepSteps;
  const thresholds = sweepThresholds(K);
  const policy = config.bothEmpty;
  const perClass: Record<string, ClassSweep> = {};
  for (const c of classes) {
    const key = String(c);
    if (!data.every((d) => d.sweep?.perClass[key])) continue;
    const pos = new Float64Array(K + 1);
    const neg = new Float64Array(K + 1);
    const diceAcc = thresholds.map(() => new MeanAccumulator());
    const iouAcc = thresholds.map(() => new MeanAccumulator());
    for (const d of data) {
      const h = d.sweep?.perClass[key] as { pos: Float64Array; neg: Float64Array };
      const { tp, fp, positives } = sweepCounts(h.pos, h.neg);
      for (let k = 0; k <= K; k++) {
        pos[k] += h.pos[k];
        neg[k] += h.neg[k];
        const fn = positives - tp[k];
        const ec = emptyCaseOf(positives, tp[k] + fp[k]);
        diceAcc[k].add(safeRatio(2 * tp[k], 2 * tp[k] + fp[k] + fn, fp[k], fn, policy), ec);
        iouAcc[k].add(safeRatio(tp[k], tp[k] + fp[k] + fn, fp[k], fn, policy), ec);
      }
    }
    const { tp, fp, positives } = sweepCounts(pos, neg);
    const pooledDice: number[] = [];
    const pooledIou: number[] = [];
    for (let k = 0; k <= K; k++) {
      const fn = positives - tp[k];
      pooledDice.push(safeRatio(2 * tp[k], 2 * tp[k] + fp[k] + fn, fp[k], fn, policy));
      pooledIou.push(safeRatio(tp[k], tp[k] + fp[k] + fn, fp[k], fn, policy));
    }
    const diceRecords = diceAcc.map((a) => a.record());
    const imageMeanDice = diceRecords.map((r) => r.value);
    const imageMeanIou = iouAcc.map((a) => a.record().value);
    perClass[key] = {
      pooledDice,
      pooledIou,
      imageMeanDice,
      imageMeanIou,
      imageMeanBothEmptyIncluded: diceRecords.map((r) => r.bothEmptyIncluded),
      best: {
        pooledDice: bestThreshold(thresholds, pooledDice),
        pooledIou: bestThreshold(thresholds, pooledIou),
        imageMeanDice: bestThreshold(thresholds, imageMeanDice),
        imageMeanIou: bestThreshold(thresholds, imageMeanIou),
      },
    };
  }
  return { thresholds, rule: 'pred = p >= t', perClass };
}

/**
 * Aggregates per-image results into the DATASET object of the fixtures' README.
 * @param images results of computeImageMetrics, all computed with the same configuration.
 * @param config the configuration they were computed with (missing keys take the defaults).
 */
export function aggregateDataset(
  images: readonly ImageMetrics[],
  config: Partial<MetricsConfig> = {},
): DatasetMetrics {
  const cfg = resolveMetricsConfig(config);
  const data = images.map(aggregationData);
  const classes = includedClasses(cfg);
  const policy = cfg.bothEmpty;
  let pixels = 0;
  let correct = 0;
  const pixelAcc = new MeanAccumulator();
  images.forEach((img, i) => {
    pixels += data[i].pixels;
    correct += data[i].correctPixels;
    pixelAcc.add(img.pixelAccuracy);
  });
  const perClass: Record<string, DatasetClassMetrics> = {};
  const micro: ConfusionCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const present: number[] = [];
  const absent: number[] = [];
  for (const c of classes) {
    const m = classMetrics(images, data, String(c), cfg);
    perClass[String(c)] = m;
    micro.tp += m.pooledCounts.tp;
    micro.fp += m.pooledCounts.fp;
    micro.fn += m.pooledCounts.fn;
    micro.tn += m.pooledCounts.tn;
    if (m.gtPixels + m.predPixels > 0) present.push(c);
    else absent.push(c);
  }
  const fBetaKeys = cfg.fBetas.map(String);
  const presentMetrics = present.map((c) => perClass[String(c)]);
  const imageMeanValues = presentMetrics.map((m) => meanValues(m.imageMean, fBetaKeys));
  const surfaceImageMean = {} as Record<SurfaceKey, MacroValue>;
  const isDistance = new Set<string>(DISTANCE_KEYS);
  for (const k of SURFACE_KEYS) {
    surfaceImageMean[k] = macroMean(
      presentMetrics.map((m) => m.surfaceImageMean[k].value),
      policy,
      isDistance.has(k) ? 0 : 1,
    );
  }
  const result: DatasetMetrics = {
    pixelAccuracy: { pooled: pixels === 0 ? Number.NaN : correct / pixels, imageMean: pixelAcc.record() },
    perClass,
    macro: {
      classes: present,
      absentClasses: absent,
      pooled: macroOverlap(
        presentMetrics.map((m) => m.pooled),
        fBetaKeys,
        policy,
      ),
      imageMean: macroOverlap(imageMeanValues, fBetaKeys, policy),
      surfaceImageMean,
    },
    microOverClasses: { counts: micro, metrics: overlapMetrics(micro, cfg.fBetas, policy) },
  };
  const calibration = datasetCalibration(data, classes, cfg.eceBins);
  if (calibration) result.calibration = calibration;
  const sweep = datasetSweep(data, classes, cfg);
  if (sweep) result.sweep = sweep;
  return result;
}
