/**
 * The dataset evaluation engine: evaluates every (item, model) of a DatasetPlan with every decoder, in the worker
 * pool, streaming rows as they finish, and aggregates them into one DATASET object per (model, decoder).
 *
 * Guarantees:
 * - Streaming: only file paths (or, for an ONNX model, one map at a time per running task) cross to the workers;
 *   at most `concurrency` samples are in flight, and the host never holds pixel data of the set.
 * - One bad sample (unreadable file, shape mismatch, NaN map, logits without consent, a model failing) gives
 *   rows with `error` and the "skipped" flag, lists it in `report.failed`, and the run goes on.
 * - Cancel: aborting `signal` stops queued and running work; the promise rejects with CancelledError and every row
 *   already delivered through `onRow` stays valid.
 * - Determinism: `report.rows` and every aggregate are in (item id, model, decoder) order whatever the order in
 *   which samples finished, so a re-run, a shard merge and the CLI give identical numbers.
 */
import { cpus } from 'node:os';
import { CancelledError, errorMessage } from '../../core/errors';
import type { EvalRow } from '../../core/dataset/rows';
import {
  AggregationRecord,
  encodeRecord,
  RecordsSummary,
  summarizeRecords,
} from '../../core/dataset/records';
import { aggregateGroups, type DatasetAggregateInput } from './aggregateTask';
import type { DecoderName, SolverName } from '../../core/decoders/types';
import type { Palette } from '../../core/io/palette';
import type { ProbLayout } from '../../core/io/probMap';
import { MetricsConfig, resolveMetricsConfig } from '../../core/metrics/config';
import type { ProbMap } from '../../core/types';
import type { WorkerPool } from '../workers/pool';
import type { DatasetItem, DatasetPlan } from './plan';
import { DatasetSampleInput, runDatasetSample } from './sampleTask';

export type { EvalRow, RowFlag, ErrorThumbnail } from '../../core/dataset/rows';

/** The default solver of the ranking decoders in dataset mode (see EvaluateOptions.solver). */
export const DATASET_SOLVER: SolverName = 'rma';

/**
 * Runs one sample. `poolRunner(pool)` runs it in the worker pool, `inProcessRunner` on this thread (CLI without a
 * worker bundle, tests). The input's probData buffer (if any) may be transferred.
 */
export interface SampleRunner {
  (input: DatasetSampleInput, signal?: AbortSignal): Promise<EvalRow[]>;
  /**
   * Aggregates groups of row records off this thread (poolRunner has it: the pool's `datasetAggregate` task).
   * Without it the report's summaries are computed on the calling thread (seconds for 10,000 images).
   */
  aggregate?: (input: DatasetAggregateInput, signal?: AbortSignal) => Promise<RecordsSummary[]>;
}

export function poolRunner(pool: WorkerPool): SampleRunner {
  const run = (input: DatasetSampleInput, signal?: AbortSignal) =>
    pool.run('datasetSample', input, {
      signal,
      transfer: input.probData ? [input.probData.data.buffer as ArrayBuffer] : [],
    });
  return Object.assign(run, {
    aggregate: (input: DatasetAggregateInput, signal?: AbortSignal) =>
      pool.run('datasetAggregate', input, { signal }),
  });
}

export const inProcessRunner: SampleRunner = async (input, signal) => {
  if (signal?.aborted) throw new CancelledError();
  return runDatasetSample(input);
};

/** A model run on the images (ONNX): gives the map of one item; called one item at a time, in id order. */
export interface ModelSource {
  /** The model's name in rows and reports. */
  name: string;
  infer(item: DatasetItem, signal?: AbortSignal): Promise<ProbMap>;
}

