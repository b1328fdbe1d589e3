/**
 * The decoder comparison under the picture: controls (decoders A/B, what is drawn, threshold slider, solver, top-k,
 * model, export), the error / prediction / difference overlay on the stage, side-by-side synchronised views, the
 * decoders table (k, Dice/IoU vs GT, expected Dice/IoU), the metric core's IMAGE object of decoder A per class with
 * its conventions, the object table and the charts.
 *
 * The threshold slider never waits for the host: the host sends the pixels' ranking once (core/viewmodel/
 * thresholdIndex) and moving the slider flips only the pixels between the old and new cut-off, updating the overlay
 * and the per-class counts in place. On release the host recomputes the exact metrics and expected scores.
 */
import type { FromWebview, ToWebview } from '../../src/protocol';
import {
  ANALYSIS_DECODERS,
  AnalysisBase,
  AnalysisDecoder,
  AnalysisEvent,
  AnalysisSection,
  AnalysisShow,
  AnalysisViewState,
  DEFAULT_ANALYSIS_VIEW,
  DecoderView,
  ExpectedCurve,
  ExportWhat,
} from '../../src/core/viewmodel/analysisTypes';
import {
  DIFF_COLOURS,
  DIFF_NAMES,
  ERROR_COLOURS,
  ERROR_NAMES,
  diffCode,
  errorCode,
  overlapFromCounts,
  paintCodes,
} from '../../src/core/viewmodel/errorMap';
import { ThresholdLabels, rankingOf } from '../../src/core/viewmodel/thresholdIndex';
import type { ViewWindow } from '../../src/core/viewmodel/viewWindow';
import { cssColour, defaultClassColour, type Rgb } from '../colors';
import { el } from '../dom';
import { samplesOf } from '../render';
import { ViewModel, classNames, colourOverrides, layerOf } from '../viewModel';
import { lineChart, type ChartSeries } from './charts';
import { CompareViews } from './compare';
import { fmt, type Num } from './format';
import { adoptAnalysisStyles } from './styles';
import { labelsOf, typed } from './typed';

export interface AnalysisPanelHost {
  post(m: FromWebview): void;
  model(): ViewModel;
  /** Persists the analysis choices in the view options (and tells the host). */
  setAnalysis(a: AnalysisViewState): void;
  /** The main stage's view window (the side-by-side views share it). */
  stageWindow(): ViewWindow | undefined;
  /** The user zoomed or panned the side-by-side views (or zoomed to an object): the stage follows. */
  showOnStage(win: ViewWindow): void;
}

const DECODER_NAMES: Record<AnalysisDecoder, string> = {
  threshold: 'Threshold',
  argmax: 'Argmax',
  tunedThreshold: 'Tuned threshold',
  topk: 'Top-k',
  rankdice: 'RankDice',
  rankiou: 'RankIoU',
};

const SHOW_NAMES: Record<AnalysisShow, string> = {
  errors: 'Error map (A vs GT)',
  prediction: 'Prediction A',
  difference: 'Difference A vs B',
  none: 'Nothing',
};

const EXPORT_NAMES: Record<ExportWhat, string> = {
  'mask-png': 'Mask A as PNG',
  'mask-npy': 'Mask A as NPY',
  'metrics-json': 'Metrics A as JSON',
  'metrics-csv': 'Metrics A as CSV',
};

function select<T extends string>(
  label: string,
  options: readonly T[],
  names: (v: T) => string,
  onChange: (v: T) => void,
) {
  const s = el('select');
  s.setAttribute('aria-label', label);
  for (const o of options) {
    const opt = el('option', undefined, names(o));
    opt.value = o;
    s.append(opt);
  }
  s.addEventListener('change', () => onChange(s.value as T));
  const l = el('label', undefined, `${label} `);
  l.append(s);
  return { label: l, select: s };
}

export class AnalysisPanel {
  readonly element = el('section', 'analysis');
  private readonly status = el('span');
  private readonly cancel = el('button', 'link', 'Cancel');
  private readonly statusRow = el('div', 'row muted');
  private readonly problems = el('div');
  private readonly legend = el('div', 'row');
  private readonly decoderTable = el('div');
  private readonly metricsBox = el('div');
  private readonly objectsBox = el('div');
  private readonly chartsBox = el('div', 'charts');
  private readonly diceChart = el('div');
  private readonly kChart = el('div');
  private readonly relChart = el('div');
  private readonly hover = el('div', 'hover');
  /** The side-by-side views with their heading, shown once there is something to compare. */
  private readonly compareBox = el('div');
  private readonly compare = new CompareViews(
    (p) => this.showPixel(p),
    (win) => this.host.showOnStage(win),
    () => this.host.stageWindow(),
  );
  private readonly overlay = el('canvas', 'layer analysis');
  private readonly slider = el('input');
  private readonly sliderValue = el('input');
  private readonly topK = el('input');
  /** Says that the slider asks the worker (slider mode 'worker'); hidden otherwise. */
  private readonly sliderNote = el('div', 'row muted slider-note');
  private readonly modelSelect = el('select');
  private readonly modelLabel = el('label', undefined, 'Model ');
  private readonly a = select(
    'Decoder A',
    ANALYSIS_DECODERS,
    (d) => DECODER_NAMES[d],
    (d) => this.choose({ decoderA: d }),
  );
  private readonly b = select(
    'Decoder B',
    ANALYSIS_DECODERS,
    (d) => DECODER_NAMES[d],
    (d) => this.choose({ decoderB: d }),
  );
  private readonly show = select(
    'Show',
    ['errors', 'prediction', 'difference', 'none'] as const,
    (s) => SHOW_NAMES[s],
    (s) => this.choose({ show: s }),
  );
  private readonly solver = select(
    'Solver',
    ['auto', 'exact', 'rma'] as const,
    (s) => s,
    (s) => this.changeSettings({ ...this.state().settings, solver: s }),
  );
  private readonly exportWhat = select(
    'Export',
    ['mask-png', 'mask-npy', 'metrics-json', 'metrics-csv'] as const,
    (w) => EXPORT_NAMES[w],
    () => undefined,
  );

