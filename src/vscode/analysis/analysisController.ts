/**
 * The analysis of the sample a viewer panel shows: decoders, error maps, metrics and charts, run in the worker pool
 * and posted to the panel as they finish (base first — the slider and the threshold overlay need only that — then
 * each decoder, then the expected-Dice curve).
 *
 * Results are cached per sample + settings + decoder, so switching decoder A/B or going back to a threshold is
 * instant; a new load aborts the previous one's tasks (their worker threads stop). Bad input becomes an in-panel
 * problem, with a fix offered (logits → sigmoid/softmax, size mismatch → resize) but never applied without the
 * user's click.
 */
import { decoderInfo } from '../../core/decoders';
import { csvCell } from '../../core/csv';
import * as vscode from 'vscode';
import { CancelledError, InputError, errorMessage } from '../../core/errors';
import {
  ANALYSIS_DECODERS,
  AnalysisBase,
  AnalysisDecoder,
  AnalysisFiles,
  AnalysisSettings,
  AnalysisViewState,
  DEFAULT_ANALYSIS_VIEW,
  DecoderView,
} from '../../core/viewmodel/analysisTypes';
import { isLogitsMessage, panelLogitsMessage } from '../../core/viewmodel/logitsHint';
import { labelsToNpy, labelsToPng, metricsToCsv, metricsToJson } from '../../core/viewmodel/exportFormats';
import type {
  AnalysisEvent,
  AnalysisRequest,
  AnalysisSection,
  ClassLabel,
  ExportWhat,
  ToWebview,
  ViewOptions,
} from '../../protocol';
import type { ViewerContext } from '../viewer/context';
import { roleChoiceOf } from '../viewer/roleChoices';
import { hostStep } from '../../node/workers/hostStep';
import { performance } from 'node:perf_hooks';

/**
 * Copies file bytes once into shared memory. Every analysis task of a sample (base, one per decoder, curve and each
 * slider mask) takes the same map; a plain Uint8Array would be structured-cloned into each task on the host's
 * thread (67 MB per task on a 4096² float map), while a view on a SharedArrayBuffer crosses to a worker without a
 * copy. The workers only read these bytes.
 */
function shareBytes(bytes: Uint8Array): Uint8Array {
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}
import type { SampleUris } from '../viewer/sampleLoader';
import { exportFileName, exportStem } from '../../core/dataset/exports';
import { workspaceLossLint } from '../diagnostics/lossSummary';
import { defaultExportUri, saveWithDialog } from './exportFile';
import { rememberModelOf } from './modelMemory';
import { listModels, modelUri } from './modelProbs';

export interface AnalysisHost {
  ctx: ViewerContext;
  panelId: number;
  post(msg: ToWebview): void;
  view(): ViewOptions;
  /** Reloads the panel with other files (the model dropdown). */
  load(uris: SampleUris, notes: string[]): Promise<void>;
}

interface Current {
  requestId: number;
  uris: SampleUris;
  files: AnalysisFiles;
  settings: AnalysisSettings;
  abort: AbortController;
  base?: AnalysisBase;
  /** Everything posted for this load, re-posted when the webview is recreated. */
  posted: AnalysisEvent[];
  /** Slider on a large map: the threshold being computed, and the latest one asked for meanwhile. */
  sliding?: { running: boolean; next?: number };
}

function settingsKey(s: AnalysisSettings, decoder: AnalysisDecoder): string {
  // Only what changes a decoder's result is part of its key.
  const common = `${s.logits ?? ''}|${s.resize ? 1 : 0}`;
  switch (decoder) {
    case 'threshold':
      return `${common}|t${s.threshold}`;
    case 'topk':
      return `${common}|k${s.topK ?? `t${s.threshold}`}`;
    default:
      // Every decoder with solvers (its registry row lists them) depends on the solver choice.
      return (decoderInfo(decoder)?.solvers.length ?? 0) > 0 ? `${common}|${s.solver}` : common;
  }
}

const CONTROLLERS = new Set<AnalysisController>();

/** Every live controller, oldest first: the extension's test API drives a panel through it. */
export function liveControllers(): ReadonlySet<AnalysisController> {
  return CONTROLLERS;
}

