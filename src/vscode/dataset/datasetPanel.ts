/**
 * The dataset panel ("SegLens: Evaluate Folder…"): the pairing preview, the evaluation in the worker pool with a
 * progress notification and cancel, rows streaming into a virtualised table, the summary, exports, and opening a
 * row in the viewer with next/previous-worst stepping.
 *
 * Lifecycle as the viewer's (viewer/viewerPanel.ts): the host posts nothing before the webview's `ready`; every
 * incoming message is validated (protocol/dataset.ts); without retainContextWhenHidden a hidden panel's webview is
 * rebuilt when shown, and its new `ready` is answered by re-posting what it showed (preview, rows, summary) from
 * the host's compact store. The host keeps only that store — never pixels, never IMAGE objects.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { CancelledError, errorMessage } from '../../core/errors';
import type { EvalRow } from '../../core/dataset/rows';
import type { AnalysisDecoder } from '../../core/viewmodel/analysisTypes';
import {
  DATASET_PROTOCOL_VERSION,
  DATASET_VIEW_TYPE,
  type DatasetPreview,
  type DatasetSummary,
  type ExportWhat,
  type FromDatasetWebview,
  type ToDatasetWebview,
  parseFromDatasetWebview,
} from '../../protocol/dataset';
import { evaluateDataset, poolRunner } from '../../node/dataset';
import type { DatasetPlan } from '../../node/dataset';
import { hostStep } from '../../node/workers/hostStep';
import { saveWithDialog } from '../analysis/exportFile';
import type { ViewerContext } from '../viewer/context';
import { exportText } from './exportData';
import { openInViewer } from './openInViewer';
import { buildDatasetHtml, makeNonce } from './html';
import { VIEW_DECODERS, classList, datasetRoot, previewOf } from './preview';
import { cacheKey, loadRun, saveRun } from './cache';
import { planOffThread } from './plan';
import { RowStore } from './rowStore';
import { FLUSH_MS, THUMB_SIZE, checkRequest, newRunId, progressOf, type Run } from './run';
import { datasetWebviewOptions } from './webviewOptions';
export { datasetWebviewOptions };
import type { DatasetEvent } from './events';
export type { DatasetEvent } from './events';
import { readDatasetSettings } from './settings';
import { mergeReport, summarize } from './summary';

const PANELS = new Set<DatasetPanel>();

/** Every live dataset panel, oldest first (the extension's test API lists them). */
export function livePanels(): Set<DatasetPanel> {
  return PANELS;
}

/** Where finished runs are cached (the extension's global storage); unset = no cache. */
let cacheDir: string | undefined;

export function setDatasetCacheDir(dir: string | undefined): void {
  cacheDir = dir;
}

export { datasetRoot };

export class DatasetPanel implements vscode.Disposable {
  /** Open panels, newest last. */
  static readonly open: DatasetPanel[] = [];

  readonly events: DatasetEvent[] = [];
  private readonly listeners = new Set<(e: DatasetEvent) => void>();
  private ready = false;
  private readonly outbox: ToDatasetWebview[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private plan?: DatasetPlan;
  private preview?: DatasetPreview;
  private run?: Run;
  private summary?: Extract<ToDatasetWebview, { type: 'summary' }>;
  /** The table's current order (row indices) and selection, as the webview last reported them. */
  private order: number[] = [];
  private selected = -1;
  private openModel = '';
  /** The listed set's fingerprint (paths, sizes, mtimes, labels.json), the data part of the cache key. */
  private fingerprint = '';
  private openDecoders: string[] = [];

  static show(ctx: ViewerContext, root: vscode.Uri): DatasetPanel {
    const existing = DatasetPanel.open.find((p) => p.root.toString() === root.toString());
    if (existing) {
      existing.panel.reveal(undefined, false);
      void existing.replan();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      DATASET_VIEW_TYPE,
      `Dataset: ${path.basename(root.fsPath)}`,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      datasetWebviewOptions(ctx.extensionUri),
    );
    return new DatasetPanel(ctx, panel, root);
  }

  /** Rebuilds a panel VS Code restored after a reload (the serializer): the folder is listed again. */
  static revive(ctx: ViewerContext, panel: vscode.WebviewPanel, root: vscode.Uri): DatasetPanel {
    panel.webview.options = datasetWebviewOptions(ctx.extensionUri);
    panel.title = `Dataset: ${path.basename(root.fsPath)}`;
    return new DatasetPanel(ctx, panel, root);
  }

  private constructor(
    private readonly ctx: ViewerContext,
    readonly panel: vscode.WebviewPanel,
    readonly root: vscode.Uri,
  ) {
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    const w = panel.webview;
    const asUri = (...p: string[]) => w.asWebviewUri(vscode.Uri.joinPath(ctx.extensionUri, ...p)).toString();
    panel.webview.html = buildDatasetHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: asUri('dist', 'dataset.js'),
      codiconUri: asUri('dist', 'codicon.css'),
      styleUri: asUri('media', 'dataset.css'),
      title: 'SegLens dataset',
    });
    DatasetPanel.open.push(this);
    livePanels().add(this);
    void this.replan();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Observation (tests)