  private requestId = -1;
  private base?: AnalysisBase;
  private engine?: ThresholdLabels;
  /** Slider mode 'worker' (a map over the ranking budget): the newest threshold mask the worker sent. */
  private remote?: { threshold: number; labels: ArrayLike<number>; selected: number };
  private gt?: ArrayLike<number>;
  private views = new Map<AnalysisDecoder, DecoderView>();
  private curve?: ExpectedCurve;
  private image?: ImageData;
  private pending = false;
  private lastDrawn = '';
  /** The object table's zoom buttons with their pixel boxes [x0, y0, x1, y1] (for 'apply' with zoomObject). */
  private zoomButtons: { button: HTMLButtonElement; box: number[] }[] = [];

  constructor(private readonly host: AnalysisPanelHost) {
    adoptAnalysisStyles();
    this.element.hidden = true;
    this.element.setAttribute('aria-label', 'Decoder comparison and metrics');
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.max = '1';
    this.slider.step = '0.01';
    this.slider.setAttribute('aria-label', 'Threshold (p > t)');
    this.slider.addEventListener('input', () => this.slide(Number(this.slider.value)));
    this.slider.addEventListener('change', () => this.commitThreshold());
    this.sliderValue.type = 'number';
    this.sliderValue.min = '0';
    this.sliderValue.max = '1';
    this.sliderValue.step = '0.001';
    this.sliderValue.setAttribute('aria-label', 'Threshold value');
    this.sliderValue.addEventListener('change', () => {
      const t = Math.min(1, Math.max(0, Number(this.sliderValue.value) || 0));
      this.slide(t);
      this.commitThreshold();
    });
    this.topK.type = 'number';
    this.topK.min = '1';
    this.topK.setAttribute('aria-label', 'k of top-k (empty: the threshold’s k)');
    this.topK.placeholder = 'auto';
    this.topK.addEventListener('change', () => {
      const k = Math.floor(Number(this.topK.value));
      const settings = { ...this.state().settings };
      if (k >= 1) settings.topK = k;
      else delete settings.topK;
      this.changeSettings(settings, ['topk']);
    });
    this.modelSelect.setAttribute('aria-label', 'Model whose probability map is shown');
    this.modelSelect.addEventListener('change', () => {
      this.host.setAnalysis({ ...this.state(), model: this.modelSelect.value });
      this.host.post({ type: 'analysis', request: { kind: 'model', model: this.modelSelect.value } });
    });
    this.modelLabel.append(this.modelSelect);
    this.statusRow.append(this.status, this.cancel);
    this.statusRow.setAttribute('aria-live', 'polite');
    const thresholdLabel = el('label', undefined, 'Threshold ');
    thresholdLabel.append(this.slider, this.sliderValue);
    const kLabel = el('label', undefined, 'Top-k k ');
    kLabel.append(this.topK);
    this.cancel.addEventListener('click', () =>
      this.host.post({ type: 'analysis', request: { kind: 'cancel' } }),
    );
    this.cancel.title = 'Stop the running decoders and metrics';
    const exportButton = el('button', 'act', 'Export…');
    exportButton.addEventListener('click', () =>
      this.host.post({
        type: 'analysis',
        request: {
          kind: 'export',
          decoder: this.state().decoderA,
          what: this.exportWhat.select.value as ExportWhat,
        },
      }),
    );
    const controls = el('div', 'row');
    controls.setAttribute('role', 'group');
    controls.setAttribute('aria-label', 'Decoder comparison controls');
    controls.append(
      this.modelLabel,
      this.a.label,
      this.b.label,
      this.show.label,
      thresholdLabel,
      this.solver.label,
      kLabel,
    );
    const exportRow = el('div', 'row');
    exportRow.append(this.exportWhat.label, exportButton);
    const h = (t: string) => el('h3', undefined, t);
    this.chartsBox.append(this.diceChart, this.kChart, this.relChart);
    this.compareBox.append(
      h('Ground truth | decoder A | decoder B (shared zoom and pan)'),
      this.compare.element,
      this.hover,
    );
    this.sliderNote.hidden = true;
    this.element.append(
      controls,
      this.sliderNote,
      this.statusRow,
      this.problems,
      this.legend,
      this.compareBox,
      h('Decoders'),
      this.decoderTable,
      this.metricsBox,
      this.objectsBox,
      h('Charts'),
      this.chartsBox,
      exportRow,
    );
  }

  private sections(): Record<AnalysisSection, HTMLElement> {
    return {
      decoders: this.decoderTable,
      metrics: this.metricsBox,
      objects: this.objectsBox,
      charts: this.chartsBox,
    };
  }

  private state(): AnalysisViewState {
    return this.host.model().view.analysis ?? DEFAULT_ANALYSIS_VIEW;
  }

