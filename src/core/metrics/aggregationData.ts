/**
 * Access to the data an ImageMetrics carries for dataset aggregation (per-bin calibration sums, sweep histograms,
 * pixel counts, the image diagonal). It lives under a symbol key so that JSON output keeps the fixtures' schema;
 * structured clone (postMessage to or from a worker) drops symbol keys too, so a worker sends it alongside the
 * result and the receiver re-attaches it before calling aggregateDataset.
 */
import { AGGREGATION_DATA, ImageAggregationData, ImageMetrics } from './types';

/** The aggregation data of a result of computeImageMetrics (undefined after a JSON or structured-clone trip). */
export function aggregationDataOf(m: ImageMetrics): ImageAggregationData | undefined {
  return m[AGGREGATION_DATA];
}

/** Re-attaches aggregation data (e.g. received from a worker) to an ImageMetrics; returns the same object. */
export function withAggregationData(m: ImageMetrics, data: ImageAggregationData): ImageMetrics {
  Object.defineProperty(m, AGGREGATION_DATA, { value: data, enumerable: false, configurable: true });
  return m;
}