export interface EvaluateOptions {
  /** Decoders, in report order (the first is the "primary" one). */
  decoders: DecoderName[];
  /** Probability folders to evaluate (names of plan.models); default all. */
  models?: string[];
  /** An ONNX model (or any map source) evaluated as one more model: each image is scored as soon as its map exists. */
  modelSource?: ModelSource;
  /** Metric settings; numClasses defaults to plan.numClasses (labels.json), else the config default. */
  config?: Partial<MetricsConfig>;
  /** Only these items (e.g. a shard); default plan.items. Must be in id order. */
  items?: DatasetItem[];
  /**
   * Solver of rankdice/rankiou. @default 'rma': on 256² maps it is ~2–4× faster than the exact solver, and on
   * our benchmark set its masks equal exact's on most images with expected Dice within 1e-8 (docs/dataset.md);
   * pass 'exact' (or 'auto') for the exact solver.
   */
  solver?: SolverName | 'auto';
  layout?: ProbLayout;
  logits?: 'sigmoid' | 'softmax';
  palette?: Palette;
  /** Label-error candidates on the first decoder's rows. @default true */
  labelErrors?: boolean;
  /** Error-map thumbnails of this longest side on every row; 0 = none. @default 0 */
  thumbnail?: number;
  signal?: AbortSignal;
  /** Every row as soon as its sample finished (completion order; a failed sample gives error rows). */
  onRow?: (row: EvalRow) => void;
  /** Samples done (evaluated or failed) out of the total, after each sample. */
  onProgress?: (done: number, total: number) => void;
  /** Where samples run: poolRunner(pool) or inProcessRunner. @default inProcessRunner */
  runner?: SampleRunner;
  /**
   * Aggregate the rows into `report.summaries` (in a worker when the runner can). A caller that aggregates the
   * rows itself (seglens eval builds its report from them) turns this off. @default true
   */
  summaries?: boolean;
  /**
   * Keep every row's metrics in `report.rows` (the CLI builds its report from them). False keeps only what names
   * a row (ids, scores, flags, error, files): `onRow` still gets the whole row, and the summaries come from each
   * row's aggregation record, so a long-lived caller (the dataset view) holds a few kB per image, not tens.
   * @default true
   */
  keepRows?: boolean;
  /** Samples in flight at once. @default 2 × CPU count with a pool-like runner, 1 in process */
  concurrency?: number;
}

export interface FailedSample {
  id: string;
  model: string;
  /** The file the problem is about, when known. */
  path?: string;
  reason: string;
}

/**
 * One (model, decoder): `images` rows with metrics (GT present, no error); `dataset` their DATASET object,
 * `summary` mean ± sd / median of per-image Dice, pooled Dice, pixel accuracy and the sentence on their gap,
 * `confusion` pixels per (GT class, predicted class) (numClasses ≤ 64) — all absent when no row has metrics.
 */
export interface ModelDecoderSummary extends RecordsSummary {
  model: string;
  decoder: DecoderName;
}

export interface DatasetReport {
  /** Every row, in (item id, model, decoder) order; failed samples included with `error`. */
  rows: EvalRow[];
  /** One entry per (item, model) that failed, in the same order. */
  failed: FailedSample[];
  /** One entry per (model, decoder), models in option order, decoders in option order (empty with summaries: false). */
  summaries: ModelDecoderSummary[];
  /** The resolved metric configuration. */
  config: MetricsConfig;
  models: string[];
  decoders: DecoderName[];
  timings: { startedAt: string; wallMs: number; samples: number; samplesPerSecond: number };
}

/** The metric config of a plan: labels.json's class count unless the config says otherwise. */
export function planConfig(plan: DatasetPlan, config: Partial<MetricsConfig> = {}): MetricsConfig {
  return resolveMetricsConfig({
    ...(plan.numClasses !== undefined ? { numClasses: plan.numClasses } : {}),
    ...config,
  });
}

/** Error rows of a failed sample, one per decoder. */
function errorRows(
  item: DatasetItem,
  model: string,
  decoders: readonly DecoderName[],
  reason: string,
  prob?: string,
): EvalRow[] {
  return decoders.map((decoder) => ({
    id: item.id,
    model,
    decoder,
    meanDice: NaN,
    expectedDice: NaN,
    expectedDicePerClass: {},
    solver: null,
    flags: ['skipped'],
    error: reason,
    files: { image: item.image, gt: item.gt, prob },
  }));
}

/** A row without its metrics: what names it and its scores (EvaluateOptions.keepRows false). */
function lightRow(r: EvalRow): EvalRow {
  const {
    image: _image,
    stats: _stats,
    thumbnail: _thumbnail,
    labelErrors: _labelErrors,
    confusion: _c,
    ...rest
  } = r;
  return rest;
}

/**
 * Aggregates ordered rows into per-(model, decoder) summaries on this thread (rows with an error or no GT are left
 * out). evaluateDataset does the same in a worker when its runner can (poolRunner), with identical numbers.
 */