  private choose(patch: Partial<AnalysisViewState>): void {
    this.host.setAnalysis({ ...this.state(), ...patch });
    this.renderAll();
  }

  private changeSettings(
    settings: AnalysisViewState['settings'],
    decoders: AnalysisDecoder[] = [...ANALYSIS_DECODERS],
  ): void {
    this.host.setAnalysis({ ...this.state(), settings });
    this.host.post({ type: 'analysis', request: { kind: 'settings', settings, decoders } });
    this.status.textContent = 'Recomputing…';
    this.cancel.hidden = false;
  }

  /** Presses an object row's zoom button, then reports both windows once the stage has followed. */
  private zoomToObject(row: number): void {
    const z = this.zoomButtons[row];
    if (!z) return;
    z.button.click();
    setTimeout(() => {
      this.host.post({
        type: 'analysis',
        request: {
          kind: 'view',
          box: z.box,
          stage: this.host.stageWindow() ?? null,
          views: this.compare.window,
        },
      });
    }, 400);
  }

  /** The stage was zoomed or panned: the side-by-side views show the same window. */
  followStage(win: ViewWindow): void {
    this.compare.setWindow(win);
  }

  /** Host messages: a new sample resets the panel; analysis events fill it. */
  receive(msg: ToWebview): void {
    if (msg.type === 'sample' || msg.type === 'loading') {
      if (msg.type === 'sample' && msg.requestId !== this.requestId) this.reset(msg.requestId);
      return;
    }
    if (msg.type === 'init') {
      this.syncControls();
      return;
    }
    if (msg.type !== 'analysis' || msg.requestId < this.requestId) return;
    if (msg.requestId > this.requestId) this.reset(msg.requestId);
    this.event(msg.event);
  }

  private reset(requestId: number): void {
    this.requestId = requestId;
    this.base = undefined;
    this.engine = undefined;
    this.remote = undefined;
    this.views.clear();
    this.curve = undefined;
    // Nothing of the previous sample may linger next to the new one's messages.
    for (const box of [this.problems, this.legend, this.decoderTable, this.metricsBox, this.objectsBox])
      box.replaceChildren();
    for (const box of [this.diceChart, this.kChart, this.relChart]) box.replaceChildren();
    this.compare.clear();
    this.compareBox.hidden = true;
    this.sliderNote.hidden = true;
    this.element.scrollTop = 0;
    this.element.hidden = true;
    this.lastDrawn = '';
    const g = this.overlay.getContext('2d');
    g?.clearRect(0, 0, this.overlay.width, this.overlay.height);
  }

  private event(e: AnalysisEvent): void {
    switch (e.kind) {
      case 'started':
        this.element.hidden = false;
        this.status.textContent = e.label;
        this.modelSelect.replaceChildren(
          ...e.models.map((m) => {
            const o = el('option', undefined, m);
            o.value = m;
            return o;
          }),
        );
        if (e.model) this.modelSelect.value = e.model;
        // The view options say which model is shown (a remembered default may differ from the last choice here).
        if (e.model && e.models.length > 1 && e.model !== this.state().model)
          this.host.setAnalysis({ ...this.state(), model: e.model });
        this.modelLabel.hidden = e.models.length < 2;
        this.syncControls();
        return;
      case 'progress':
        this.status.textContent =
          e.label === 'Cancelled.' ? e.label : `${e.label} ${Math.round(e.fraction * 100)} %`;
        this.updateBusy();
        return;
      case 'base':
        this.element.hidden = false;
        this.setBase(e.base);
        return;
      case 'decoder': {
        const v = e.view;
        const n = this.base ? this.base.width * this.base.height : 0;
        this.views.set(v.decoder, { ...v, labels: v.labels ? labelsOf(v.labels, n) : undefined });
        // The exact result of the released slider supersedes the worker's quick mask of the same threshold.
        if (v.decoder === 'threshold' && this.remote?.threshold === v.threshold) this.remote = undefined;
        this.status.textContent = `${this.views.size} of ${ANALYSIS_DECODERS.length} decoders ready.`;
        this.renderAll();
        return;
      }
      case 'mask': {
        if (!this.base || this.engine) return;
        const n = this.base.width * this.base.height;
        this.remote = { threshold: e.threshold, labels: labelsOf(e.labels, n), selected: e.selected };
        this.status.textContent = `Threshold ${e.threshold}: mask from the worker (large map).`;
        this.drawOverlay();
        this.renderCompare();
        this.renderDecoders();
        this.postDrawn();
        return;
      }
      case 'curve':
        this.curve = { ...e.curve };
        this.updateBusy();
        this.renderCharts();
        return;
      case 'problem': {
        this.element.hidden = false;
        const row = el('div', 'row problem');
        row.setAttribute('role', 'alert');
        row.append(el('span', undefined, e.message));
        if (e.offer) {
          const offers = e.offer === 'resize' ? (['resize'] as const) : (['sigmoid', 'softmax'] as const);
          for (const o of offers) {
            const b = el(
              'button',
              'act',
              o === 'resize' ? 'Resize the probability map' : `Convert with ${o}`,
            );
            b.addEventListener('click', () =>
              this.host.post({ type: 'analysis', request: { kind: 'consent', consent: o } }),
            );
            row.append(b);
          }
        }
        this.problems.append(row);
        this.status.textContent = '';
        this.cancel.hidden = true;
        this.element.scrollTop = 0;
        return;
      }
      case 'exported':
        this.status.textContent = `Exported to ${e.path}`;
        return;
      case 'apply':
        // A new threshold from the host moves the slider as a drag would (live or worker mask), then releases it.
        if (e.patch.settings && e.patch.settings.threshold !== this.state().settings.threshold)
          this.slide(e.patch.settings.threshold);
        if (e.patch.settings) this.changeSettings(e.patch.settings);
        this.choose(e.patch);
        if (e.reveal) this.sections()[e.reveal].scrollIntoView({ block: 'start' });
        if (e.zoomObject !== undefined) this.zoomToObject(e.zoomObject);
        return;
    }
  }

