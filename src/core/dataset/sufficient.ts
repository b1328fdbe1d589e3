/**
 * Sufficient statistics of one evaluated image: everything the dataset aggregation (src/core/metrics/aggregate.ts)
 * reads beyond the IMAGE JSON, as plain JSON (integer counts, exact float64 sums, calibration bin counts and sums —
 * never bin means). A row that carries them can be written to a file, merged with other shards and aggregated
 * again: `aggregateRows` of the same rows in the same order gives bit-identical DATASET objects.
 */
import { aggregateDataset } from '../metrics/aggregate';
import { aggregationDataOf, withAggregationData } from '../metrics/aggregationData';
import type { MetricsConfig } from '../metrics/config';
import type { CalibrationBins, DatasetMetrics, ImageAggregationData, ImageMetrics } from '../metrics/types';

export interface BinsStats {
  count: number[];
  sumConfidence: number[];
  sumOutcome: number[];
  sumSquaredError: number;
  n: number;
}

/** The JSON form of ImageAggregationData (Float64Arrays as lists). */
export interface SufficientStats {
  /** Physical diagonal of the image (stand-in for +∞ distances). */
  diagonal: number;
  /** Pixels of the image (ignored pixels excluded). */
  pixels: number;
  /** Pixels where GT = prediction. */
  correctPixels: number;
  calibration?: {
    perClass: Record<string, BinsStats>;
    topLabel?: BinsStats;
    multiclassBrier?: { sumSquaredError: number; n: number };
  };
  /** Histograms of the sweep: per class, pixels of each threshold step, GT-positive and GT-negative. */
  sweep?: { steps: number; perClass: Record<string, { pos: number[]; neg: number[] }> };
}

function binsToStats(b: CalibrationBins): BinsStats {
  return {
    count: Array.from(b.count),
    sumConfidence: Array.from(b.sumConfidence),
    sumOutcome: Array.from(b.sumOutcome),
    sumSquaredError: b.sumSquaredError,
    n: b.n,
  };
}

function statsToBins(s: BinsStats): CalibrationBins {
  return {
    count: Float64Array.from(s.count),
    sumConfidence: Float64Array.from(s.sumConfidence),
    sumOutcome: Float64Array.from(s.sumOutcome),
    sumSquaredError: s.sumSquaredError,
    n: s.n,
  };
}

function mapValues<A, B>(r: Record<string, A>, f: (a: A) => B): Record<string, B> {
  const out: Record<string, B> = {};
  for (const [k, v] of Object.entries(r)) out[k] = f(v);
  return out;
}

/** The sufficient statistics of a result of computeImageMetrics. @throws Error when it has none. */
export function sufficientStatsOf(m: ImageMetrics): SufficientStats {
  const d = aggregationDataOf(m);
  if (!d) throw new Error('ImageMetrics without aggregation data (not a result of computeImageMetrics)');
  return toSufficientStats(d);
}

export function toSufficientStats(d: ImageAggregationData): SufficientStats {
  const s: SufficientStats = { diagonal: d.diagonal, pixels: d.pixels, correctPixels: d.correctPixels };
  if (d.calibration) {
    s.calibration = { perClass: mapValues(d.calibration.perClass, binsToStats) };
    if (d.calibration.topLabel) s.calibration.topLabel = binsToStats(d.calibration.topLabel);
    if (d.calibration.multiclassBrier) s.calibration.multiclassBrier = { ...d.calibration.multiclassBrier };
  }
  if (d.sweep) {
    s.sweep = {
      steps: d.sweep.steps,
      perClass: mapValues(d.sweep.perClass, (h) => ({ pos: Array.from(h.pos), neg: Array.from(h.neg) })),
    };
  }
  return s;
}

export function fromSufficientStats(s: SufficientStats): ImageAggregationData {
  const d: ImageAggregationData = { diagonal: s.diagonal, pixels: s.pixels, correctPixels: s.correctPixels };
  if (s.calibration) {
    d.calibration = { perClass: mapValues(s.calibration.perClass, statsToBins) };
    if (s.calibration.topLabel) d.calibration.topLabel = statsToBins(s.calibration.topLabel);
    if (s.calibration.multiclassBrier) d.calibration.multiclassBrier = { ...s.calibration.multiclassBrier };
  }
  if (s.sweep) {
    d.sweep = {
      steps: s.sweep.steps,
      perClass: mapValues(s.sweep.perClass, (h) => ({
        pos: Float64Array.from(h.pos),
        neg: Float64Array.from(h.neg),
      })),
    };
  }
  return d;
}

/** An IMAGE object (e.g. parsed from JSON, or received from a worker) with its statistics attached again. */
export function imageWithStats(image: ImageMetrics, stats: SufficientStats): ImageMetrics {
  return withAggregationData(image, fromSufficientStats(stats));
}

/**
 * The DATASET object of ordered rows, from the rows alone: the single definition the CLI, the merge of shards and
 * the dataset view all use. Row order matters only for order-dependent fields (e.g. perObjectDice lists).
 */
export function aggregateRows(
  rows: readonly { image: ImageMetrics; stats: SufficientStats }[],
  config: MetricsConfig,
): DatasetMetrics {
  return aggregateDataset(
    rows.map((r) => imageWithStats(r.image, r.stats)),
    config,
  );
}