export function summarizeRows(
  rows: readonly EvalRow[],
  models: readonly string[],
  decoders: readonly DecoderName[],
  config: MetricsConfig,
): ModelDecoderSummary[] {
  const out: ModelDecoderSummary[] = [];
  for (const model of models) {
    for (const decoder of decoders) {
      const records: AggregationRecord[] = [];
      for (const r of rows) {
        if (r.model !== model || r.decoder !== decoder || r.error || !r.image || !r.stats) continue;
        records.push({
          image: r.image,
          stats: r.stats,
          meanDice: r.meanDice,
          ...(r.confusion ? { confusion: r.confusion } : {}),
        });
      }
      out.push({ model, decoder, ...summarizeRecords(records, config) });
    }
  }
  return out;
}

/** A bounded set of running tasks: `submit` waits while `limit` are in flight; the first failure is rethrown. */
class BoundedTasks {
  private readonly inflight = new Set<Promise<void>>();
  private failure: unknown;
  constructor(private readonly limit: number) {}

  async submit(p: Promise<void>): Promise<void> {
    const tracked = p.catch((e: unknown) => {
      this.failure ??= e;
    });
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
    while (this.inflight.size >= this.limit) await Promise.race(this.inflight);
    if (this.failure) throw this.failure;
  }

  /** Waits for every task; rethrows the first failure. */
  async drain(): Promise<void> {
    while (this.inflight.size) await Promise.race(this.inflight);
    if (this.failure) throw this.failure;
  }

  /** Waits for every task to settle, whatever happened (before rethrowing a cancel or failure). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }
}

/** The state of one run: results by slot (item index × model), progress, and how a sample is run. */
class DatasetRun {
  readonly results: EvalRow[][];
  /** Each row's aggregation record as text, written on arrival (only with an off-thread aggregator). */
  readonly records: (string | undefined)[][] | undefined;
  private done = 0;

  constructor(
    readonly options: EvaluateOptions,
    readonly config: MetricsConfig,
    readonly decoders: DecoderName[],
    readonly items: DatasetItem[],
    readonly folderModels: string[],
    readonly models: string[],
    readonly runner: SampleRunner,
  ) {
    const total = items.length * models.length;
    this.results = new Array<EvalRow[]>(total);
    // Records (text) are written on arrival when a worker aggregates them, or when rows are not kept whole.
    const wantRecords = runner.aggregate !== undefined || options.keepRows === false;
    this.records = options.summaries !== false && wantRecords ? new Array(total) : undefined;
  }

  get total(): number {
    return this.items.length * this.models.length;
  }

  /** The sample input without its files. */
  base(item: DatasetItem, model: string): Omit<DatasetSampleInput, 'files'> {
    const o = this.options;
    return {
      id: item.id,
      model,
      decoders: this.decoders,
      config: this.config,
      layout: o.layout,
      logits: o.logits,
      palette: o.palette,
      solver: o.solver ?? DATASET_SOLVER,
      labelErrors: o.labelErrors,
      thumbnail: o.thumbnail,
    };
  }

  finish(slot: number, rows: EvalRow[]): void {
    this.results[slot] = this.options.keepRows === false ? rows.map(lightRow) : rows;
    if (this.records) this.records[slot] = rows.map(encodeRecord);
    this.done++;
    for (const r of rows) this.options.onRow?.(r);
    this.options.onProgress?.(this.done, this.total);
  }

  /** Runs one sample; a failure becomes its error rows, a cancel is rethrown. */
  async runOne(slot: number, input: DatasetSampleInput, item: DatasetItem): Promise<void> {
    const signal = this.options.signal;
    try {
      this.finish(slot, await this.runner(input, signal));
    } catch (e) {
      if (e instanceof CancelledError || signal?.aborted)
        throw e instanceof CancelledError ? e : new CancelledError();
      this.finish(slot, errorRows(item, input.model, this.decoders, errorMessage(e), input.files.prob));
    }
  }

