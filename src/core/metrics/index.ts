/**
 * Public API of the metric core (docs/specs/metrics.md). The viewer, the worker pool and the CLI import from here.
 * Loaders for the inputs live in src/core/io (readNpy, readNpz, normaliseLabelMap, detectProbLayout, load*), and
 * pairing of files into samples in src/core/dataset (pairSamples).
 */
export { computeImageMetrics } from './imageMetrics';
export type { ImageMetricsOptions } from './imageMetrics';
export { aggregateDataset } from './aggregate';
export { aggregationDataOf, withAggregationData } from './aggregationData';
export { defaultMetricsConfig, resolveMetricsConfig, includedClasses, sizeBinLabels } from './config';
export type { MetricsConfig, BothEmptyPolicy } from './config';
export { connectedComponents } from './components';
export type { Components } from './components';
export { thresholdSweep, bestThreshold, sweepThresholds } from './sweep';
export type { ImageSweep } from './sweep';
export { reliability } from './calibration';
export { squaredEdt } from './edt';
export { surfaceMetrics } from './surface';
export { boundaryIouOfCrop, physicalDiagonal, boundaryBandWidth } from './boundaryIou';
export { overlapMetrics } from './overlap';
export { classChannel } from './channels';
export { AGGREGATION_DATA, OVERLAP_KEYS, SURFACE_KEYS, DISTANCE_KEYS } from './types';
export { METRICS, METRIC_CSV_COLUMNS, metricLabel, metricDescription } from './registry';
export type { MetricRow, MetricKey, DistanceKey } from './registry';
export type * from './types';
