/**
 * The "SegLens Volume" panel: three orthogonal planes of a volume with its ground truth and prediction (its own
 * panel and bundle, beside the 2-D viewer). The worker pool reads, checks, decodes and scores the files
 * (src/node/volume/volumeSet.ts); the host keeps the voxels and cuts the slices the webview asks for
 * (src/core/volume/slice.ts): the crosshair's and its neighbours in the scroll direction, which the webview caches,
 * so a slice step is drawn there without a round trip. Slices cross in compact types (src/protocol/volumePixels.ts:
 * image as 16-bit levels, labels Uint8 when they fit); the exact values at the crosshair stay here and are sent
 * for the read-out. Cutting one 256² slice of every layer takes 1–4 ms (the sagittal plane reads with a stride);
 * the host cuts in turns of about 8 ms, so a long prefetch never holds its thread; everything heavy is in the pool.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { ANALYSIS_DECODERS } from '../../core/viewmodel/analysisTypes';
import { decoderInfo } from '../../core/decoders';
import { planeMappings, type DisplayConvention, type PlaneMapping } from '../../core/volume/slice';
import type {
  VolumeMismatch,
  VolumeRole,
  VolumeSetInput,
  VolumeSetResult,
} from '../../node/volume/volumeSet';
import {
  VOLUME_PROTOCOL_VERSION,
  VOLUME_VIEW_TYPE,
  parseFromVolumeWebview,
  type FromVolumeWebview,
  type ToVolumeWebview,
  type VolumeHeader,
  type VolumeMetricRow,
  type VolumePlane,
  type VolumeSlice,
} from '../../protocol/volume';
import type { VolumeLabelType } from '../../protocol/volumePixels';
import { cutSlice, labelTypeOf, voxelValues } from './slices';
import type { ViewerContext } from '../viewer/context';
import { buildViewerHtml, makeNonce, VIEWER_RESOURCE_FOLDERS } from '../viewer/html';

const baseName = (p: string) => p.replace(/^.*[\\/]/, '');

/** What a panel shows, for the command's caller (integration tests read the metrics from it). */
export interface VolumePanelSnapshot {
  panelId: number;
  state: 'loading' | 'shown' | 'mismatch' | 'failed';
  message?: string;
  header?: VolumeHeader;
  mismatch?: { files: [string, string]; differences: { property: string; a: string; b: string }[] };
  /** The last slices the webview reported drawn: cursor and each plane's canvas size in CSS pixels. */
  drawn?: Extract<FromVolumeWebview, { type: 'drawn' }>;
}

function argmax(xs: readonly number[]): number {
  let best = -1;
  let bestV = 0;
  xs.forEach((x, i) => {
    if (x > bestV) {
      best = i;
      bestV = x;
    }
  });
  return best;
}

let nextId = 1;

/** A slice the webview asked for, with the header generation it was asked under. */
interface SliceCut {
  plane: VolumePlane;
  index: number;
  generation: number;
}

export class VolumePanel {
  static readonly open = new Set<VolumePanel>();
  readonly id = nextId++;
  private ready = false;
  private readonly pending: ToVolumeWebview[] = [];
  private data?: VolumeSetResult;
  private planes: PlaneMapping[] = [];
  private convention: DisplayConvention = 'radiological';
  private cursor: [number, number, number] = [0, 0, 0];
  private snap: VolumePanelSnapshot;
  private drawnWaiters: ((s: VolumePanelSnapshot) => void)[] = [];
  private loading?: AbortController;
  private readonly disposables: vscode.Disposable[] = [];
  /** The header generation (VolumeHeader.generation): bumped with every header. */
  private generation = 0;
  private labelType: VolumeLabelType = 'uint8';
  /** Slices asked for and not yet cut, cut in turns (drainCuts). */
  private cuts: SliceCut[] = [];
  private cutting = false;
  /** The preview is shown and the full result is on its way: `drawn` does not settle show() yet. */
  private previewing = false;
  /** Scratch row for the image before quantisation (one plane's slice). */
  private scratch = new Float32Array(0);