  private setBase(b: AnalysisBase): void {
    const local = b.slider === 'local' && b.order && b.sorted && b.classOf;
    const base: AnalysisBase = local
      ? {
          ...b,
          order: typed(b.order, Uint32Array),
          sorted: typed(b.sorted, Float32Array),
          classOf: labelsOf(b.classOf, b.width * b.height),
        }
      : { ...b, order: undefined, sorted: undefined, classOf: undefined };
    this.base = base;
    this.remote = undefined;
    const note = b.notes.find((n) => n.startsWith('Large map'));
    this.sliderNote.textContent = local
      ? ''
      : (note ?? 'Large map: the slider asks the worker for each mask.');
    this.sliderNote.hidden = Boolean(local);
    this.compareBox.hidden = false;
    const gtLayer = layerOf(this.host.model(), 'gt');
    this.gt =
      base.hasGt && gtLayer && gtLayer.raster.width === base.width && gtLayer.raster.height === base.height
        ? samplesOf(gtLayer.raster)
        : undefined;
    const ranking = rankingOf(base);
    this.engine = ranking ? new ThresholdLabels(ranking, this.gt as Uint8Array | undefined) : undefined;
    this.engine?.setThreshold(this.state().settings.threshold);
    this.status.textContent = base.notes.join(' ');
    if (base.needsResize) {
      const row = el('div', 'row problem');
      row.append(el('span', undefined, 'The probability map and the ground truth differ in size.'));
      const btn = el('button', 'act', 'Resize the probability map');
      btn.addEventListener('click', () =>
        this.host.post({ type: 'analysis', request: { kind: 'consent', consent: 'resize' } }),
      );
      row.append(btn);
      this.problems.append(row);
    }
    this.renderAll();
  }

  private syncControls(): void {
    const s = this.state();
    this.a.select.value = s.decoderA;
    this.b.select.value = s.decoderB;
    this.show.select.value = s.show;
    this.solver.select.value = s.settings.solver;
    this.slider.value = String(s.settings.threshold);
    this.sliderValue.value = String(s.settings.threshold);
    this.topK.value = s.settings.topK ? String(s.settings.topK) : '';
  }

  /** The labels of a decoder: the live slider engine for the threshold, else the host's result. */
  private labelsOf(d: AnalysisDecoder): ArrayLike<number> | undefined {
    if (d === 'threshold' && this.engine) return this.engine.labels;
    if (d === 'threshold' && this.remote) return this.remote.labels;
    return this.views.get(d)?.labels;
  }

  /** Pixels the threshold decoder selects now (live engine, worker mask, or the host's result). */
  private thresholdSelected(): number | undefined {
    if (this.engine) return this.engine.selected;
    if (this.remote) return this.remote.selected;
    const v = this.views.get('threshold');
    return v?.labels ? v.perClass.reduce((a, c) => a + c.k, 0) : undefined;
  }

  private colour = (k: number): Rgb => colourOverrides(this.host.model()).get(k) ?? defaultClassColour(k);

  private className(k: number): string {
    const name = classNames(this.host.model()).get(k);
    return name ? `${k} ${name}` : String(k);
  }

  // -------------------------------------------------------------------------------------------------------------
  // The slider

