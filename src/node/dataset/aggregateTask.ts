/**
 * Dataset aggregation in a worker thread: the host sends the rows of each (model, decoder) as record strings (see
 * core/dataset/records.ts) and gets the DATASET objects, summaries and confusion matrices back, so aggregating
 * 10,000 images (seconds of work) never runs on the extension host's thread.
 */
import { decodeRecord, RecordsSummary, summarizeRecords } from '../../core/dataset/records';
import type { MetricsConfig } from '../../core/metrics/config';
import type { TaskContext, TaskResult } from '../workers/taskTypes';

export interface DatasetAggregateInput {
  config: MetricsConfig;
  /** Per (model, decoder), its rows' records in id order. */
  groups: string[][];
}

export function aggregateGroups(input: DatasetAggregateInput): RecordsSummary[] {
  return input.groups.map((g) => summarizeRecords(g.map(decodeRecord), input.config));
}

export const AGGREGATE_TASKS = {
  /** DATASET object, summary and confusion of each group of rows (src/node/dataset/aggregateTask.ts). */
  async datasetAggregate(
    input: DatasetAggregateInput,
    ctx: TaskContext,
  ): Promise<TaskResult<RecordsSummary[]>> {
    ctx.progress(0, 'aggregating the dataset');
    return { value: aggregateGroups(input), transfer: [] };
  },
} as const;