export class AnalysisController implements vscode.Disposable {
  private current?: Current;
  private readonly cache = new Map<string, DecoderView>();
  /** The files the last 'explain' event listed: the only ones the panel may ask to open. */
  private lossFiles = new Set<string>();
  /** Class names of the sample (labels.json near the mask), for the exports. */
  private classNames = new Map<number, string>();

  constructor(private readonly host: AnalysisHost) {
    CONTROLLERS.add(this);
  }

  /** The panel this controller belongs to. */
  get panelId(): number {
    return this.host.panelId;
  }

  /** The probability map analysed now (URI string; tests check which model's map was paired). */
  get shownProb(): string | undefined {
    return this.current?.uris.prob?.toString();
  }

  /** Changes the panel's choices as a user would (only through the extension's test API, SegLensApi.test). */
  drive(patch: Partial<AnalysisViewState>, reveal?: AnalysisSection, zoomObject?: number): void {
    const cur = this.current;
    if (cur)
      this.host.post({
        type: 'analysis',
        requestId: cur.requestId,
        event: { type: 'apply', patch, reveal, zoomObject },
      });
  }

  private settings(): AnalysisSettings {
    return { ...(this.host.view().analysis ?? DEFAULT_ANALYSIS_VIEW).settings };
  }

  private emit(event: AnalysisEvent): void {
    const cur = this.current;
    if (!cur) return;
    if (event.type !== 'progress') cur.posted.push(event);
    this.host.post({ type: 'analysis', requestId: cur.requestId, event });
  }

  private fire(
    what: Extract<Parameters<ViewerContext['fire']>[0], { type: 'analysis' }>['what'],
    detail: string,
  ) {
    this.host.ctx.fire({ type: 'analysis', panelId: this.host.panelId, what, detail });
  }

  /**
   * A new load began: the shown sample's analysis stops (its running tasks would take the worker threads the new
   * load decodes on; its results would be for a picture about to be replaced).
   */
  stop(): void {
    this.current?.abort.abort();
    this.current = undefined;
  }

  /** Starts the analysis of a freshly loaded sample (called by the panel once the sample is drawn). */
  async start(requestId: number, uris: SampleUris, classLabels?: readonly ClassLabel[]): Promise<void> {
    this.current?.abort.abort();
    this.current = undefined;
    this.classNames = new Map((classLabels ?? []).map((c) => [c.index, c.name]));
    if (!uris.prob) return;
    const abort = new AbortController();
    const settings = this.settings();
    // The user said this file holds logits (the panel's role picker): the analysis converts them, as asked.
    const choice = roleChoiceOf(uris.prob.toString());
    if (choice?.role === 'logits') settings.logits = choice.activation ?? 'sigmoid';
    const label = (u: vscode.Uri) => vscode.workspace.asRelativePath(u, false);
    let files: AnalysisFiles;
    try {
      const [probBytes, gtBytes] = await Promise.all([
        vscode.workspace.fs.readFile(uris.prob),
        uris.gt ? vscode.workspace.fs.readFile(uris.gt) : Promise.resolve(undefined),
      ]);
      const t0 = performance.now();
      files = {
        probBytes: shareBytes(probBytes),
        probSource: label(uris.prob),
        gtBytes: gtBytes && shareBytes(gtBytes),
        gtSource: uris.gt ? label(uris.gt) : undefined,
        maxPixels: this.host.ctx.settings(uris.prob).maxPixels,
      };
      hostStep('share the analysis bytes', t0);
    } catch (e) {
      this.host.ctx.log.warn(`analysis: cannot read the sample: ${errorMessage(e)}`);
      return;
    }
    const cur: Current = { requestId, uris, files, settings, abort, posted: [] };
    this.current = cur;
    const models = await listModels(uris.prob);
    this.emit({
      type: 'started',
      models: models.names,
      model: models.current,
      label: `Analysing ${files.probSource}…`,
    });
    await this.run(cur, [...ANALYSIS_DECODERS]);
  }

