/**
 * The dataset panel's evaluations: one run at a time of the engine (src/node/dataset) over the planned set — the
 * probability folders ticked and, optionally, an ONNX model — in the worker pool with a progress notification and
 * cancel; rows streamed to the webview in batches; the summary computed a step per macrotask as soon as the last
 * row is in; the finished run cached, and an unchanged set with the same choices served from the cache.
 *
 * The panel (datasetPanel.ts) owns the webview and the plan; this owns the run and its summary, and reaches the
 * panel only through RunHost.
 */
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { CancelledError, errorMessage } from '../../core/errors';
import type { EvalRow } from '../../core/dataset/rows';
import type { DecoderName } from '../../core/decoders/types';
import type { DatasetSummary, ToDatasetWebview } from '../../protocol/dataset';
import { evaluateDataset, poolRunner } from '../../node/dataset';
import type { DatasetPlan, EvaluateOptions } from '../../node/dataset';
import { hostStep } from '../../node/workers/hostStep';
import type { ViewerContext } from '../viewer/context';
import { cacheKey, loadRun, saveRun } from './cache';
import type { DatasetEvent } from './events';
import type { PreparedOnnx } from './onnxSource';
import { VIEW_DECODERS, classList } from './preview';
import { RowStore } from './rowStore';
import { FLUSH_MS, THUMB_SIZE, newRunId, progressOf, type Run } from './run';
import { readDatasetSettings } from './settings';
import { mergeReport, summarize } from './summary';

/** What an evaluation needs of its panel. */
export interface RunHost {
  readonly ctx: ViewerContext;
  readonly root: vscode.Uri;
  post(msg: ToDatasetWebview): void;
  fire(e: DatasetEvent): void;
  problem(message: string, severity?: 'error' | 'warning' | 'info'): void;
  /** Where finished runs are cached; undefined = no cache. */
  cacheDir(): string | undefined;
}

/** One evaluation's choices, checked (see checkRequest). */
export interface RunRequest {
  plan: DatasetPlan;
  /** The set's fingerprint ('' = unknown: no cache). */
  fingerprint: string;
  models: string[];
  decoders: DecoderName[];
  /** An ONNX model evaluated after the folders, ready to run (prepareOnnx). */
  onnx?: PreparedOnnx;
}

type Summary = Extract<ToDatasetWebview, { type: 'summary' }>;

export class Evaluations {
  /** The current run (the table shows it). */
  run?: Run;
  summary?: Summary;
  /** The ONNX model of the current run, if it has one (opening its rows runs it again on that image). */
  onnx?: PreparedOnnx;
  private plan?: DatasetPlan;

  constructor(private readonly host: RunHost) {}

  /** Stops the running evaluation (the panel's and the notification's Cancel); finished rows stay. */
  cancel(): void {
    this.run?.abort.abort();
  }