  private constructor(
    private readonly ctx: ViewerContext,
    private readonly panel: vscode.WebviewPanel,
    private input: VolumeSetInput,
    private readonly notes: string[],
  ) {
    this.snap = { panelId: this.id, state: 'loading' };
    VolumePanel.open.add(this);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Opens a new panel on a set of volumes and resolves once its first slices are drawn (or it failed). */
  static async show(
    ctx: ViewerContext,
    input: VolumeSetInput,
    notes: string[] = [],
  ): Promise<VolumePanelSnapshot> {
    const names = Object.values(input.files).map((p) => baseName(p as string));
    const panel = vscode.window.createWebviewPanel(
      VOLUME_VIEW_TYPE,
      `SegLens Volume: ${names[0] ?? ''}`,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: VIEWER_RESOURCE_FOLDERS.map((f) => vscode.Uri.joinPath(ctx.extensionUri, f)),
      },
    );
    const p = new VolumePanel(ctx, panel, input, notes);
    const settled = p.nextDrawn();
    void p.load();
    return settled;
  }

  snapshot(): VolumePanelSnapshot {
    return this.snap;
  }

  /** The files shown, by role (the slice-by-slice model run takes the image: runModel.ts). */
  get files(): Partial<Record<VolumeRole, string>> {
    return this.input.files;
  }

  /** Whether the panel is the active editor tab. */
  get active(): boolean {
    return this.panel.active;
  }

  /**
   * Shows `probPath` as the probability volume, in place of any probability or prediction file, as if it had
   * been opened with the image (its heatmap, decoders and metrics); `notes` replace the panel's own notes. Resolves
   * once the new slices are drawn. The hook of runModel.ts.
   */
  showProbability(probPath: string, notes: readonly string[]): Promise<VolumePanelSnapshot> {
    const files = { ...this.input.files, prob: probPath };
    delete files.pred;
    this.input = { ...this.input, files };
    this.notes.splice(0, this.notes.length, ...notes);
    this.panel.reveal(undefined, false);
    const settled = this.nextDrawn();
    void this.load();
    return settled;
  }

  /** Resolves at the next drawn slices, or when loading ends in a mismatch or a failure. */
  private nextDrawn(): Promise<VolumePanelSnapshot> {
    return new Promise((resolve) => this.drawnWaiters.push(resolve));
  }

  private settle(): void {
    const ws = this.drawnWaiters;
    this.drawnWaiters = [];
    for (const w of ws) w(this.snap);
  }

  /**
   * A mismatch or a failure is settled when the webview reports it shown (its `drawn` with no planes), or after a
   * few seconds when the webview never does (a hidden panel), so the command always answers.
   */
  private settleSoon(): void {
    const t = setTimeout(() => this.settle(), 10_000);
    this.drawnWaiters.push(() => clearTimeout(t));
  }