  /** Base (once per load), then the decoders asked for, then the expected-Dice curve. */
  private async run(cur: Current, decoders: AnalysisDecoder[]): Promise<void> {
    const pool = this.host.ctx.pool();
    const signal = cur.abort.signal;
    try {
      if (!cur.base) {
        const base = await pool.run(
          'analysisBase',
          { files: cur.files, settings: cur.settings },
          {
            signal,
            onProgress: (p) => this.emit({ type: 'progress', label: p.label ?? '', fraction: p.fraction }),
          },
        );
        if (this.current !== cur) return;
        cur.base = base;
        this.emit({ type: 'base', base });
        this.fire(
          'base',
          `${base.width}×${base.height} ${base.layout.kind}${base.hasGt ? ' with GT' : ' without GT'}${base.needsResize ? ', needs resize' : ''}`,
        );
        void this.explain(cur, base.maxProb);
      }
      const tuned = cur.base.sweep?.best.threshold;
      // Decoder A first: it is what the overlay shows.
      const a = this.host.view().analysis?.decoderA;
      const ordered = a && decoders.includes(a) ? [a, ...decoders.filter((d) => d !== a)] : decoders;
      await Promise.all(
        ordered.map(async (decoder) => {
          const asked = settingsKey(cur.settings, decoder);
          const key = `${cur.uris.prob?.toString()}|${decoder}|${asked}|${tuned}`;
          let view = this.cache.get(key);
          if (!view) {
            view = await pool.run(
              'analysisDecode',
              { files: cur.files, settings: cur.settings, decoder, tuned },
              { signal },
            );
            this.cache.set(key, view);
            while (this.cache.size > 32) this.cache.delete(this.cache.keys().next().value as string);
          }
          if (this.current !== cur) return;
          // Settings changed while this one computed (a slider let go at 0.49, then at 0.5): the newer request
          // posts its own result, perhaps already did from the cache; this older one must not replace it.
          if (settingsKey(cur.settings, decoder) !== asked) return;
          this.emit({ type: 'decoder', view: forWebview(view) });
          this.fire('decoder', `${decoder}: ${view.unavailable ?? view.label}`);
        }),
      );
      if (!cur.posted.some((e) => e.type === 'curve')) {
        const prefix = `${cur.uris.prob?.toString()}|`;
        const views = [...this.cache].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
        const kMax = Math.max(1, ...views.flatMap((v) => v.perClass.map((c) => c.k)));
        const curve = await pool.run(
          'analysisCurve',
          { files: cur.files, settings: cur.settings, maxK: 3 * kMax },
          { signal },
        );
        if (this.current !== cur) return;
        this.emit({ type: 'curve', curve });
      }
    } catch (e) {
      if (e instanceof CancelledError || this.current !== cur) return;
      this.problem(e);
    }
  }

  private problem(e: unknown): void {
    const raw = e instanceof InputError ? e.message : `Analysis failed: ${errorMessage(e)}`;
    // The core's logits message is for every front end; the panel words its own fix (the conversion buttons).
    const looksLikeLogits = isLogitsMessage(raw);
    const message = looksLikeLogits ? panelLogitsMessage(raw) : raw;
    this.emit({ type: 'problem', message, offer: looksLikeLogits ? 'sigmoid' : undefined });
    this.fire('problem', message);
  }

  /** Re-posts everything of the current load (the webview was recreated after being hidden). */
  replay(): void {
    const cur = this.current;
    if (!cur) return;
    for (const event of cur.posted) this.host.post({ type: 'analysis', requestId: cur.requestId, event });
  }

  /**
   * Sends what the panel needs to explain an empty selection: the map's largest foreground probability and, when no
   * pixel reaches the threshold of this analysis, the workspace's loss-lint findings (the likely cause).
   */
  private async explain(cur: Current, maxProb: number | undefined): Promise<void> {
    if (maxProb === undefined) return;
    const lint = maxProb <= cur.settings.threshold ? await workspaceLossLint() : undefined;
    if (this.current !== cur) return;
    this.lossFiles = new Set(lint?.files.map((f) => f.uri));
    this.emit({ type: 'explain', maxProb, lint });
    this.fire(
      'explain',
      `max ${maxProb}${lint ? `; ${lint.findings} findings in ${lint.files.map((f) => f.label).join(', ')}` : ''}`,
    );
  }

