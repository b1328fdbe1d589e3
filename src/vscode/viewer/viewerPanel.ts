/**
 * One SegLens viewer panel: the webview's lifecycle, the ready handshake and the message loop.
 *
 * The host posts nothing before the webview's `ready` (docs/style.md habit 7): until then the latest load waits. Every
 * incoming message is validated by `parseFromWebview` first. Loads are numbered; a newer load cancels the older
 * one (its worker task is aborted), so quick successive clicks never race. Problems go to the panel and, for
 * errors, to a notification, both naming the file.
 */
import * as vscode from 'vscode';
import { CancelledError, errorMessage } from '../../core/errors';
import {
  type ClassLabel,
  DEFAULT_VIEW_OPTIONS,
  FromWebview,
  type ImageRegion,
  PROTOCOL_VERSION,
  Problem,
  type RenderTimings,
  RoleChoice,
  SampleRef,
  ToWebview,
  VIEWER_VIEW_TYPE,
  completeLayers,
  ViewOptions,
  parseFromWebview,
} from '../../protocol';
import { AnalysisController } from '../analysis/analysisController';
import type { OpenTimings, ViewerContext } from './context';
import { AfterFirstPaint } from './afterFirstPaint';
import { toLayer } from './layers';
import { openDroppedFiles } from './dropHost';
import { VIEWER_RESOURCE_FOLDERS, buildViewerHtml, makeNonce } from './html';
import { probeTile } from '../../protocol/viewerWire';
import { WireOutbox } from './wire';
import { placeByChoices, roleChoiceOf, setRoleChoice } from './roleChoices';
import {
  type FileTimings,
  SampleUris,
  displayName,
  findClassLabels,
  fromSampleRef,
  loadSample,
  pairFile,
  toSampleRef,
} from './sampleLoader';

let nextPanelId = 1;

/** The current load's times (ms since the epoch), for the rendered event's timings. */
interface LoadTiming {
  start: number;
  postedAt?: number;
  sentAt?: number;
  waitedForReady?: boolean;
  files?: FileTimings[];
  /** A large image's preview: when its sample was handed to VS Code, and when the webview showed it. */
  previewSentAt?: number;
  previewShownAt?: number;
}

export class ViewerPanel implements vscode.Disposable {
  /** Open panels, newest last; the commands reuse the newest one. */
  static readonly open: ViewerPanel[] = [];

  readonly id = nextPanelId++;
  private ready = false;
  private readonly outbox: ToWebview[] = [];
  private requestId = 0;
  private current?: AbortController;
  private view: ViewOptions;
  private sample: SampleRef = {};
  private readonly disposables: vscode.Disposable[] = [];
  /**
   * When the current load started, when its sample was handed to `post` (before packing) and when its packed
   * messages were handed to VS Code, with its files' read and decode times (for the rendered event's timings).
   */
  private timing?: LoadTiming & { requestId: number };
  /**
   * What the panel currently shows. Without retainContextWhenHidden (docs/style.md habit 8) VS Code destroys a hidden
   * webview and starts it afresh when shown; its new `ready` is answered by re-posting these, so the picture comes
   * back at once without re-reading the files.
   */
  /** Decoder comparison, error maps and metrics of the shown sample (host/analysis). */
  private readonly analysis: AnalysisController;
  /** A load's analysis starts once its picture is on screen, so it never slows the first overlay. */
  private readonly afterPaint = new AfterFirstPaint();
  private shown: {
    sample?: Extract<ToWebview, { type: 'sample' }>;
    problems: Extract<ToWebview, { type: 'problems' }>[];
  } = {
    problems: [],
  };

  static create(ctx: ViewerContext): ViewerPanel {
    const panel = vscode.window.createWebviewPanel(
      VIEWER_VIEW_TYPE,
      'SegLens',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(ctx.extensionUri),
    );
    return new ViewerPanel(ctx, panel, { ...DEFAULT_VIEW_OPTIONS, opacity: ctx.settings().opacity });
  }

  /** Rebuilds a panel VS Code restored after a reload (the serializer calls this). */
  static revive(ctx: ViewerContext, panel: vscode.WebviewPanel, view: ViewOptions): ViewerPanel {
    return new ViewerPanel(ctx, panel, view);
  }

  /** The most recently created panel that is still open, or a new one. */
  static reuseOrCreate(ctx: ViewerContext): ViewerPanel {
    const last = ViewerPanel.open[ViewerPanel.open.length - 1];
    if (last) {
      last.panel.reveal(undefined, false);
      return last;
    }
    return ViewerPanel.create(ctx);
  }

