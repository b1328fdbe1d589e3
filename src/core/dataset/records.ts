/**
 * The compact text form of what dataset aggregation needs from a row (IMAGE object, sufficient statistics, mean
 * Dice, confusion counts), so that a host can hand the rows of a whole set to a worker as strings — cheap to copy
 * between threads, unlike a graph of 10,000 objects — and aggregate there. Non-finite numbers are written as
 * "NaN" / "Infinity" / "-Infinity" (JSON has no such literals) and read back as numbers.
 */
import type { MetricsConfig } from '../metrics/config';
import type { DatasetMetrics, ImageMetrics } from '../metrics/types';
import type { EvalRow } from './rows';
import { DatasetSummary, datasetSummary, sumConfusion } from './summary';
import { SufficientStats, aggregateRows } from './sufficient';

export interface AggregationRecord {
  image: ImageMetrics;
  stats: SufficientStats;
  meanDice: number;
  confusion?: number[];
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** The record of an evaluated row as text (undefined for a row without metrics). */
export function encodeRecord(row: EvalRow): string | undefined {
  if (row.error || !row.image || !row.stats) return undefined;
  const record: AggregationRecord = { image: row.image, stats: row.stats, meanDice: row.meanDice };
  if (row.confusion) record.confusion = row.confusion;
  return JSON.stringify(record, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );
}

export function decodeRecord(text: string): AggregationRecord {
  // Only numbers are ever written as these strings: a record holds no ids or paths.
  return JSON.parse(text, (_k, v: unknown) =>
    typeof v === 'string' && Object.hasOwn(NON_FINITE, v) ? NON_FINITE[v] : v,
  ) as AggregationRecord;
}

export interface RecordsSummary {
  images: number;
  dataset?: DatasetMetrics;
  summary?: DatasetSummary;
  confusion?: number[][];
}

/** DATASET object, summary and confusion matrix of ordered records (the same functions as everywhere). */
export function summarizeRecords(
  records: readonly AggregationRecord[],
  config: MetricsConfig,
): RecordsSummary {
  if (records.length === 0) return { images: 0 };
  const dataset = aggregateRows(records, config);
  const confusion = sumConfusion(records);
  return {
    images: records.length,
    dataset,
    summary: datasetSummary(records, dataset),
    ...(confusion ? { confusion } : {}),
  };
}