  /** Opens a file the last 'explain' listed, at its first finding; any other URI is ignored. */
  private async openLossFile(uri: string): Promise<void> {
    if (!this.lossFiles.has(uri)) return;
    const line = this.current?.posted
      .flatMap((e) => (e.type === 'explain' ? (e.lint?.files ?? []) : []))
      .find((f) => f.uri === uri)?.line;
    const at = new vscode.Position(line ?? 0, 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(uri, true), {
      selection: new vscode.Range(at, at),
    });
  }

  async receive(req: AnalysisRequest): Promise<void> {
    const cur = this.current;
    switch (req.type) {
      case 'openLossFile':
        await this.openLossFile(req.uri);
        return;
      case 'drawn':
        this.fire('drawn', `${req.decoderA} ${req.show}: ${req.summary}`);
        return;
      case 'view':
        this.fire('view', JSON.stringify({ box: req.box, stage: req.stage, views: req.views }));
        return;
      case 'cancel':
        if (!cur) return;
        // Stops the running tasks; later requests (a new threshold, a decoder change) start afresh.
        cur.abort.abort();
        cur.abort = new AbortController();
        this.emit({ type: 'progress', label: 'Cancelled.', fraction: 1 });
        return;
      case 'threshold':
        if (cur) await this.slide(cur, req.threshold);
        return;
      case 'settings': {
        if (!cur) return;
        const resized =
          req.settings.resize !== cur.settings.resize || req.settings.logits !== cur.settings.logits;
        cur.settings = req.settings;
        if (resized) cur.base = undefined;
        // A threshold moved above the map's maximum: the explanation now needs the lint findings too.
        const max = cur.base?.maxProb;
        const hasLint = cur.posted.some((e) => e.type === 'explain' && e.lint);
        if (max !== undefined && max <= req.settings.threshold && !hasLint) void this.explain(cur, max);
        await this.run(cur, req.decoders);
        return;
      }
      case 'consent': {
        if (!cur) return;
        const s: AnalysisSettings = { ...cur.settings };
        if (req.consent === 'resize') s.resize = true;
        else s.logits = req.consent;
        cur.settings = s;
        cur.base = undefined;
        cur.posted = cur.posted.filter((e) => e.type === 'started');
        await this.run(cur, [...ANALYSIS_DECODERS]);
        return;
      }
      case 'model': {
        if (!cur?.uris.prob) return;
        const prob = modelUri(cur.uris.prob, req.model);
        // The choice becomes the default for the next sample opened from this folder (this workspace).
        rememberModelOf(prob, req.model);
        await this.host.load({ ...cur.uris, prob }, [`Probability map of model ${req.model}.`]);
        return;
      }
      case 'export':
        await this.export(req.decoder, req.what);
        return;
    }
  }

  /**
   * The slider on a map over the ranking budget: one threshold mask at a time in the pool; positions asked for
   * while one is computed collapse into the latest, so a fast drag never queues stale masks (and never stops a
   * worker thread, which would cost a restart).
   */
  private async slide(cur: Current, threshold: number): Promise<void> {
    const sliding = (cur.sliding ??= { running: false });
    sliding.next = threshold;
    if (sliding.running) return;
    sliding.running = true;
    try {
      while (sliding.next !== undefined && this.current === cur) {
        const t = sliding.next;
        sliding.next = undefined;
        const r = await this.host.ctx
          .pool()
          .run(
            'analysisThreshold',
            { files: cur.files, settings: cur.settings, threshold: t },
            { signal: cur.abort.signal, priority: true },
          );
        if (this.current !== cur) return;
        // Not kept in `posted`: a recreated webview asks again from its restored slider.
        this.host.post({ type: 'analysis', requestId: cur.requestId, event: { type: 'mask', ...r } });
        this.fire('mask', `t=${t}: ${r.selected} selected`);
      }
    } catch (e) {
      if (!(e instanceof CancelledError) && this.current === cur) this.problem(e);
    } finally {
      sliding.running = false;
    }
  }