  onEvent(listener: (e: DatasetEvent) => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(e: DatasetEvent): void {
    this.events.push(e);
    for (const l of this.listeners) l(e);
  }

  /** The compact rows of the current run (tests compare them with `seglens eval`). */
  get rows(): RowStore | undefined {
    return this.run?.store;
  }

  get lastSummary(): DatasetSummary | undefined {
    return this.summary?.summary;
  }

  get datasetPlan(): DatasetPlan | undefined {
    return this.plan;
  }

  /** Drives the table as a user would (tests): sort, filter, select. */
  apply(msg: ToDatasetWebview): void {
    this.post(msg);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Messages

  private post(msg: ToDatasetWebview): void {
    if (!this.ready) {
      this.outbox.push(msg);
      return;
    }
    const start = performance.now();
    void this.panel.webview.postMessage(msg).then(undefined, (e: unknown) => {
      this.ctx.log.warn(`posting ${msg.type} to the dataset panel failed: ${errorMessage(e)}`);
    });
    hostStep(`post ${msg.type} to the dataset webview`, start);
  }

  private receive(raw: unknown): void {
    const parsed = parseFromDatasetWebview(raw);
    if (!parsed.ok) {
      this.ctx.log.warn(`ignored an invalid message from the dataset webview: ${parsed.error}`);
      return;
    }
    const msg: FromDatasetWebview = parsed.value;
    switch (msg.type) {
      case 'ready': {
        if (msg.version !== DATASET_PROTOCOL_VERSION)
          this.ctx.log.warn(
            `dataset webview speaks protocol ${msg.version}, host ${DATASET_PROTOCOL_VERSION}`,
          );
        const again = this.ready;
        this.ready = true;
        this.post({
          type: 'init',
          version: DATASET_PROTOCOL_VERSION,
          root: this.displayRoot(),
          rootUri: this.root.toString(),
        });
        if (again) this.replay();
        for (const m of this.outbox.splice(0)) this.post(m);
        this.fire({ type: 'ready' });
        return;
      }
      case 'evaluate':
        void this.evaluate(msg.models, msg.decoders);
        return;
      case 'cancel':
        this.cancel();
        return;
      case 'replan':
        void this.replan();
        return;
      case 'open':
        this.openModel = msg.model;
        this.openDecoders = msg.decoders;
        void this.openRow(msg.row);
        return;
      case 'cell': {
        const store = this.run?.store;
        if (!store) return;
        const m = store.layout.models.indexOf(msg.model);
        const d = store.layout.decoders.indexOf(msg.decoder);
        if (m < 0 || d < 0) return;
        const names = this.summary?.summary.classNames ?? [];
        const name = (c: number) => names[c] ?? `class ${c}`;
        const rows = store.rowsWithCell(m, d, msg.gt, msg.pred);
        this.post({
          type: 'rowSet',
          label: `GT ${name(msg.gt)} → predicted ${name(msg.pred)} (${msg.decoder}, ${msg.model}): ${rows.length} images`,
          rows,
        });
        return;
      }
      case 'order':
        this.order = msg.rows;
        this.selected = msg.selected;
        return;
      case 'export':
        void this.exportAs(msg.what);
        return;
      case 'rendered':
        this.fire({ type: 'rendered', rows: msg.rows, drawn: msg.drawn, first: msg.first, sort: msg.sort });
        return;
      case 'failed':
        this.ctx.log.error(`dataset webview: ${msg.message}`);
        void vscode.window.showErrorMessage(`SegLens dataset view: ${msg.message}`);
        return;
      default: {
        const unhandled: never = msg;
        this.ctx.log.warn(`dataset webview sent an unhandled message: ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** A rebuilt webview gets back the preview, the run's layout, all its rows and the summary. */
  private replay(): void {
    if (this.preview) this.post({ type: 'preview', preview: this.preview });
    const run = this.run;
    if (!run) return;
    this.post({ type: 'started', runId: run.id, total: run.store.total, layout: run.store.layout });
    const rows = run.store.completedRows();
    for (let i = 0; i < rows.length; i += 2000)
      this.post({ type: 'rows', runId: run.id, ...run.store.batch(rows.slice(i, i + 2000)) });
    if (run.finished) this.post(run.finished);
    if (this.summary) this.post(this.summary);
  }

  private displayRoot(): string {
    return vscode.workspace.asRelativePath(this.root, true) || this.root.fsPath;
  }

  private problem(message: string, severity: 'error' | 'warning' | 'info' = 'error'): void {
    this.post({ type: 'problem', severity, message });
    this.fire({ type: 'problem', message });
    if (severity === 'error') {
      this.ctx.log.error(message);
      void vscode.window.showErrorMessage(`SegLens: ${message}`);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Pairing preview

  async replan(): Promise<void> {
    try {
      const script = vscode.Uri.joinPath(this.ctx.extensionUri, 'dist', 'datasetPlanWorker.js').fsPath;
      const { plan, fingerprint } = await planOffThread(this.root.fsPath, script);
      this.plan = plan;
      this.fingerprint = fingerprint;
      this.preview = previewOf(plan, this.displayRoot(), readDatasetSettings(this.root).decoders);
      this.post({ type: 'preview', preview: this.preview });
      this.fire({
        type: 'preview',
        total: plan.items.length,
        unmatched: plan.unmatched.length,
        models: plan.models,
      });
    } catch (e) {
      this.problem(`Cannot list ${this.displayRoot()}: ${errorMessage(e)}`);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Evaluation

  /** Evaluates the planned set with these probability folders and decoders (the panel's "Evaluate" button). */
  async evaluate(models: string[], decoders: string[]): Promise<void> {
    const plan = this.plan;
    if (!plan) {
      this.problem('The folder has not been listed yet.');
      return;
    }
    const request = checkRequest(plan, models, decoders, this.displayRoot());
    if (typeof request === 'string') {
      this.problem(request);
      return;
    }
    const decoderNames = request;
    this.run?.abort.abort();
    const classes = classList(plan);
    const logits = readDatasetSettings(this.root).logits;
    const key = this.fingerprint
      ? cacheKey(this.fingerprint, { models, decoders: decoderNames, logits })
      : '';
    if (key && cacheDir && (await this.showCached(key))) return;
    const store = new RowStore(plan.items, models, decoderNames, classes, plan.numClasses ?? 2, THUMB_SIZE);
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
    this.post({ type: 'started', runId: run.id, total: store.total, layout: store.layout });
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `SegLens: evaluating ${store.total} images`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => run.abort.abort());
        let reported = 0;
        let cancelled = false;
        try {
          const report = await evaluateDataset(plan, {
            decoders: decoderNames,
            models,
            signal: run.abort.signal,
            runner: poolRunner(this.ctx.pool()),
            thumbnail: THUMB_SIZE,
            concurrency: Math.max(2, this.ctx.pool().stats.threads * 2),
            ...(logits && logits !== 'refuse' ? { logits } : {}),
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
              this.post({ type: 'progress', runId: run.id, done, total, perSecond, etaSeconds: eta });
            },
          });
          run.report = report;
        } catch (e) {
          if (e instanceof CancelledError || run.abort.signal.aborted) cancelled = true;
          else this.problem(`Evaluation failed: ${errorMessage(e)}`);
        }
        this.flush(run);
        if (this.run !== run) return;
        let skipped = 0;
        for (let r = 0; r < store.total; r++) if (store.errors[r]) skipped++;
        run.finished = {
          type: 'finished',
          runId: run.id,
          cancelled,
          skipped,
          elapsedMs: Date.now() - run.started,
        };
        this.post(run.finished);
        this.fire({ type: 'finished', cancelled, skipped, elapsedMs: run.finished.elapsedMs });
        if (skipped > 0) {
          this.ctx.log.warn(`${skipped} images were skipped:`);
          for (let r = 0; r < store.total; r++)
            if (store.errors[r]) this.ctx.log.warn(`  ${store.items[r].id}: ${store.errors[r]}`);
        }
        if (run.summarizing) {
          await run.summarizing;
          this.applyReport(run);
        } else await this.summarize(run);
        if (!cancelled && key && cacheDir && this.run === run) {
          const dir = cacheDir;
          void saveRun(dir, key, store, classes, this.summary?.summary).catch((e: unknown) =>
            this.ctx.log.warn(`dataset cache not written: ${errorMessage(e)}`),
          );
        }
      },
    );
  }

  /** Stops the running evaluation (the panel's and the notification's Cancel); finished rows stay. */
  cancel(): void {
    this.run?.abort.abort();
  }

  /** Shows a cached run of the same set and choices, if there is one: the table at once, no evaluation. */
  private async showCached(key: string): Promise<boolean> {
    if (!cacheDir) return false;
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
    this.post({ type: 'started', runId: run.id, total: store.total, layout: store.layout });
    const rows = store.completedRows();
    for (let i = 0; i < rows.length; i += 2000)
      this.post({ type: 'rows', runId: run.id, ...store.batch(rows.slice(i, i + 2000)) });
    let skipped = 0;
    for (let r = 0; r < store.total; r++) if (store.errors[r]) skipped++;
    run.finished = {
      type: 'finished',
      runId: run.id,
      cancelled: false,
      skipped,
      elapsedMs: Date.now() - started,
      cachedAt: cached.savedAt,
    };
    this.post(run.finished);
    this.fire({
      type: 'finished',
      cancelled: false,
      skipped,
      elapsedMs: run.finished.elapsedMs,
      cached: true,
    });
    this.fire({ type: 'rows', completed: store.completed, total: store.total });
    if (cached.summary) {
      this.summary = { type: 'summary', runId: run.id, summary: cached.summary };
      this.post(this.summary);
      this.fire({ type: 'summary' });
    } else await this.summarize(run);
    this.ctx.log.info(
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
    this.post({ type: 'rows', runId: run.id, ...run.store.batch(rows) });
    hostStep('batch dataset rows', start);
    this.fire({ type: 'rows', completed: run.store.completed, total: run.store.total });
  }

  /** Adds what only the engine's report has (the CLI's sentence, tuned thresholds) to the posted summary. */
  private applyReport(run: Run): void {
    const plan = this.plan;
    if (!plan || !run.report || this.summary?.runId !== run.id || this.run !== run) return;
    const names = new Map(classList(plan).map((c) => [c.index, c.name]));
    mergeReport(this.summary.summary, run.report, names, run.store.layout.decoders[0]);
    this.post(this.summary);
    this.fire({ type: 'summary' });
  }

  /** Computes the summary a step per macrotask, so the bootstraps of a large set never hold the host's thread. */
  private async summarize(run: Run): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    const names = new Map(classList(plan).map((c) => [c.index, c.name]));
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
    this.post(this.summary);
    this.fire({ type: 'summary' });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Opening rows in the viewer, stepping through the worst

  /** Opens table row `row` in the viewer with the panel's model and decoders. */
  async openRow(row: number): Promise<void> {
    const store = this.run?.store;
    const item = store?.items[row];
    if (!store || !item) return;
    this.selected = row;
    const model = store.layout.models.includes(this.openModel) ? this.openModel : store.layout.models[0];
    const pos = this.order.indexOf(row);
    const where = pos >= 0 ? ` (${pos + 1} of ${this.order.length} in the table's order)` : '';
    this.fire({ type: 'opened', row, id: item.id });
    const decoders = this.openDecoders.filter((d) => store.layout.decoders.includes(d)) as AnalysisDecoder[];
    await openInViewer(
      this.ctx,
      item,
      model,
      decoders,
      `From the dataset ${this.displayRoot()}: ${item.id}${where}, model ${model}`,
    );
  }

  /** Opens the next (+1) or previous (−1) row of the table's order. */
  async step(delta: 1 | -1): Promise<void> {
    if (this.order.length === 0) {
      void vscode.window.setStatusBarMessage('SegLens: the dataset table has no rows yet.', 3000);
      return;
    }
    const pos = this.order.indexOf(this.selected);
    const next = pos < 0 ? (delta > 0 ? 0 : this.order.length - 1) : pos + delta;
    if (next < 0 || next >= this.order.length) {
      void vscode.window.setStatusBarMessage(
        `SegLens: ${delta > 0 ? 'last' : 'first'} row of the dataset table.`,
        3000,
      );
      return;
    }
    const row = this.order[next];
    this.post({ type: 'select', row });
    await this.openRow(row);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Export

  /** Exports through the save dialog (the panel's export buttons). */
  async exportAs(what: ExportWhat): Promise<void> {
    const store = this.run?.store;
    const summary = this.summary?.summary;
    if (!store || (what.startsWith('summary') && !summary)) {
      this.problem('Nothing to export yet: evaluate the folder first.', 'warning');
      return;
    }
    const start = performance.now();
    const { text, ext } = exportText(what, store, summary, {
      root: this.displayRoot(),
      classes: classList(this.plan as DatasetPlan),
    });
    hostStep(`build the ${what} export`, start);
    const name = `${path.basename(this.root.fsPath)}-${what.startsWith('table') ? 'table' : 'summary'}.${ext}`;
    const target = await saveWithDialog(
      vscode.Uri.joinPath(this.root, name),
      ext === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      new TextEncoder().encode(text),
    );
    if (!target) return;
    this.fire({ type: 'exported', what, path: target.fsPath });
    void vscode.window.setStatusBarMessage(`SegLens: exported ${path.basename(target.fsPath)}`, 4000);
  }

  dispose(): void {
    this.run?.abort.abort();
    const i = DatasetPanel.open.indexOf(this);
    if (i >= 0) DatasetPanel.open.splice(i, 1);
    livePanels().delete(this);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