  private html(): string {
    const w = this.panel.webview;
    const asUri = (...p: string[]) =>
      w.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, ...p)).toString();
    return buildViewerHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: asUri('dist', 'volume.js'),
      codiconUri: asUri('dist', 'codicon.css'),
      styleUris: [asUri('media', 'panel.css'), asUri('media', 'volume.css')],
      title: 'SegLens Volume',
      label: 'SegLens volume viewer',
    });
  }

  /** Posts a message (queued until the webview is ready). VS Code moves ArrayBuffers as binary, not JSON. */
  private post(msg: ToVolumeWebview): void {
    if (!this.ready) {
      this.pending.push(msg);
      return;
    }
    void this.panel.webview.postMessage(msg).then(undefined, (e: unknown) => {
      this.ctx.log.warn(`volume panel: posting ${msg.type} failed: ${errorMessage(e)}`);
    });
  }

  private async load(): Promise<void> {
    this.loading?.abort();
    const abort = new AbortController();
    this.loading = abort;
    this.post({ type: 'busy', label: 'Reading and scoring the volumes…' });
    const pool = this.ctx.pool();
    // Opening with a probability volume (hundreds of MB to inflate, decode and score at 256³): the other files are
    // shown first, from a task that skips the probabilities and the scores (docs/volumes.md "Speed"). The full task
    // starts after it: side by side they competed for two cores and peaked at 3.0–3.2× the raw data's memory.
    const files = this.input.files;
    let preview: Promise<void> = Promise.resolve();
    if (!this.data && files.prob && (files.image || files.gt || files.pred)) {
      preview = pool.run('volumeSet', { ...this.input, preview: true }, { signal: abort.signal }).then(
        (p) => this.showPreview(p, abort),
        () => undefined, // the full run reports any problem
      );
    }
    try {
      await preview;
      if (abort.signal.aborted) return;
      const result: VolumeSetResult | VolumeMismatch = await pool.run('volumeSet', this.input, {
        signal: abort.signal,
      });
      this.previewing = false;
      if (abort.signal.aborted) return;
      if (result.kind === 'mismatch') {
        this.snap = { panelId: this.id, state: 'mismatch', message: result.message, mismatch: result };
        this.post({
          type: 'mismatch',
          files: [baseName(result.files[0]), baseName(result.files[1])],
          differences: result.differences,
          message: result.message,
        });
        this.settleSoon();
        return;
      }
      const first = !this.data;
      this.data = result;
      this.planes = planeMappings(result.geometry, this.convention);
      if (first) {
        this.cursor = [...result.centre];
      }
      this.postHeader();
      this.postSlices();
      this.postVoxel();
    } catch (e) {
      this.previewing = false;
      if (abort.signal.aborted) return;
      const message = errorMessage(e);
      this.snap = { panelId: this.id, state: 'failed', message };
      this.post({ type: 'problem', message });
      this.ctx.log.error(`volume panel: ${message}`);
      this.settleSoon();
    }
  }

  /** Shows the preview (no probabilities, no scores) when the full result has not arrived yet. */
  private showPreview(p: VolumeSetResult | VolumeMismatch, abort: AbortController): void {
    if (abort.signal.aborted || this.loading !== abort || this.data || p.kind !== 'volumes') return;
    this.previewing = true;
    this.data = p;
    this.planes = planeMappings(p.geometry, this.convention);
    this.cursor = [...p.centre];
    this.postHeader();
    this.postSlices();
    this.postVoxel();
    this.post({ type: 'busy', label: 'Reading, decoding and scoring the probability volume…' });
  }

  private header(): VolumeHeader {
    const r = this.data as VolumeSetResult;
    const g = r.geometry;
    const rows: VolumeMetricRow[] = r.rows.map(({ errorsAlong, ...x }) => ({
      ...x,
      worst: [argmax(errorsAlong[0]), argmax(errorsAlong[1]), argmax(errorsAlong[2])],
    }));
    const decoders =
      r.files.prob && !r.files.pred
        ? ANALYSIS_DECODERS.map((name) => ({ name, label: decoderInfo(name)?.label ?? name }))
        : [];
    const predFrom = r.predFrom;
    const classes = [];
    for (let c = 1; c < Math.min(r.numClasses, 256); c++) {
      const l = r.classes.find((x) => x.index === c);
      classes.push({ cls: c, name: l?.name ?? `class ${c}`, ...(l?.color ? { color: l.color } : {}) });
    }
    return {
      generation: this.generation,
      labelType: this.labelType,
      files: (['image', 'gt', 'pred', 'prob'] as const)
        .filter((role) => r.files[role] !== undefined)
        .map((role) => ({ role, name: baseName(r.files[role] as string) })),
      dims: [g.dims[0], g.dims[1], g.dims[2]],
      spacing: [g.spacing[0], g.spacing[1], g.spacing[2]],
      orientation: r.orientation,
      convention: this.convention,
      planes: this.planes.map((m) => ({
        plane: m.plane,
        width: m.width,
        height: m.height,
        pixelWidth: m.pixelWidth,
        pixelHeight: m.pixelHeight,
        slices: m.slices,
        normalAxis: m.normalAxis,
        uAxis: m.uAxis,
        uFlip: m.uFlip,
        vAxis: m.vAxis,
        vFlip: m.vFlip,
        letters: m.letters,
        sliceLetters: m.sliceLetters,
      })),
      ...(r.image
        ? { image: { min: r.image.min, max: r.image.max, low: r.image.low, high: r.image.high } }
        : {}),
      hasGt: r.gt !== undefined,
      hasPred: r.pred !== undefined,
      hasHeat: r.heat !== undefined,
      ...(predFrom
        ? {
            predLabel:
              'file' in predFrom
                ? baseName(predFrom.file)
                : `${predFrom.label} of ${baseName(r.files.prob as string)}`,
          }
        : {}),
      decoders,
      ...(predFrom && 'decoder' in predFrom ? { decoder: predFrom.decoder } : {}),
      threshold: this.input.threshold ?? 0.5,
      numClasses: r.numClasses,
      classes,
      rows,
      ...(r.macroDice !== undefined ? { macroDice: r.macroDice } : {}),
      notes: [
        ...this.notes,
        ...(predFrom && 'decoder' in predFrom && predFrom.unavailable
          ? [`${predFrom.label}: ${predFrom.unavailable}`]
          : []),
        ...r.notes,
      ],
      cursor: this.cursor,
    };
  }

  private postHeader(): void {
    // A new generation: the webview empties its slice cache, and slices cut for the old one are not sent.
    this.generation++;
    this.cuts = [];
    this.labelType = this.data ? labelTypeOf(this.data) : 'uint8';
    const header = this.header();
    this.snap = { panelId: this.id, state: 'shown', header };
    this.post({ type: 'volume', header });
  }

  /** Posts the three slices at the cursor (after each header: the first overlay needs no request). */
  private postSlices(): void {
    if (!this.data) return;
    const slices = this.planes.map((m) => this.cut(m, this.cursor[m.normalAxis]));
    this.post({ type: 'slices', generation: this.generation, slices });
  }

  private cut(m: PlaneMapping, index: number): VolumeSlice {
    const n = m.width * m.height;
    if (this.scratch.length !== n) this.scratch = new Float32Array(n);
    return cutSlice(this.data as VolumeSetResult, m, index, this.labelType, this.scratch);
  }

  /**
   * Cuts the asked-for slices in turns of about 8 ms of the host's thread, one message per slice (the first
   * arrives first); slices of an older generation are dropped.
   */
  private drainCuts(): void {
    if (this.cutting) return;
    this.cutting = true;
    const turn = () => {
      const t0 = performance.now();
      while (this.cuts.length > 0 && performance.now() - t0 < 8) {
        const c = this.cuts.shift() as SliceCut;
        const m = this.planes.find((p) => p.plane === c.plane);
        if (!this.data || c.generation !== this.generation || !m || c.index >= m.slices) continue;
        this.post({ type: 'slices', generation: c.generation, slices: [this.cut(m, c.index)] });
      }
      if (this.cuts.length > 0) setImmediate(turn);
      else this.cutting = false;
    };
    turn();
  }

  /** The exact values at the cursor, for the read-out. */
  private postVoxel(): void {
    if (this.data) this.post(voxelValues(this.data, this.cursor, this.generation));
  }

  /** Handles a message of the webview (validated first: the webview is an untrusted source). */
  deliver(raw: unknown): void {
    this.receive(raw);
  }

  private receive(raw: unknown): void {
    const parsed = parseFromVolumeWebview(raw);
    if (!parsed.ok) {
      this.ctx.log.warn(`volume panel: ignored a message: ${parsed.error}`);
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'ready': {
        if (msg.version !== VOLUME_PROTOCOL_VERSION) {
          this.ctx.log.warn(`volume panel: webview protocol ${msg.version}, host ${VOLUME_PROTOCOL_VERSION}`);
        }
        this.ready = true;
        const queued = this.pending.splice(0);
        // A header makes every earlier message moot; slices are re-cut from the current cursor.
        for (const m of queued) if (m.type !== 'slices') this.post(m);
        if (this.data) this.postSlices();
        return;
      }
      case 'cursor': {
        if (!this.data) return;
        const [ni, nj, nk] = this.data.geometry.dims;
        const [i, j, k] = msg.voxel;
        this.cursor = [Math.min(i, ni - 1), Math.min(j, nj - 1), Math.min(k, nk - 1)];
        this.postVoxel();
        return;
      }
      case 'fetch': {
        if (!this.data || msg.generation !== this.generation) return;
        for (const s of msg.slices) this.cuts.push({ ...s, generation: msg.generation });
        this.drainCuts();
        return;
      }
      case 'decoder': {
        if (!this.data?.files.prob || this.data.files.pred) return;
        if (!(ANALYSIS_DECODERS as readonly string[]).includes(msg.decoder)) return;
        this.input = {
          ...this.input,
          decoder: msg.decoder as VolumeSetInput['decoder'],
          threshold: msg.threshold,
        };
        void this.load();
        return;
      }
      case 'convention': {
        this.convention = msg.convention;
        if (!this.data) return;
        this.planes = planeMappings(this.data.geometry, this.convention);
        this.postHeader();
        this.postSlices();
        this.postVoxel();
        return;
      }
      case 'drawn': {
        if (this.previewing || (msg.generation !== undefined && msg.generation !== this.generation)) return;
        if (this.snap.state === 'shown') this.snap = { ...this.snap, drawn: msg };
        this.settle();
        return;
      }
    }
  }

  private dispose(): void {
    this.loading?.abort();
    VolumePanel.open.delete(this);
    this.settle();
    for (const d of this.disposables) d.dispose();
  }
}