  private constructor(
    private readonly ctx: ViewerContext,
    readonly panel: vscode.WebviewPanel,
    view: ViewOptions,
  ) {
    this.view = view;
    this.analysis = new AnalysisController({
      ctx,
      panelId: this.id,
      post: (m) => this.post(m),
      view: () => this.view,
      load: (u, n) => this.load(u, n),
    });
    panel.webview.options = webviewOptions(ctx.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.deliver(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    try {
      panel.webview.html = this.html();
    } catch (e) {
      // A panel without its page could never become ready; close it rather than let later loads queue into it.
      this.dispose();
      throw e;
    }
    // Registered only once fully set up, so a failed construction is never reused.
    ViewerPanel.open.push(this);
  }

  private html(): string {
    const w = this.panel.webview;
    const asUri = (...p: string[]) =>
      w.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, ...p)).toString();
    return buildViewerHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: asUri('dist', 'webview.js'),
      codiconUri: asUri('dist', 'codicon.css'),
      styleUris: [asUri('media', 'panel.css'), asUri('media', 'viewer.css')],
      title: 'SegLens',
    });
  }

  private post(msg: ToWebview): void {
    if (msg.type === 'sample' && msg.completes) {
      // The image after its preview: a recreated webview gets the whole sample, never the preview.
      if (this.shown.sample?.requestId === msg.requestId) {
        const { completes: _, ...rest } = msg;
        this.shown.sample = { ...rest, layers: completeLayers(this.shown.sample.layers, msg.layers) };
      }
    } else if (msg.type === 'sample') this.shown = { sample: msg, problems: [] };
    else if (msg.type === 'problems') {
      if (this.shown.sample && this.shown.sample.requestId !== msg.requestId) this.shown = { problems: [] };
      this.shown.problems.push(msg);
    }
    if (!this.ready) {
      // Only the newest load matters before the webview is ready; older queued loads are dropped (both parts of a
      // sample sent as a preview first stay).
      if (msg.type === 'sample' || msg.type === 'loading') {
        for (let i = this.outbox.length - 1; i >= 0; i--) {
          const o = this.outbox[i];
          if (o.type === 'loading' || (o.type === 'sample' && o.requestId < msg.requestId))
            this.outbox.splice(i, 1);
        }
      }
      this.outbox.push(msg);
      if (msg.type === 'sample' && this.timing?.requestId === msg.requestId)
        this.timing.waitedForReady = true;
      return;
    }
    this.send(msg);
  }

  /**
   * Posts in order, pixels packed for the wire (./wire.ts, src/protocol/viewerWire.ts): masks run-length or
   * bit-packed, a large probability map as its heatmap levels, packed in short turns of the host's thread.
   */
  private readonly wire = new WireOutbox(
    (wire) =>
      void this.panel.webview.postMessage(wire).then(undefined, (e: unknown) => {
        this.ctx.log.warn(`posting ${wire.type} to the viewer failed: ${errorMessage(e)}`);
      }),
    (msg, e) => this.ctx.log.warn(`posting ${msg.type} to the viewer failed: ${errorMessage(e)}`),
  );

  private send(msg: ToWebview): void {
    const sent = this.wire.send(msg);
    const t = this.timing;
    // When the load's pixels were handed to VS Code (packed; after the webview's ready when it had to wait).
    if (msg.type === 'sample' && t?.requestId === msg.requestId) {
      const preview = msg.layers.some((l) => l.previewOf);
      void sent.then(() => {
        if (preview) t.previewSentAt = Date.now();
        else t.sentAt = Date.now();
      });
    }
  }

  /** The hover read-out's exact probability: the tile around (x, y) of the shown map, when it is that load's. */
  private probe(requestId: number, x: number, y: number): void {
    const shown = this.shown.sample;
    if (!shown || shown.requestId !== requestId) return;
    const prob = shown.layers.find((l) => l.role === 'prob');
    const tile = prob && probeTile(requestId, prob.raster, x, y);
    if (tile) this.send(tile);
  }

  /** The newest open panel (the extension's test API sends it webview messages). */
  static newest(): ViewerPanel | undefined {
    return ViewerPanel.open[ViewerPanel.open.length - 1];
  }

  /** A message from the webview, validated like every one (also the test API's way in, as if the panel sent it). */
  deliver(raw: unknown): void {
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) {
      this.ctx.log.warn(`ignored an invalid message from the viewer webview: ${parsed.error}`);
      return;
    }
    const msg: FromWebview = parsed.value;
    switch (msg.type) {
      case 'ready': {
        if (msg.version !== PROTOCOL_VERSION) {
          this.ctx.log.warn(`viewer webview speaks protocol ${msg.version}, host ${PROTOCOL_VERSION}`);
        }
        const again = this.ready;
        this.ready = true;
        this.send({ type: 'init', version: PROTOCOL_VERSION, view: this.view });
        if (again) {
          // The webview was recreated (hidden, then shown): give it back what it showed.
          if (this.shown.sample) this.send(this.shown.sample);
          for (const p of this.shown.problems) this.send(p);
          this.analysis.replay();
        }
        for (const m of this.outbox.splice(0)) this.send(m);
        this.ctx.fire({ type: 'ready', panelId: this.id });
        return;
      }
      case 'rendered': {
        const now = Date.now();
        this.afterPaint.release(msg.requestId);
        const t = this.timing;
        const posted = t && t.requestId === msg.requestId ? t.postedAt : undefined;
        const { timings: webview, ...rendered } = msg;
        this.ctx.fire({
          ...rendered,
          panelId: this.id,
          ...(t && posted !== undefined
            ? {
                loadMs: posted - t.start,
                postToDrawnMs: now - posted,
                timings: openTimings(t, webview, now),
              }
            : {}),
        });
        return;
      }
      case 'previewed': {
        const t = this.timing;
        if (t && t.requestId === msg.requestId) t.previewShownAt = msg.at;
        this.ctx.fire({ type: 'previewed', panelId: this.id, requestId: msg.requestId });
        return;
      }
      case 'viewChanged':
        this.view = msg.view;
        return;
      case 'command':
        if (msg.command === 'openFiles') void this.ctx.openFiles();
        else void this.reload();
        return;
      case 'analysis':
        void this.analysis.receive(msg.request);
        return;
      case 'dropFiles':
        void openDroppedFiles(msg, this.ctx, {
          load: (uris, notes, problems) => this.load(uris, notes, problems),
          refuse: (problems) => this.report(this.requestId, problems),
        });
        return;
      case 'setRole':
        void this.setRole(msg.uri, msg.choice);
        return;
      case 'probe':
        this.probe(msg.requestId, msg.x, msg.y);
        return;
      case 'failed':
        if (msg.requestId !== undefined) this.afterPaint.release(msg.requestId);
        this.ctx.log.error(`viewer webview: ${msg.message}`);
        void vscode.window.showErrorMessage(`SegLens viewer: ${msg.message}`);
        this.ctx.fire({ type: 'failed', panelId: this.id, message: msg.message });
        return;
      default: {
        // A FromWebview member without a case here is a compile error (docs/style.md habit 1).
        const unhandled: never = msg;
        this.ctx.log.warn(`viewer webview sent an unhandled message: ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** The files the panel shows (URI strings). The model commands use it to find the panel of an image. */
  get currentSample(): SampleRef {
    return { ...this.sample };
  }

  /**
   * Zooms the sample of the latest load to an image region, with a margin, and shows the error map (the dataset
   * view's "check this label" jump); the webview applies it once that sample is drawn.
   */
  revealRegion(region: ImageRegion): void {
    this.post({ type: 'revealRegion', requestId: this.requestId, region: { ...region } });
  }

  /** Reloads the current sample from disk (toolbar "reload", restored panels). */
  reload(): Promise<void> {
    return this.load(fromSampleRef(this.sample), []);
  }

  /**
   * The user chose what a shown file is (the panel's role picker): remembered for the file in this workspace, and
   * the sample reloaded with the file in its new place. `null` forgets the choice and pairs the file afresh. Only
   * files of the shown sample are accepted.
   */
  private async setRole(uri: string, choice: RoleChoice | null): Promise<void> {
    if (!Object.values(this.sample).includes(uri)) return;
    setRoleChoice(uri, choice);
    if (choice) return this.load(fromSampleRef(this.sample), []);
    const file = vscode.Uri.parse(uri, true);
    const paired = await pairFile(file, this.ctx.settings(file).pairing);
    return this.load(paired.uris, paired.notes);
  }

  /** Loads and shows a sample. Resolves when the host has posted it (or its problems); never rejects. */
  async load(uris: SampleUris, notes: string[], extraProblems: Problem[] = []): Promise<void> {
    // The user's role choices place the files first (a lone map chosen as "probability map", a mask as "mask").
    const placed = placeByChoices(toSampleRef(uris), roleChoiceOf, (u) => u.split('/').pop() ?? u);
    uris = fromSampleRef(placed.slots);
    notes = [...notes, ...placed.notes];
    this.current?.abort();
    // The shown sample's analysis stops too: its tasks would hold the worker threads this load decodes on, and
    // its results would land next to the new picture.
    this.afterPaint.drop();
    this.analysis.stop();
    const abort = new AbortController();
    this.current = abort;
    const requestId = ++this.requestId;
    this.timing = { requestId, start: Date.now() };
    this.sample = toSampleRef(uris);
    const main = uris.image ?? uris.gt ?? uris.prob;
    const title = main ? (main.path.split('/').pop() ?? 'SegLens') : 'SegLens';
    this.panel.title = `SegLens: ${title}`;
    if (!main) {
      this.report(
        requestId,
        extraProblems.length > 0
          ? extraProblems
          : [{ severity: 'error', message: 'Nothing to show: no image or mask was given.' }],
      );
      return;
    }
    this.post({ type: 'loading', requestId, label: `Loading ${displayName(main)}…` });
    try {
      const settings = this.ctx.settings(main);
      // The labels file is looked for while the files decode (it was a step of its own after them).
      const labels = uris.gt
        ? findClassLabels(uris.gt).catch((): Awaited<ReturnType<typeof findClassLabels>> => ({}))
        : undefined;
      const loaded = await loadSample(
        uris,
        settings.maxPixels,
        this.ctx.pool(),
        abort.signal,
        roleChoiceOf,
        // A mask or map decoded before the others is packed for the wire while they still decode.
        (role, raster) => {
          if (!abort.signal.aborted) this.wire.prepack(toLayer(role, raster, '', ''));
        },
      );
      if (abort.signal.aborted) return;
      const problems = [...extraProblems, ...loaded.problems];
      let classLabels: ClassLabel[] | undefined;
      if (labels && loaded.layers.some((l) => l.role === 'gt')) {
        const found = await labels;
        if (abort.signal.aborted) return;
        classLabels = found.labels;
        if (found.note) notes = [...notes, found.note];
        if (found.problem) problems.push(found.problem);
      }
      if (loaded.layers.length > 0) {
        const timing = this.timing?.requestId === requestId ? this.timing : undefined;
        if (timing) {
          timing.postedAt = Date.now();
          timing.files = loaded.timings;
        }
        const sample = { type: 'sample', requestId, sample: this.sample, notes, classLabels } as const;
        const preview = loaded.preview;
        if (preview) {
          // A large image: its preview goes first with the other layers, the image after them. The transfer to the
          // webview runs at the pace of the workbench's connection, so the overlay shows in a fraction of the time
          // (issue 13); the picture sharpens when the image arrives.
          this.post({ ...sample, layers: loaded.layers.map((l) => (l.role === 'image' ? preview : l)) });
          this.post({ ...sample, layers: loaded.layers.filter((l) => l.role === 'image'), completes: true });
        } else this.post({ ...sample, layers: loaded.layers });
        // The analysis waits for the picture (also when its error map is the overlay: see ./afterFirstPaint.ts),
        // unless the panel is hidden.
        this.afterPaint.hold(
          requestId,
          () => void this.analysis.start(requestId, uris, classLabels),
          this.panel.visible,
        );
      }
      if (problems.length > 0 || loaded.layers.length === 0) this.report(requestId, problems);
    } catch (e) {
      if (e instanceof CancelledError) return;
      this.report(requestId, [{ severity: 'error', message: `Loading failed: ${errorMessage(e)}` }]);
    } finally {
      if (this.current === abort) this.current = undefined;
    }
  }

  private report(requestId: number, problems: Problem[]): void {
    this.post({ type: 'problems', requestId, problems });
    this.ctx.fire({ type: 'problems', panelId: this.id, requestId, problems });
    const errors = problems.filter((p) => p.severity === 'error');
    for (const p of errors) this.ctx.log.error(p.message);
    if (errors.length > 0) {
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      void vscode.window.showErrorMessage(`SegLens: ${errors[0].message}${more}`);
    }
  }

  dispose(): void {
    this.current?.abort();
    this.afterPaint.drop();
    this.analysis.dispose();
    const i = ViewerPanel.open.indexOf(this);
    if (i >= 0) ViewerPanel.open.splice(i, 1);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** The rendered event's step-by-step timings: the host's clock for its steps, the webview's marks for its own. */
function openTimings(t: LoadTiming, webview: RenderTimings | undefined, now: number): OpenTimings {
  const sent = t.sentAt ?? t.postedAt ?? now;
  const out: OpenTimings = {
    startAt: t.start,
    files: t.files ?? [],
    postedMs: sent - t.start,
    renderedMs: now - t.start,
  };
  if (t.waitedForReady) out.waitedForReady = true;
  if (t.previewSentAt !== undefined && t.previewShownAt !== undefined)
    out.preview = { postedMs: t.previewSentAt - t.start, shownMs: t.previewShownAt - t.start };
  if (webview) {
    const { receivedAt, pageAt, readyAt, ...steps } = webview;
    out.transferMs = receivedAt - sent;
    out.webview = steps;
    if (t.waitedForReady) out.page = { startMs: pageAt - t.start, readyMs: readyAt - t.start };
  }
  return out;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: VIEWER_RESOURCE_FOLDERS.map((f) => vscode.Uri.joinPath(extensionUri, f)),
  };
}
