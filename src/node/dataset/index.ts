/**
 * Dataset evaluation engine (issue 12): plan a folder (pairing preview), evaluate it in the worker pool with rows
 * streaming out, aggregate, compare. The dataset view (src/vscode) and `seglens eval` both use this API.
 *
 * Typical use from the extension host:
 *   const plan = await planFolder(folder);                     // items, unmatched files with reasons, models, labels
 *   const report = await evaluateDataset(plan, {
 *     decoders: ['threshold', 'rankdice'],
 *     runner: poolRunner(pool),                                // the shared WorkerPool (task 'datasetSample')
 *     signal, onRow: (row) => view.add(row), onProgress: (done, total) => notify(done, total),
 *   });
 *   report.summaries  // DATASET object per (model, decoder);  report.failed  // skipped samples with reasons
 * Statistics for the view (paired comparison, Spearman ρ, tuned threshold, label-error candidates) are in
 * src/core/dataset (stats.ts, labelErrors.ts), re-exported here.
 */
export { planFolder, planFromFolders, readLabels, planRelative } from './plan';
export type { DatasetItem, DatasetPlan, UnmatchedFile, PlanOptions, FolderPlanInput } from './plan';
export {
  DATASET_SOLVER,
  evaluateDataset,
  inProcessRunner,
  poolRunner,
  planConfig,
  summarizeRows,
} from './evaluate';
export type {
  DatasetReport,
  EvaluateOptions,
  FailedSample,
  ModelDecoderSummary,
  ModelSource,
  SampleRunner,
  EvalRow,
  RowFlag,
  ErrorThumbnail,
} from './evaluate';
export type { DatasetSampleInput } from './sampleTask';
export { pairedComparison, spearman, tunedThresholds, averageRanks } from '../../core/dataset/stats';
export type { PairedComparison, PairedOptions, TunedThreshold } from '../../core/dataset/stats';
export type { LabelErrorCandidate } from '../../core/dataset/labelErrors';
export { aggregateRows, imageWithStats } from '../../core/dataset/sufficient';
export { datasetSummary, summarizeValues, sumConfusion } from '../../core/dataset/summary';
export type { DatasetSummary, ValueSummary } from '../../core/dataset/summary';
export type { SufficientStats } from '../../core/dataset/sufficient';