  private viewOf(decoder: AnalysisDecoder): DecoderView | undefined {
    const cur = this.current;
    if (!cur) return undefined;
    const tuned = cur.base?.sweep?.best.threshold;
    return this.cache.get(
      `${cur.uris.prob?.toString()}|${decoder}|${settingsKey(cur.settings, decoder)}|${tuned}`,
    );
  }

  private async export(decoder: AnalysisDecoder, what: ExportWhat): Promise<void> {
    const cur = this.current;
    const view = this.viewOf(decoder);
    if (!cur || !cur.base || !view || !view.labels) {
      this.emit({
        type: 'problem',
        message: `Nothing to export yet for ${decoder}: its result is not ready.`,
      });
      return;
    }
    const { width, height } = cur.base;
    const base = cur.uris.image ?? cur.uris.prob;
    const stem = exportStem(base?.path);
    const names = this.classNames;
    const [ext, filters, bytes] = ((): [string, Record<string, string[]>, () => Uint8Array] => {
      switch (what) {
        case 'mask-png':
          return ['png', { 'PNG label map': ['png'] }, () => labelsToPng(view.labels!, width, height)];
        case 'mask-npy':
          return ['npy', { 'NumPy array': ['npy'] }, () => labelsToNpy(view.labels!, width, height)];
        case 'metrics-json':
          return [
            'json',
            { JSON: ['json'] },
            () =>
              new TextEncoder().encode(
                metricsToJson({
                  sample: {
                    image: cur.uris.image?.toString(),
                    gt: cur.uris.gt?.toString(),
                    prob: cur.uris.prob?.toString(),
                  },
                  decoder: view.decoder,
                  classNames: Object.fromEntries([...names].map(([k, v]) => [String(k), v])),
                  threshold: view.threshold,
                  k: view.k,
                  solver: view.solver,
                  expected: {
                    meanDice: view.meanExpectedDice,
                    meanIoU: view.meanExpectedIoU,
                    perClass: view.perClass,
                  },
                  metrics: view.metrics ?? null,
                }),
              ),
          ];
        case 'metrics-csv':
          return ['csv', { CSV: ['csv'] }, () => new TextEncoder().encode(csvOf(view, names))];
      }
    })();
    // Offered in the export folder (seglens-exports/ by default), never beside the data: see exportFile.ts.
    const kind = what.startsWith('mask') ? 'mask' : 'metrics';
    const defaultUri = defaultExportUri(base, exportFileName(stem, decoder, kind, ext));
    try {
      const target = await saveWithDialog(defaultUri, filters, bytes());
      if (!target) return;
      this.emit({ type: 'exported', path: target.fsPath });
      this.fire('exported', target.fsPath);
    } catch (e) {
      this.problem(e);
    }
  }

  dispose(): void {
    CONTROLLERS.delete(this);
    this.current?.abort.abort();
    this.current = undefined;
    this.cache.clear();
  }
}

/**
 * The webview channel carries JSON, where NaN and ±Infinity would become null; the metrics go over with them spelt
 * as strings (as the CLI writes them), so the panel can tell an undefined distance from an infinite one.
 */
function forWebview(view: DecoderView): DecoderView {
  if (!view.metrics) return view;
  return { ...view, metrics: JSON.parse(metricsToJson(view.metrics)) as DecoderView['metrics'] };
}

/**
 * CSV of a decoder's result: the metric core's rows with a ground truth, the expected scores always; the `name`
 * column holds the class names of labels.json when the sample has one.
 */
function csvOf(view: DecoderView, names: ReadonlyMap<number, string>): string {
  const field = (s: string): string => csvCell(s);
  const rows = view.perClass
    .flatMap((c) => {
      const at = `${view.decoder},${c.cls},${field(names.get(c.cls) ?? '')}`;
      return [`${at},k,${c.k}`, `${at},expectedDice,${c.expectedDice}`, `${at},expectedIoU,${c.expectedIoU}`];
    })
    .join('\n');
  if (view.metrics) return metricsToCsv(view.metrics, view.decoder, names) + rows + '\n';
  return `decoder,class,name,metric,value\n${rows}\n`;
}