  /** Evaluates the request: from the cache when an unchanged set was evaluated with the same choices. */
  async evaluate(req: RunRequest): Promise<void> {
    this.run?.abort.abort();
    this.plan = req.plan;
    this.onnx = req.onnx;
    const logits = readDatasetSettings(this.host.root).logits;
    const cacheDir = this.host.cacheDir();
    const models = [...req.models, ...(req.onnx ? [req.onnx.cacheTag] : [])];
    const key =
      req.fingerprint && cacheDir
        ? cacheKey(req.fingerprint, { models, decoders: req.decoders, logits })
        : '';
    if (key && cacheDir && (await this.showCached(cacheDir, key))) return;
    const allModels = [...req.models, ...(req.onnx ? [req.onnx.source.name] : [])];
    const run = this.startRun(req, allModels);
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `SegLens: evaluating ${run.store.total} images${req.onnx ? ` (running ${req.onnx.source.name})` : ''}`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => run.abort.abort());
        const cancelled = await this.runEngine(run, req, logits, progress);
        this.flush(run);
        if (this.run !== run) return;
        this.finish(run, cancelled);
        if (run.summarizing) {
          await run.summarizing;
          this.applyReport(run);
        } else await this.summarize(run);
        if (!cancelled && key && cacheDir && this.run === run) {
          const classes = classList(req.plan);
          void saveRun(cacheDir, key, run.store, classes, this.summary?.summary).catch((e: unknown) =>
            this.host.ctx.log.warn(`dataset cache not written: ${errorMessage(e)}`),
          );
        }
      },
    );
  }

  /** A fresh run and its row store; the webview is told the table's layout. */
  private startRun(req: RunRequest, models: string[]): Run {
    const { plan } = req;
    const store = new RowStore(
      plan.items,
      models,
      req.decoders,
      classList(plan),
      plan.numClasses ?? 2,
      THUMB_SIZE,
    );
    const run: Run = {
      id: newRunId(),
      abort: new AbortController(),
      store,
      started: Date.now(),
      pending: [],
      done: 0,
      total: plan.items.length * models.length,
    };
    this.run = run;
    this.summary = undefined;
    this.host.post({ type: 'started', runId: run.id, total: store.total, layout: store.layout });
    return run;
  }

  /** Runs the engine to the end; true when it was cancelled. Rows and progress stream out as they come. */
  private async runEngine(
    run: Run,
    req: RunRequest,
    logits: 'refuse' | 'sigmoid' | 'softmax',
    progress: vscode.Progress<{ message?: string; increment?: number }>,
  ): Promise<boolean> {
    const pool = this.host.ctx.pool();
    let reported = 0;
    const options: EvaluateOptions = {
      decoders: req.decoders,
      models: req.models,
      ...(req.onnx ? { modelSource: req.onnx.source } : {}),
      signal: run.abort.signal,
      runner: poolRunner(pool),
      // The row store keeps what the view shows; the engine keeps only names and scores (memory flat in the set).
      keepRows: false,
      thumbnail: THUMB_SIZE,
      concurrency: Math.max(2, pool.stats.threads * 2),
      ...(logits !== 'refuse' ? { logits } : {}),
      onRow: (row) => this.onRow(run, row),
      onProgress: (done, total) => {
        if (done === total && total > 0 && !run.summarizing) {
          // Every row is in: the summary need not wait for the engine's aggregation (a worker's seconds).
          this.flush(run);
          run.summarizing = this.summarize(run);
        }
        run.done = done;
        run.total = total;
        const { pct, perSecond, eta, message } = progressOf(run, done, total);
        progress.report({ increment: pct - reported, message });
        reported = pct;
        this.host.post({ type: 'progress', runId: run.id, done, total, perSecond, etaSeconds: eta });
      },
    };
    try {
      run.report = await evaluateDataset(req.plan, options);
      return false;
    } catch (e) {
      if (e instanceof CancelledError || run.abort.signal.aborted) return true;
      this.host.problem(`Evaluation failed: ${errorMessage(e)}`);
      return false;
    }
  }

  /** The run ended: the webview is told, and every skipped image is listed in the output log. */
  private finish(run: Run, cancelled: boolean): void {
    const store = run.store;
    let skipped = 0;
    for (let r = 0; r < store.total; r++) if (store.errors[r]) skipped++;
    run.finished = {
      type: 'finished',
      runId: run.id,
      cancelled,
      skipped,
      elapsedMs: Date.now() - run.started,
    };
    this.host.post(run.finished);
    this.host.fire({ type: 'finished', cancelled, skipped, elapsedMs: run.finished.elapsedMs });
    if (skipped === 0) return;
    const log = this.host.ctx.log;
    log.warn(`${skipped} images were skipped:`);
    for (let r = 0; r < store.total; r++)
      if (store.errors[r]) log.warn(`  ${store.items[r].id}: ${store.errors[r]}`);
  }

  /** Shows a cached run of the same set and choices, if there is one: the table at once, no evaluation. */
  private async showCached(cacheDir: string, key: string): Promise<boolean> {
    const started = Date.now();
    const cached = await loadRun(cacheDir, key);
    if (!cached || cached.store.total !== this.plan?.items.length) return false;
    const store = cached.store;
    const run: Run = {
      id: newRunId(),
      abort: new AbortController(),
      store,
      started,
      pending: [],
      done: store.total,
      total: store.total,
    };
    this.run = run;
    this.host.post({ type: 'started', runId: run.id, total: store.total, layout: store.layout });
    const rows = store.completedRows();
    for (let i = 0; i < rows.length; i += 2000)
      this.host.post({ type: 'rows', runId: run.id, ...store.batch(rows.slice(i, i + 2000)) });
    let skipped = 0;
    for (let r = 0; r < store.total; r++) if (store.errors[r]) skipped++;
    const elapsedMs = Date.now() - started;
    run.finished = {
      type: 'finished',
      runId: run.id,
      cancelled: false,
      skipped,
      elapsedMs,
      cachedAt: cached.savedAt,
    };
    this.host.post(run.finished);
    this.host.fire({ type: 'finished', cancelled: false, skipped, elapsedMs, cached: true });
    this.host.fire({ type: 'rows', completed: store.completed, total: store.total });
    if (cached.summary) {
      this.summary = { type: 'summary', runId: run.id, summary: cached.summary };
      this.host.post(this.summary);
      this.host.fire({ type: 'summary' });
    } else await this.summarize(run);
    this.host.ctx.log.info(
      `dataset: ${store.total} rows from the cache of ${cached.savedAt} in ${Date.now() - started} ms`,
    );
    return true;
  }

  private onRow(run: Run, row: EvalRow): void {
    if (this.run !== run) return;
    const complete = run.store.add(row);
    if (complete === undefined) return;
    run.pending.push(complete);
    run.flushTimer ??= setTimeout(() => this.flush(run), FLUSH_MS);
  }

  private flush(run: Run): void {
    if (run.flushTimer) clearTimeout(run.flushTimer);
    run.flushTimer = undefined;
    if (this.run !== run || run.pending.length === 0) return;
    const rows = run.pending.splice(0);
    const start = performance.now();
    this.host.post({ type: 'rows', runId: run.id, ...run.store.batch(rows) });
    hostStep('batch dataset rows', start);
    this.host.fire({ type: 'rows', completed: run.store.completed, total: run.store.total });
  }

  private classNames(): Map<number, string> {
    return new Map(this.plan ? classList(this.plan).map((c) => [c.index, c.name]) : []);
  }

  /** Adds what only the engine's report has (tuned thresholds, its confusion matrices) to the posted summary. */
  private applyReport(run: Run): void {
    if (!run.report || this.summary?.runId !== run.id || this.run !== run) return;
    mergeReport(this.summary.summary, run.report, this.classNames(), run.store.layout.decoders[0]);
    this.host.post(this.summary);
    this.host.fire({ type: 'summary' });
  }

  /** Computes the summary a step per macrotask, so the bootstraps of a large set never hold the host's thread. */
  private async summarize(run: Run): Promise<void> {
    const names = this.classNames();
    const labels = new Map(VIEW_DECODERS.map((d) => [d.name as string, d.label]));
    const it = summarize(run.store, { classNames: names, decoderLabels: labels });
    let summary: DatasetSummary | undefined;
    for (;;) {
      const start = performance.now();
      const step = it.next();
      hostStep(`dataset summary: ${step.done ? 'done' : step.value}`, start);
      if (step.done) {
        summary = step.value;
        break;
      }
      await new Promise((r) => setImmediate(r));
      if (this.run !== run) return;
    }
    if (run.report) mergeReport(summary, run.report, names, run.store.layout.decoders[0]);
    this.summary = { type: 'summary', runId: run.id, summary };
    this.host.post(this.summary);
    this.host.fire({ type: 'summary' });
  }
}
