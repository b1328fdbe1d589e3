/**
 * Result types of the metric core. Their JSON form is the IMAGE and DATASET schema of the public fixtures'
 * README (test/fixtures/metrics/README.md); field names and nesting are a contract with the CLI and the viewer.
 * Non-finite numbers stay numbers here (NaN = undefined, +Infinity = distance to an empty set); the CLI writes them
 * as the strings "NaN" / "Infinity".
 */

/** Which side of an (image, class) pair is empty (spec §1). */
export type EmptyCase = 'none' | 'both_empty' | 'gt_empty_only' | 'pred_empty_only';

export interface ConfusionCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Overlap metrics of spec §2.2; `fBeta` is keyed by the shortest decimal form of β. */
export interface OverlapMetrics {
  dice: number;
  iou: number;
  precision: number;
  recall: number;
  specificity: number;
  accuracy: number;
  balancedAccuracy: number;
  fBeta: Record<string, number>;
}

// The metric key lists are derived from the metric registry (./registry); re-exported here for their callers.
export { OVERLAP_KEYS, DISTANCE_KEYS, SURFACE_KEYS } from './registry';
import type { OverlapKey, SurfaceKey } from './registry';
export type { OverlapKey, SurfaceKey };

/** Surface metrics of spec §3 (distances in physical units). */
export interface SurfaceMetrics {
  nGtSurface: number;
  nPredSurface: number;
  boundaryIouBandWidth: number;
  hd: number;
  hd95: number;
  assd: number;
  meanDistGtToPred: number;
  meanDistPredToGt: number;
  nsd: number;
  boundaryIou: number;
}

/** Inclusive bounding box, one coordinate per array axis. */
export interface BoundingBox {
  min: number[];
  max: number[];
}

export interface GtObjectRecord {
  id: number;
  size: number;
  bbox: BoundingBox;
  /** Id of the matched predicted object, or null. */
  matchedPred: number | null;
  /** IoU and Dice of the matched pair (0 when unmatched). */
  iou: number;
  dice: number;
  /** Best IoU with any predicted object (shows splits and merges that fail the threshold). */
  maxIou: number;
}

export interface PredObjectRecord {
  id: number;
  size: number;
  bbox: BoundingBox;
  matchedGt: number | null;
  iou: number;
  maxIou: number;
}

/** Object-level results for one connectivity (spec §4). */
export interface ObjectMetrics {
  nGt: number;
  nPred: number;
  tp: number;
  fn: number;
  fp: number;
  emptyCase: EmptyCase;
  precision: number;
  recall: number;
  f1: number;
  gtObjects: GtObjectRecord[];
  predObjects: PredObjectRecord[];
  missedBySize: Record<string, number>;
  spuriousBySize: Record<string, number>;
}

/** Everything computed for one (image, class) pair. */
export interface ClassImageMetrics {
  gtPixels: number;
  predPixels: number;
  gtEmpty: boolean;
  predEmpty: boolean;
  emptyCase: EmptyCase;
  counts: ConfusionCounts;
  overlap: OverlapMetrics;
  surface: SurfaceMetrics;
  /** Keyed by connectivity ("4" and "8" in 2-D, "6" and "26" in 3-D, plus config.connectivity). */
  objects: Record<string, ObjectMetrics>;
}

/** A macro mean over classes: the value and how many classes it averaged (spec §7.4). */
export interface MacroValue {
  value: number;
  nClasses: number;
}

export interface MacroOverlap {
  dice: MacroValue;
  iou: MacroValue;
  precision: MacroValue;
  recall: MacroValue;
  specificity: MacroValue;
  accuracy: MacroValue;
  balancedAccuracy: MacroValue;
  fBeta: Record<string, MacroValue>;
}

export interface CalibrationScores {
  ece: number;
  mce: number;
  brier: number;
  n: number;
}

export interface ImageCalibration {
  /** One-vs-rest calibration per included class (spec §5.1). */
  perClass: Record<string, CalibrationScores>;
  /** Top-label calibration ([C,H,W] maps only). */
  topLabel?: { ece: number; mce: number; n: number };
  /** Multi-class Brier score, range [0, 2] ([C,H,W] maps only). */
  multiclassBrier?: number;
}

/** Per-bin sums kept for pooling calibration over a dataset. */
export interface CalibrationBins {
  count: Float64Array;
  sumConfidence: Float64Array;
  sumOutcome: Float64Array;
  /** Σ (p − y)² over the pixels (one-vs-rest) or Σ over classes (multi-class Brier). */
  sumSquaredError: number;
  n: number;
}

