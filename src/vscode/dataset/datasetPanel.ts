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
import { errorMessage } from '../../core/errors';
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
import type { DatasetPlan } from '../../node/dataset';
import { hostStep } from '../../node/workers/hostStep';
import { saveWithDialog } from '../analysis/exportFile';
import type { ModelCommandDeps } from '../model/deps';
import type { ViewerContext } from '../viewer/context';
import { Evaluations } from './evaluation';
import { exportText } from './exportData';
import { OnnxChoices, prepareOnnx } from './onnxSource';
import { resolveModelSetting } from '../model/modelChoice';
import { openInViewer } from './openInViewer';
import { buildDatasetHtml, makeNonce } from './html';
import { classList, datasetRoot, previewOf } from './preview';
import { planOffThread } from './plan';
import type { RowStore } from './rowStore';
import { checkRequest } from './run';
import type { ViewerPanel } from '../viewer/viewerPanel';
import { datasetWebviewOptions } from './webviewOptions';
export { datasetWebviewOptions };
import type { DatasetEvent } from './events';
export type { DatasetEvent } from './events';
import { readDatasetSettings } from './settings';

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

/** The model commands' surroundings (the model worker, trust, settings): an ONNX model as a source needs them. */
let modelDeps: ModelCommandDeps | undefined;