  private slide(t: number): void {
    const s = this.state();
    this.slider.value = String(t);
    this.sliderValue.value = String(t);
    if (!this.base) return;
    if (!this.engine || !this.base.order) {
      // Over the ranking budget: the worker computes the mask; the host keeps only the latest position asked for.
      this.status.textContent = `Threshold ${t}: asking the worker for the mask (large map)…`;
      this.host.post({ type: 'analysis', request: { kind: 'threshold', threshold: t } });
      return;
    }
    const changed = this.engine.setThreshold(t);
    const usesThreshold =
      s.decoderA === 'threshold' || (s.show === 'difference' && s.decoderB === 'threshold');
    if (usesThreshold && this.image && s.show !== 'none') {
      // Only the pixels between the old and the new cut-off changed: repaint those.
      const pixels = this.base.order.subarray(changed.from, changed.to);
      this.paint(pixels);
      this.overlay.getContext('2d')?.putImageData(this.image, 0, 0);
    }
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.renderDecoders();
        this.renderCompare();
      });
    }
  }

  private commitThreshold(): void {
    const t = Number(this.slider.value);
    const settings = { ...this.state().settings, threshold: t };
    this.changeSettings(settings, settings.topK ? ['threshold'] : ['threshold', 'topk']);
    this.postDrawn();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Drawing

  /** Puts the overlay canvas into the stage (above its layers) once. */
  private attachOverlay(): void {
    if (this.overlay.isConnected) return;
    document.querySelector('.canvas-wrap')?.append(this.overlay);
  }

  private paint(pixels?: Uint32Array): void {
    if (!this.image || !this.base) return;
    const s = this.state();
    const a = this.labelsOf(s.decoderA);
    const K = this.base.layout.numClasses;
    const out = this.image.data;
    if (s.show === 'errors' && a && this.gt) {
      const gt = this.gt;
      paintCodes(out, ERROR_COLOURS, (i) => errorCode(a[i], gt[i], K), pixels);
    } else if (s.show === 'prediction' && a) {
      const colours = new Map<number, readonly [number, number, number, number]>();
      paintCodes(out, [[0, 0, 0, 0]], () => 0, pixels);
      const n = pixels ? pixels.length : a.length;
      for (let j = 0; j < n; j++) {
        const i = pixels ? pixels[j] : j;
        const k = a[i];
        if (k === 0) continue;
        let c = colours.get(k);
        if (!c) {
          const rgb = this.colour(k);
          c = [rgb[0], rgb[1], rgb[2], 255];
          colours.set(k, c);
        }
        out.set(c, i * 4);
      }
    } else if (s.show === 'difference' && a) {
      const b = this.labelsOf(s.decoderB);
      if (b) paintCodes(out, DIFF_COLOURS, (i) => diffCode(a[i], b[i]), pixels);
      else paintCodes(out, [[0, 0, 0, 0]], () => 0, pixels);
    } else {
      paintCodes(out, [[0, 0, 0, 0]], () => 0, pixels);
    }
  }

  private drawOverlay(): void {
    if (!this.base) return;
    this.attachOverlay();
    const { width, height } = this.base;
    if (this.overlay.width !== width || this.overlay.height !== height) {
      this.overlay.width = width;
      this.overlay.height = height;
    }
    const g = this.overlay.getContext('2d');
    if (!g) return;
    if (!this.image || this.image.width !== width || this.image.height !== height)
      this.image = g.createImageData(width, height);
    this.paint();
    g.putImageData(this.image, 0, 0);
    this.overlay.hidden = this.state().show === 'none';
    this.overlay.style.opacity = String(Math.max(0.35, this.host.model().view.opacity));
  }

  private renderLegend(): void {
    const s = this.state();
    const items: [string, string][] = [];
    if (s.show === 'errors') {
      if (!this.gt) {
        this.legend.replaceChildren(
          el(
            'span',
            'muted',
            'No usable ground truth (none paired, or see the notes above): the error map needs one.',
          ),
        );
        return;
      }
      for (let c = 1; c < ERROR_COLOURS.length; c++)
        items.push([ERROR_NAMES[c], cssColour(ERROR_COLOURS[c].slice(0, 3) as unknown as Rgb)]);
    } else if (s.show === 'difference') {
      for (let c = 1; c < DIFF_COLOURS.length; c++)
        items.push([
          DIFF_NAMES[c]
            .replace('decoder A', DECODER_NAMES[s.decoderA])
            .replace('decoder B', DECODER_NAMES[s.decoderB]),
          cssColour(DIFF_COLOURS[c].slice(0, 3) as unknown as Rgb),
        ]);
    } else if (s.show === 'prediction' && this.base) {
      for (const k of this.base.layout.classOfChannel)
        if (k !== 0) items.push([this.className(k), cssColour(this.colour(k))]);
    }
    this.legend.replaceChildren(
      ...items.map(([name, colour]) => {
        const span = el('span');
        const sw = el('span', 'legend-swatch');
        sw.style.backgroundColor = colour;
        span.append(sw, document.createTextNode(name));
        return span;
      }),
    );
  }

  private renderCompare(): void {
    if (!this.base) return;
    const s = this.state();
    const stageImage = document.querySelector<HTMLCanvasElement>('canvas.layer.image') ?? undefined;
    const gtLayer = layerOf(this.host.model(), 'gt');
    const K = this.base.layout.numClasses;
    const gt = this.gt;
    // In error-map mode the decoder views show their own error maps, so A's and B's mistakes sit side by side.
    const errors = (labels: ArrayLike<number> | undefined) =>
      s.show === 'errors' && gt && labels
        ? { code: (i: number) => errorCode(labels[i], gt[i], K), colours: ERROR_COLOURS }
        : undefined;
    const la = this.labelsOf(s.decoderA);
    const lb = this.labelsOf(s.decoderB);
    // The threshold's caption names the threshold drawn (the worker's mask may be newer than the host's result).
    const shownT = this.engine?.threshold ?? this.remote?.threshold;
    const caption = (d: AnalysisDecoder) =>
      d === 'threshold' && shownT !== undefined && Number.isFinite(shownT)
        ? `Threshold ${shownT}`
        : (this.views.get(d)?.label ?? DECODER_NAMES[d]);
    this.compare.draw(
      stageImage,
      this.base.width,
      this.base.height,
      [
        { caption: gtLayer ? 'Ground truth' : 'Ground truth (none)', labels: this.gt },
        {
          caption: `A: ${caption(s.decoderA)}`,
          labels: la,
          codes: errors(la),
        },
        {
          caption: `B: ${caption(s.decoderB)}`,
          labels: lb,
          codes: errors(lb),
        },
      ],
      this.colour,
      0.75,
    );
  }

  /** The cancel button is offered while results are outstanding. */
  private updateBusy(): void {
    const done =
      this.base !== undefined && this.views.size === ANALYSIS_DECODERS.length && this.curve !== undefined;
    this.cancel.hidden = done || this.status.textContent === 'Cancelled.';
  }

  private renderAll(): void {
    this.updateBusy();
    this.syncControls();
    if (!this.base) return;
    // A threshold set by the host or restored from the state moves the live labels too.
    const t = this.state().settings.threshold;
    if (this.engine && this.engine.threshold !== t) this.engine.setThreshold(t);
    this.drawOverlay();
    this.renderLegend();
    this.renderCompare();
    this.renderDecoders();
    this.renderMetrics();
    this.renderCharts();
    this.postDrawn();
  }

  /** Tells the host what is drawn, once per distinct state (tests wait for this). */
  private postDrawn(): void {
    const s = this.state();
    const v = this.views.get(s.decoderA);
    if (!this.base || !this.labelsOf(s.decoderA)) return;
    // A worker mask newer than the host's result has no metrics yet: none is claimed for it.
    const stale = s.decoderA === 'threshold' && this.remote && v?.threshold !== this.remote.threshold;
    const dice = v?.metrics && !stale ? (v.metrics.macroPresentClasses.metrics.dice.value as Num) : undefined;
    // The threshold of the labels on screen: on a large map the worker's mask may still be on its way.
    const t = this.engine?.threshold ?? this.remote?.threshold ?? this.views.get('threshold')?.threshold;
    const summary = `${v?.label ?? s.decoderA}; t=${t ?? s.settings.threshold}; macro Dice ${fmt(dice)}; selected ${this.thresholdSelected() ?? 0}`;
    const key = `${s.decoderA}|${s.show}|${summary}`;
    if (key === this.lastDrawn) return;
    this.lastDrawn = key;
    this.host.post({
      type: 'analysis',
      request: { kind: 'drawn', decoderA: s.decoderA, show: s.show, summary },
    });
  }

  /** The pixel under the pointer: ground truth, every decoder's decision and the best foreground probability. */
  private showPixel(p: { x: number; y: number } | undefined): void {
    this.hover.textContent =
      p && this.base ? [`x ${p.x}, y ${p.y}`, ...this.pixelParts(p, true)].join(' · ') : '';
  }

  /** Each decoder's label at a pixel, for the stage's hover read-out (empty before the analysis has results). */
  decisions(p: { x: number; y: number }): string {
    const parts = this.pixelParts(p, false);
    return parts.length ? ` · ${parts.join(' · ')}` : '';
  }

  private pixelParts(p: { x: number; y: number }, withGt: boolean): string[] {
    const base = this.base;
    if (!base || p.x < 0 || p.y < 0 || p.x >= base.width || p.y >= base.height) return [];
    const i = p.y * base.width + p.x;
    const parts: string[] = [];
    if (withGt && this.gt) parts.push(`GT ${this.className(this.gt[i])}`);
    for (const d of ANALYSIS_DECODERS) {
      const labels = this.labelsOf(d);
      if (labels) parts.push(`${DECODER_NAMES[d]} ${labels[i]}`);
    }
    if (withGt) {
      // The ranking holds each pixel's best foreground probability; its rank is searched only on hover (O(N)).
      const rank = base.order ? base.order.indexOf(i) : -1;
      if (base.sorted && base.classOf && rank >= 0)
        parts.push(`max p ${fmt(base.sorted[rank], 3)} (class ${base.classOf[i]})`);
    }
    return parts;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tables

  private renderDecoders(): void {
    if (!this.base) return;
    const s = this.state();
    const hasGt = this.base.hasGt;
    const table = el('table');
    const head = el('tr');
    const cols = ['Decoder', 'k (Σ classes)', 'k vs threshold', 'E[Dice]', 'E[IoU]'];
    if (hasGt) cols.push('Dice (macro)', 'IoU (macro)');
    cols.push('Notes');
    for (const c of cols) head.append(el('th', undefined, c));
    table.append(head);
    const kOf = (v: DecoderView | undefined) => (v ? v.perClass.reduce((a, c) => a + c.k, 0) : undefined);
    const thresholdK = this.thresholdSelected();
    for (const d of ANALYSIS_DECODERS) {
      const v = this.views.get(d);
      const tr = el('tr');
      if (d === s.decoderA) tr.className = 'current';
      const name = el('td');
      const btn = el('button', 'link', v?.label ?? DECODER_NAMES[d]);
      btn.title = `Show ${DECODER_NAMES[d]} as decoder A`;
      btn.addEventListener('click', () => this.choose({ decoderA: d }));
      name.append(btn);
      tr.append(name);
      const shown = this.engine?.threshold ?? this.remote?.threshold;
      const live = d === 'threshold' && shown !== undefined && v && v.threshold !== shown;
      const k = d === 'threshold' ? this.thresholdSelected() : kOf(v);
      const cells: string[] = [
        v?.unavailable ? '—' : fmt(k),
        v?.unavailable || k === undefined || thresholdK === undefined
          ? '—'
          : `${k - thresholdK >= 0 ? '+' : ''}${k - thresholdK}`,
        live ? '…' : fmt(v?.meanExpectedDice),
        live ? '…' : fmt(v?.meanExpectedIoU),
      ];
      if (hasGt) {
        if (d === 'threshold' && this.engine) {
          const m = this.liveMacro();
          cells.push(fmt(m.dice), fmt(m.iou));
        } else if (live) {
          // A large map's worker mask is newer than the host's metrics: they follow when the slider is released.
          cells.push('…', '…');
        } else {
          const macro = v?.metrics?.macroPresentClasses.metrics;
          cells.push(fmt(macro?.dice.value as Num), fmt(macro?.iou.value as Num));
        }
      }
      cells.push(v?.unavailable ? `n/a: ${v.unavailable}` : (v?.notes.join(' ') ?? (v ? '' : 'computing…')));
      for (const c of cells) tr.append(el('td', undefined, c));
      (tr.lastElementChild as HTMLElement).className = 'notes';
      table.append(tr);
    }
    const note = el(
      'div',
      'conventions',
      `E[Dice]/E[IoU]: expected scores of each mask if every pixel's label were an independent Bernoulli(p) — no ground truth needed; mean over the ${this.base.layout.numClasses - 1} foreground classes, per image. ` +
        (hasGt
          ? 'Dice/IoU: against the ground truth, macro over the classes present in the ground truth or the prediction (the threshold row updates live while you drag).'
          : 'No usable ground truth (none paired, or see the notes above): Dice/IoU against it are hidden; the expected scores are still shown.'),
    );
    this.decoderTable.replaceChildren(table, note);
  }

  /** Macro Dice/IoU of the live threshold labels over the classes not empty on both sides. */
  private liveMacro(): { dice: number; iou: number } {
    const e = this.engine;
    if (!e || !this.gt) return { dice: NaN, iou: NaN };
    let dice = 0;
    let iou = 0;
    let n = 0;
    for (let c = 1; c < e.counts.tp.length; c++) {
      const { tp, fp, fn } = { tp: e.counts.tp[c], fp: e.counts.fp[c], fn: e.counts.fn[c] };
      if (tp + fp + fn === 0) continue;
      const o = overlapFromCounts(tp, fp, fn);
      dice += o.dice;
      iou += o.iou;
      n++;
    }
    return n ? { dice: dice / n, iou: iou / n } : { dice: NaN, iou: NaN };
  }

  private renderMetrics(): void {
    const s = this.state();
    const v = this.views.get(s.decoderA);
    if (!this.base) return;
    if (!this.base.hasGt) {
      this.metricsBox.replaceChildren(
        el('h3', undefined, 'Metrics'),
        el(
          'div',
          'muted',
          'Metrics against the ground truth need a ground truth of the same size; none is available for this sample.',
        ),
      );
      this.objectsBox.replaceChildren();
      return;
    }
    if (!v?.metrics) {
      this.metricsBox.replaceChildren(
        el('h3', undefined, `Metrics of ${DECODER_NAMES[s.decoderA]}`),
        el('div', 'muted', v?.unavailable ? `n/a: ${v.unavailable}` : 'computing…'),
      );
      this.objectsBox.replaceChildren();
      return;
    }
    const m = v.metrics;
    const table = el('table');
    const cols = [
      'Class',
      'GT px',
      'Pred px',
      'Case',
      'TP',
      'FP',
      'FN',
      'Dice',
      'IoU',
      'Precision',
      'Recall',
      'HD95 (px)',
      'ASSD (px)',
      'NSD',
      'Objects GT/pred',
      'matched / missed / spurious',
      'ECE',
    ];
    const head = el('tr');
    for (const c of cols) head.append(el('th', undefined, c));
    table.append(head);
    for (const [cls, c] of Object.entries(m.perClass)) {
      const o = c.objects['8'];
      const ece = m.calibration?.perClass[cls]?.ece as Num;
      const tr = el('tr');
      const cells = [
        this.className(Number(cls)),
        fmt(c.gtPixels),
        fmt(c.predPixels),
        c.emptyCase === 'none' ? '' : c.emptyCase.replace(/_/g, ' '),
        fmt(c.counts.tp),
        fmt(c.counts.fp),
        fmt(c.counts.fn),
        fmt(c.overlap.dice as Num),
        fmt(c.overlap.iou as Num),
        fmt(c.overlap.precision as Num),
        fmt(c.overlap.recall as Num),
        fmt(c.surface.hd95 as Num, 2),
        fmt(c.surface.assd as Num, 2),
        fmt(c.surface.nsd as Num),
        o ? `${o.nGt} / ${o.nPred}` : '—',
        o ? `${o.tp} / ${o.fn} / ${o.fp}` : '—',
        fmt(ece),
      ];
      for (const x of cells) tr.append(el('td', undefined, x));
      table.append(tr);
    }
    const macro = m.macroPresentClasses;
    const mr = el('tr');
    const mm = macro.metrics;
    for (const x of [
      `macro (${mm.dice.nClasses} classes)`,
      '',
      '',
      '',
      '',
      '',
      '',
      fmt(mm.dice.value as Num),
      fmt(mm.iou.value as Num),
      fmt(mm.precision.value as Num),
      fmt(mm.recall.value as Num),
      '',
      '',
      '',
      '',
      '',
      '',
    ])
      mr.append(el('td', undefined, x));
    table.append(mr);
    const conv = el(
      'div',
      'conventions',
      `Per image, per class (background not reported). Pixel accuracy ${fmt(m.pixelAccuracy as Num)} over all classes incl. background. ` +
        `Macro = mean over the ${macro.classes.length} classes present in the ground truth or the prediction (${macro.classes.join(', ') || 'none'}); classes empty on both sides are skipped there and score 1 in their own row (bothEmpty "best"). ` +
        'Distances in pixels (no spacing known); "undefined" = a side is empty (never shown as 0), ∞ = distance to an empty set. ' +
        'Objects: 8-connected components, matched when IoU > 0.5. ECE: 15 equal-width bins, one-vs-rest. ' +
        (v.threshold !== undefined ? `Computed at threshold ${v.threshold}.` : ''),
    );
    this.metricsBox.replaceChildren(
      el('h3', undefined, `Metrics of ${v.label} (the metric core's IMAGE object)`),
      table,
      conv,
    );
    this.renderObjects(v);
  }

  private renderObjects(v: DecoderView): void {
    const m = v.metrics;
    if (!m) return;
    const table = el('table');
    const head = el('tr');
    this.zoomButtons = [];
    for (const c of ['Class', 'Object', 'Size (px)', 'Dice', 'IoU', 'Status', ''])
      head.append(el('th', undefined, c));
    table.append(head);
    let rows = 0;
    const add = (
      cls: string,
      kind: string,
      size: number,
      dice: Num,
      iou: Num,
      status: string,
      box: { min: number[]; max: number[] },
    ) => {
      if (rows++ >= 200) return;
      const tr = el('tr');
      for (const x of [this.className(Number(cls)), kind, fmt(size), fmt(dice), fmt(iou), status])
        tr.append(el('td', undefined, x));
      const td = el('td');
      const b = el('button', 'link', 'zoom');
      b.title = `Zoom the side-by-side views to ${kind}`;
      b.addEventListener('click', () => this.compare.zoomTo(box.min[1], box.min[0], box.max[1], box.max[0]));
      this.zoomButtons.push({ button: b, box: [box.min[1], box.min[0], box.max[1], box.max[0]] });
      td.append(b);
      tr.append(td);
      table.append(tr);
    };
    for (const [cls, c] of Object.entries(m.perClass)) {
      const o = c.objects['8'];
      if (!o) continue;
      for (const g of o.gtObjects)
        add(
          cls,
          `GT #${g.id}`,
          g.size,
          g.dice,
          g.iou,
          g.matchedPred === null ? 'missed' : `matched pred #${g.matchedPred}`,
          g.bbox,
        );
      for (const p of o.predObjects)
        if (p.matchedGt === null) add(cls, `pred #${p.id}`, p.size, null, p.maxIou, 'spurious', p.bbox);
    }
    this.objectsBox.replaceChildren(
      el('h3', undefined, `Objects of ${v.label} (click zoom: the side-by-side views zoom to it)`),
      rows ? table : el('div', 'muted', 'No objects.'),
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Charts

  private renderCharts(): void {
    const base = this.base;
    if (!base || this.chartsBox.offsetParent === null) return;
    const fgClasses = base.layout.classOfChannel.filter((c) => c !== 0);
    const css = (k: number) => cssColour(this.colour(k));
    const rd = this.views.get('rankdice');
    if (base.sweep) {
      const sw = base.sweep;
      const series: ChartSeries[] = [
        {
          label: 'macro',
          colour: getComputedStyle(document.body).getPropertyValue('--vscode-foreground') || '#888',
          values: sw.macro,
        },
        ...sw.classes.map((c) => ({
          label: this.className(c),
          colour: css(c),
          values: sw.perClass[String(c)],
        })),
      ];
      const markers = [];
      // The RankDice point is placed like the macro curve: its Dice averaged over the same classes (those present in
      // the ground truth), at the mean of its per-class cut-off probabilities.
      const rdDice = sw.classes.map((c) => rd?.metrics?.perClass[String(c)]?.overlap.dice as Num);
      const cut = rd?.perClass.filter((c) => c.cutoffProb !== null).map((c) => c.cutoffProb as number) ?? [];
      if (rdDice.length && rdDice.every((d) => typeof d === 'number') && cut.length)
        markers.push({
          x: cut.reduce((a, b) => a + b, 0) / cut.length,
          y: (rdDice as number[]).reduce((a, b) => a + b, 0) / rdDice.length,
          label: 'RankDice',
        });
      markers.push({ x: sw.best.threshold, y: sw.best.value, label: 'tuned', below: true });
      lineChart(
        this.diceChart,
        'Dice vs threshold (one-vs-rest, p ≥ t)',
        'threshold',
        'Dice',
        sw.thresholds,
        series,
        markers,
      );
    } else {
      this.diceChart.replaceChildren(el('div', 'muted', 'Dice vs threshold needs a ground truth.'));
    }
    if (this.curve) {
      const c = this.curve;
      const series = fgClasses.map((k) => ({
        label: this.className(k),
        colour: css(k),
        values: c.perClass[String(k)] ?? [],
      }));
      const markers = (rd?.perClass ?? []).map((p) => ({ x: p.k, y: p.expectedDice ?? 0, label: 'RD' }));
      lineChart(
        this.kChart,
        `Expected Dice vs k (top-k, k ≤ ${c.maxK}; RD = RankDice)`,
        'k',
        'E[Dice]',
        c.ks,
        series,
        markers,
      );
    } else {
      this.kChart.replaceChildren(el('div', 'muted', 'Expected Dice vs k: computing…'));
    }
    if (base.reliability) {
      const rel = base.reliability;
      const first = rel[String(fgClasses[0])];
      const xs = first ? first.reliability.map((b) => (b.lo + b.hi) / 2) : [];
      const series = fgClasses.map((k) => ({
        label: this.className(k),
        colour: css(k),
        values: (rel[String(k)]?.reliability ?? []).map((b) => b.observedFrequency),
      }));
      lineChart(
        this.relChart,
        'Reliability (observed frequency per confidence bin)',
        'confidence',
        'frequency',
        xs,
        series,
        [],
        {
          diagonal: true,
          points: true,
        },
      );
    } else {
      this.relChart.replaceChildren(el('div', 'muted', 'Reliability diagram needs a ground truth.'));
    }
  }
}