/** Data an image contributes to dataset aggregation beyond its IMAGE JSON (not serialised). */
export interface ImageAggregationData {
  /** Physical image diagonal: the stand-in for +∞ in `valueInfAsDiagonal` (spec §7.2). */
  diagonal: number;
  /** Number of pixels of the image. */
  pixels: number;
  /** Pixels where gt = pred (all classes). */
  correctPixels: number;
  /**
   * Pixels per (GT class, predicted class), K × K row-major, ignored pixels left out; present when K ≤ 64 (the
   * pixel-count pass forms it anyway, so a dataset row's confusion matrix needs no pass of its own).
   */
  confusion?: Float64Array;
  calibration?: {
    perClass: Record<string, CalibrationBins>;
    topLabel?: CalibrationBins;
    multiclassBrier?: { sumSquaredError: number; n: number };
  };
  /** Threshold-sweep histograms per included class: k* of GT-positive and GT-negative pixels (spec §6). */
  sweep?: { steps: number; perClass: Record<string, { pos: Float64Array; neg: Float64Array }> };
}

/** Symbol key under which an ImageMetrics carries its aggregation data; JSON.stringify skips it. */
export const AGGREGATION_DATA: unique symbol = Symbol('seglens.aggregationData');

/** The IMAGE object of the fixtures' README: every metric of one image. */
export interface ImageMetrics {
  /** Pixel accuracy over all classes incl. background (spec §2.4). */
  pixelAccuracy: number;
  /** Ground-truth pixels with the ignore label, left out of every metric (only present when > 0). */
  ignoredPixels?: number;
  perClass: Record<string, ClassImageMetrics>;
  macroPresentClasses: { classes: number[]; metrics: MacroOverlap };
  calibration?: ImageCalibration;
  [AGGREGATION_DATA]?: ImageAggregationData;
}

/** A mean over images, never shown without its counts (spec §7.2). */
export interface MeanRecord {
  value: number;
  n: number;
  skippedUndefined: number;
  skippedInfinite: number;
  bothEmptyIncluded: number;
  /** Distances only: the mean with each +∞ replaced by that image's physical diagonal. */
  valueInfAsDiagonal?: number;
}

export interface OverlapMeans {
  dice: MeanRecord;
  iou: MeanRecord;
  precision: MeanRecord;
  recall: MeanRecord;
  specificity: MeanRecord;
  accuracy: MeanRecord;
  balancedAccuracy: MeanRecord;
  fBeta: Record<string, MeanRecord>;
}

export interface DatasetObjectMetrics {
  pooled: {
    nGt: number;
    nPred: number;
    tp: number;
    fp: number;
    fn: number;
    emptyCase: EmptyCase;
    precision: number;
    recall: number;
    f1: number;
  };
  imageMean: { precision: MeanRecord; recall: MeanRecord; f1: MeanRecord };
  missedBySize: Record<string, number>;
  spuriousBySize: Record<string, number>;
  /** Dice of every GT object, image order then id order. */
  perObjectDice: number[];
}

export interface DatasetClassMetrics {
  gtPixels: number;
  predPixels: number;
  /** Empty case of the pooled counts. */
  emptyCase: EmptyCase;
  imagesByEmptyCase: Record<EmptyCase, number>;
  pooledCounts: ConfusionCounts;
  pooled: OverlapMetrics;
  imageMean: OverlapMeans;
  surfaceImageMean: Record<SurfaceKey, MeanRecord>;
  objects: Record<string, DatasetObjectMetrics>;
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  /** null for an empty bin (plotted as a gap). */
  meanConfidence: number | null;
  observedFrequency: number | null;
}

export interface PooledCalibration {
  ece: number;
  mce: number;
  brier: number;
  n: number;
  reliability: ReliabilityBin[];
}

export interface DatasetCalibration {
  perClass: Record<
    string,
    { pooled: PooledCalibration; imageMean: { ece: MeanRecord; mce: MeanRecord; brier: MeanRecord } }
  >;
  topLabel?: {
    pooled: { ece: number; mce: number; n: number; reliability: ReliabilityBin[] };
    imageMean: { ece: MeanRecord; mce: MeanRecord };
  };
  multiclassBrier?: { pooled: number; imageMean: MeanRecord };
}

export interface SweepBest {
  threshold: number;
  value: number;
}

export interface ClassSweep {
  pooledDice: number[];
  pooledIou: number[];
  imageMeanDice: number[];
  imageMeanIou: number[];
  imageMeanBothEmptyIncluded: number[];
  best: { pooledDice: SweepBest; pooledIou: SweepBest; imageMeanDice: SweepBest; imageMeanIou: SweepBest };
}

export interface DatasetSweep {
  thresholds: number[];
  rule: 'pred = p >= t';
  perClass: Record<string, ClassSweep>;
}

/** The DATASET object of the fixtures' README. */
export interface DatasetMetrics {
  pixelAccuracy: { pooled: number; imageMean: MeanRecord };
  perClass: Record<string, DatasetClassMetrics>;
  macro: {
    classes: number[];
    absentClasses: number[];
    pooled: MacroOverlap;
    imageMean: MacroOverlap;
    surfaceImageMean: Record<SurfaceKey, MacroValue>;
  };
  microOverClasses: { counts: ConfusionCounts; metrics: OverlapMetrics };
  calibration?: DatasetCalibration;
  sweep?: DatasetSweep;
}