export function setDatasetModelDeps(deps: ModelCommandDeps | undefined): void {
  modelDeps = deps;
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
  private readonly runs: Evaluations;
  /** The ONNX models the preview offers (workspace, setting, picked in a dialog). */
  private readonly onnx = new OnnxChoices();
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
    this.runs = new Evaluations({
      ctx,
      root,
      post: (m) => this.post(m),
      fire: (e) => this.fire(e),
      problem: (m, s) => this.problem(m, s),
      cacheDir: () => cacheDir,
    });
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
      styleUris: [asUri('media', 'panel.css'), asUri('media', 'dataset.css')],
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

  fire(e: DatasetEvent): void {
    this.events.push(e);
    for (const l of this.listeners) l(e);
  }

  /** The compact rows of the current run (tests compare them with `seglens eval`). */
  get rows(): RowStore | undefined {
    return this.runs.run?.store;
  }

  get lastSummary(): DatasetSummary | undefined {
    return this.runs.summary?.summary;
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
      case 'ready':
        this.onReady(msg.version);
        return;
      case 'evaluate': {
        const onnx = msg.onnx ? this.onnx.pathOf(msg.onnx) : undefined;
        if (msg.onnx && !onnx) {
          this.problem(`The model ${msg.onnx} is not one this panel offered; pick it with "Other model…".`);
          return;
        }
        void this.evaluate(msg.models, msg.decoders, onnx);
        return;
      }
      case 'pickModel':
        void this.pickModel();
        return;
      case 'openCandidate':
        void this.openCandidate(msg.index);
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
      case 'cell':
        this.showCell(msg);
        return;
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

  /** The webview listens: it gets `init`, then (when rebuilt) what it showed, then what waited for it. */
  private onReady(version: number): void {
    if (version !== DATASET_PROTOCOL_VERSION)
      this.ctx.log.warn(`dataset webview speaks protocol ${version}, host ${DATASET_PROTOCOL_VERSION}`);
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
  }

  /** A confusion-matrix cell was clicked: the table shows only the images with pixels in it. */
  private showCell(msg: Extract<FromDatasetWebview, { type: 'cell' }>): void {
    const store = this.runs.run?.store;
    if (!store) return;
    const m = store.layout.models.indexOf(msg.model);
    const d = store.layout.decoders.indexOf(msg.decoder);
    if (m < 0 || d < 0) return;
    const names = this.runs.summary?.summary.classNames ?? [];
    const name = (c: number) => names[c] ?? `class ${c}`;
    const rows = store.rowsWithCell(m, d, msg.gt, msg.pred);
    this.post({
      type: 'rowSet',
      label: `GT ${name(msg.gt)} → predicted ${name(msg.pred)} (${msg.decoder}, ${msg.model}): ${rows.length} images`,
      rows,
    });
  }

  /** A rebuilt webview gets back the preview, the run's layout, all its rows and the summary. */
  private replay(): void {
    if (this.preview) this.post({ type: 'preview', preview: this.preview });
    const run = this.runs.run;
    if (!run) return;
    this.post({ type: 'started', runId: run.id, total: run.store.total, layout: run.store.layout });
    const rows = run.store.completedRows();
    for (let i = 0; i < rows.length; i += 2000)
      this.post({ type: 'rows', runId: run.id, ...run.store.batch(rows.slice(i, i + 2000)) });
    if (run.finished) this.post(run.finished);
    if (this.runs.summary) this.post(this.runs.summary);
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
      await this.findModels();
      this.preview = {
        ...previewOf(plan, this.displayRoot(), readDatasetSettings(this.root).decoders),
        ...this.onnx.offer((p) => this.label(p)),
      };
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

  /** The ONNX models to offer: the model setting's and the workspace's (none without the model runner). */
  private async findModels(): Promise<void> {
    if (!modelDeps) return;
    let configured: string | undefined;
    try {
      configured = resolveModelSetting(modelDeps.settings().path, modelDeps.roots());
    } catch (e) {
      this.ctx.log.warn(`seglens.model.path not used: ${errorMessage(e)}`);
    }
    const found = await modelDeps.findModels().catch(() => [] as string[]);
    this.onnx.setFound(configured, found);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Evaluation

  /**
   * Evaluates the planned set with these probability folders and decoders (the panel's "Evaluate" button) and,
   * with `onnx` (an absolute path), that ONNX model run on every image as one more model.
   */
  async evaluate(models: string[], decoders: string[], onnx?: string): Promise<void> {
    const plan = this.plan;
    if (!plan) {
      this.problem('The folder has not been listed yet.');
      return;
    }
    const request = checkRequest(plan, models, decoders, this.displayRoot(), onnx !== undefined);
    if (typeof request === 'string') {
      this.problem(request);
      return;
    }
    let prepared;
    if (onnx) {
      if (!modelDeps) {
        this.problem('Models cannot run here: the model runner is not available.');
        return;
      }
      try {
        prepared = await prepareOnnx(modelDeps, onnx, plan.models, plan.root);
      } catch (e) {
        this.problem(`Cannot run ${path.basename(onnx)}: ${errorMessage(e)}`);
        return;
      }
    }
    await this.runs.evaluate({
      plan,
      fingerprint: this.fingerprint,
      models,
      decoders: request,
      ...(prepared ? { onnx: prepared } : {}),
    });
  }

  /** Stops the running evaluation (the panel's and the notification's Cancel); finished rows stay. */
  cancel(): void {
    this.runs.cancel();
  }

  /** "Other model…": an .onnx file picked in a dialog joins the offered models, chosen. */
  private async pickModel(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectMany: false,
      filters: { 'ONNX model': ['onnx'] },
      openLabel: 'Evaluate with this model',
      title: 'SegLens: an ONNX model to run on every image of the set',
      defaultUri: this.root,
    });
    const file = picked?.[0];
    if (!file || file.scheme !== 'file' || !this.preview) return;
    this.onnx.pick(file.fsPath);
    this.preview = { ...this.preview, ...this.onnx.offer((p) => this.label(p), file.fsPath) };
    this.post({ type: 'preview', preview: this.preview });
  }

  private label(p: string): string {
    return vscode.workspace.asRelativePath(vscode.Uri.file(p), false);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Opening rows in the viewer, stepping through the worst

  /**
   * Opens table row `row` in the viewer with the panel's model (or `model`) and decoders. A row of the ONNX model
   * has no map on disk: the model runs again on that one image and the viewer shows its map.
   */
  async openRow(row: number, model?: string): Promise<ViewerPanel | undefined> {
    const store = this.runs.run?.store;
    const item = store?.items[row];
    if (!store || !item) return undefined;
    this.selected = row;
    const wanted = model ?? this.openModel;
    const chosen = store.layout.models.includes(wanted) ? wanted : store.layout.models[0];
    const pos = this.order.indexOf(row);
    const where = pos >= 0 ? ` (${pos + 1} of ${this.order.length} in the table's order)` : '';
    this.fire({ type: 'opened', row, id: item.id });
    const asked = this.openDecoders.length ? this.openDecoders : store.layout.decoders.slice(0, 2);
    const decoders = asked.filter((d) => store.layout.decoders.includes(d)) as AnalysisDecoder[];
    const prob = item.probs[chosen] ?? (await this.modelMap(chosen, item.image));
    return openInViewer(
      this.ctx,
      item,
      prob,
      decoders,
      `From the dataset ${this.displayRoot()}: ${item.id}${where}, model ${chosen}`,
    );
  }

  /** The ONNX model's map of one image, run again and stored where the viewer reads it (undefined on failure). */
  private async modelMap(model: string, image: string | undefined): Promise<string | undefined> {
    const onnx = this.runs.onnx;
    if (!onnx || onnx.source.name !== model || !image || !modelDeps) return undefined;
    try {
      const result = await modelDeps.runner().runImage(onnx.modelPath, image, { choice: onnx.choice });
      return await modelDeps.storeMap(onnx.modelPath, image, result.prob);
    } catch (e) {
      this.problem(`${model} on ${path.basename(image)}: ${errorMessage(e)}`);
      return undefined;
    }
  }

  /**
   * Opens a "check this label" candidate: its image in the viewer with its model, zoomed to the region (with a
   * margin) and the error map on.
   */
  async openCandidate(index: number): Promise<void> {
    const c = this.runs.summary?.summary.labelErrors[index];
    if (!c) return;
    const viewer = await this.openRow(c.row, c.model);
    if (!viewer || !c.region) return;
    viewer.revealRegion(c.region);
    this.fire({ type: 'revealed', row: c.row, region: { ...c.region } });
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
    const store = this.runs.run?.store;
    const summary = this.runs.summary?.summary;
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
    this.runs.cancel();
    const i = DatasetPanel.open.indexOf(this);
    if (i >= 0) DatasetPanel.open.splice(i, 1);
    livePanels().delete(this);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