  /** Queues item i with every probability folder, then with the ONNX model source (inferred here, scored there). */
  async submitItem(i: number, tasks: BoundedTasks): Promise<void> {
    const item = this.items[i];
    const signal = this.options.signal;
    const nModels = this.models.length;
    for (let m = 0; m < this.folderModels.length; m++) {
      if (signal?.aborted) throw new CancelledError();
      const model = this.folderModels[m];
      const slot = i * nModels + m;
      const prob = item.probs[model];
      if (!prob) {
        const why = `no probability map of model '${model}' for this image`;
        this.finish(slot, errorRows(item, model, this.decoders, why));
        continue;
      }
      const files = { image: item.image, gt: item.gt, prob };
      await tasks.submit(this.runOne(slot, { ...this.base(item, model), files }, item));
    }
    const source = this.options.modelSource;
    if (!source) return;
    if (signal?.aborted) throw new CancelledError();
    const slot = i * nModels + nModels - 1;
    let map: ProbMap | undefined;
    try {
      if (!item.image) throw new Error('no image to run the model on');
      map = await source.infer(item, signal);
    } catch (e) {
      if (e instanceof CancelledError || signal?.aborted) throw new CancelledError();
      this.finish(slot, errorRows(item, source.name, this.decoders, `the model failed: ${errorMessage(e)}`));
    }
    if (!map) return;
    const data = map.data instanceof Float32Array ? map.data : Float32Array.from(map.data);
    const input: DatasetSampleInput = {
      ...this.base(item, source.name),
      files: { image: item.image, gt: item.gt, prob: undefined },
      probData: { data, shape: [...map.shape] },
    };
    await tasks.submit(this.runOne(slot, input, item));
  }

  /** Per-(model, decoder) summaries: off-thread from the rows' records when the runner can, else here. */
  async summaries(rows: EvalRow[]): Promise<ModelDecoderSummary[]> {
    const { models, decoders, items, records, results } = this;
    if (!records)
      return this.options.summaries !== false ? summarizeRows(rows, models, decoders, this.config) : [];
    const groups: string[][] = [];
    const keys: { model: string; decoder: DecoderName }[] = [];
    models.forEach((model, m) => {
      decoders.forEach((decoder) => {
        const g: string[] = [];
        for (let i = 0; i < items.length; i++) {
          const slot = i * models.length + m;
          const k = results[slot].findIndex((r) => r.decoder === decoder);
          const text = k >= 0 ? records[slot][k] : undefined;
          if (text !== undefined) g.push(text);
        }
        groups.push(g);
        keys.push({ model, decoder });
      });
    });
    const input = { config: this.config, groups };
    const out = this.runner.aggregate
      ? await this.runner.aggregate(input, this.options.signal)
      : aggregateGroups(input);
    return out.map((r, k) => ({ ...keys[k], ...r }));
  }

  /** One entry per (item, model) that failed, in slot order. */
  failed(): FailedSample[] {
    const failed: FailedSample[] = [];
    for (const slotRows of this.results) {
      const r = slotRows[0];
      if (r?.error)
        failed.push({ id: r.id, model: r.model, path: r.files.prob ?? r.files.gt, reason: r.error });
    }
    return failed;
  }
}

/**
 * Evaluates a dataset plan. See the module comment for the guarantees; the report is in deterministic order.
 * @throws CancelledError when `signal` aborts (rows already streamed stay valid).
 */
export async function evaluateDataset(plan: DatasetPlan, options: EvaluateOptions): Promise<DatasetReport> {
  const started = Date.now();
  const config = planConfig(plan, options.config);
  const decoders = [...options.decoders];
  const items = options.items ?? plan.items;
  const folderModels = options.models ?? (options.modelSource ? [] : plan.models);
  const models = [...folderModels, ...(options.modelSource ? [options.modelSource.name] : [])];
  const runner = options.runner ?? inProcessRunner;
  const concurrency = Math.max(
    1,
    options.concurrency ?? (runner === inProcessRunner ? 1 : 2 * Math.max(1, cpus().length)),
  );
  const run = new DatasetRun(options, config, decoders, items, folderModels, models, runner);
  const tasks = new BoundedTasks(concurrency);
  options.onProgress?.(0, run.total);
  try {
    for (let i = 0; i < items.length; i++) await run.submitItem(i, tasks);
    await tasks.drain();
  } catch (e) {
    await tasks.settle();
    throw e;
  }
  const rows = run.results.flat();
  const summaries = await run.summaries(rows);
  const wallMs = Date.now() - started;
  return {
    rows,
    failed: run.failed(),
    summaries,
    config,
    models,
    decoders,
    timings: {
      startedAt: new Date(started).toISOString(),
      wallMs,
      samples: items.length,
      samplesPerSecond: wallMs > 0 ? (items.length * 1000) / wallMs : NaN,
    },
  };
}
