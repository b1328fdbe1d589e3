/**
 * The decoder comparison beside the picture, as a thin panel over its widgets: the controls (controls.ts), the
 * overlay on the stage with its legend and the side-by-side views (stagePainter.ts drawing overlay.ts, legend.ts,
 * sideBySide.ts/compare.ts in palettes.ts colours), the tabs (tabs.ts) holding the decoders table (decoderTable.ts),
 * the metric and object tables (metricTables.ts, objectTable.ts) and the charts (chartsPanel.ts), the problems
 * (problemList.ts) and the no-pixel callout (callout.ts). What is known about the sample lives in one
 * AnalysisSession (session.ts); the one-line summaries are summaries.ts. This file routes the host's events into
 * the session and tells the widgets to redraw.
 *
 * The threshold slider never waits for the host: the host sends the pixels' ranking once (core/viewmodel/
 * thresholdIndex) and moving the slider flips only the pixels between the old and new cut-off, updating the overlay
 * and the per-class counts in place. On release the host recomputes the exact metrics and expected scores.
 */
import { noGroundTruth } from '../../src/core/viewmodel/noGroundTruth';
import {
  ANALYSIS_DECODERS,
  DEFAULT_ANALYSIS_VIEW,
  type AnalysisBase,
  type AnalysisDecoder,
  type AnalysisEvent,
  type AnalysisSection,
  type AnalysisViewState,
  type FromWebview,
  type ToWebview,
} from '../../src/protocol';
import type { ViewWindow } from '../../src/core/viewmodel/viewWindow';
import type { Rgb } from '../colors';
import { el } from '../dom';
import { samplesOf } from '../render';
import { ViewModel, classNames, layerOf } from '../viewModel';
import { ThresholdCallout } from './callout';
import { ChartsPanel } from './chartsPanel';
import { AnalysisControls } from './controls';
import { DecoderTable } from './decoderTable';
import { MetricTables, renderMetricsOf } from './metricTables';
import { DECODER_NAMES } from './names';
import { ObjectTable } from './objectTable';
import { StageOverlay } from './overlay';
import type { PaletteScheme } from './palettes';
import { AnalysisSession } from './session';
import { SideBySide } from './sideBySide';
import { ProblemList } from './problemList';
import { StagePainter, panelColour, type PainterContext } from './stagePainter';
import { adoptAnalysisStyles } from './styles';
import { drawnSummary, liveNumbers } from './summaries';
import { AnalysisTabs, type TabId } from './tabs';

export interface AnalysisPanelHost {
  post(m: FromWebview): void;
  model(): ViewModel;
  /** Persists the analysis choices in the view options (and tells the host). */
  setAnalysis(a: AnalysisViewState): void;
  /** The main stage's view window (the side-by-side views share it). */
  stageWindow(): ViewWindow | undefined;
  /** The user zoomed or panned the side-by-side views (or zoomed to an object): the stage follows. */
  showOnStage(win: ViewWindow): void;
  /** The panel appeared or disappeared (the layout gives its space back to the stage). */
  visibilityChanged?(): void;
  /**
   * The analysis is about to draw for the first time in this panel: the stage shows the image and the analysis
   * overlay only (its ground-truth fill and heatmap are one click away in the toolbar).
   */
  defaultLayers?(): void;
}

export class AnalysisPanel {
  readonly element = el('section', 'analysis-panel');
  private readonly session = new AnalysisSession();
  private readonly problems = new ProblemList((consent) =>
    this.host.post({ type: 'analysis', request: { type: 'consent', consent } }),
  );
  /** The legend of the overlay; main.ts floats it over the stage, next to what it explains. */
  readonly legend = el('div', 'stage-legend');
  /** Ground truth | A | B; the read-out words the pixel: ground truth, every decoder, the best probability. */
  private readonly side = new SideBySide(
    (p) =>
      [`x ${p.x}, y ${p.y}`, ...this.session.pixelParts(p, true, (k) => this.shortName(k), decoderName)].join(
        ' · ',
      ),
    (win) => this.host.showOnStage(win),
    () => this.host.stageWindow(),
  );
  private readonly compare = this.side.views;
  private readonly controls: AnalysisControls;
  private readonly overlay = new StageOverlay();
  private readonly painter = new StagePainter(this.overlay, this.legend, this.compare);
  private readonly decoders = new DecoderTable(
    (d) => this.choose({ decoderA: d }),
    (k) => this.shortName(k),
  );
  private readonly metrics = new MetricTables((k) => this.className(k));
  private readonly objects = new ObjectTable(
    (k) => this.className(k),
    (x0, y0, x1, y1) => this.compare.zoomTo(x0, y0, x1, y1),
  );
  private readonly charts = new ChartsPanel(
    (k) => this.className(k),
    (k) => this.colour(k),
  );
  private readonly tabs: AnalysisTabs;
  /** "No pixel reaches the threshold" with the map's maximum and the loss-lint findings (callout.ts). */
  private readonly callout = new ThresholdCallout((uri) =>
    this.host.post({ type: 'analysis', request: { type: 'openLossFile', uri } }),
  );

  private requestId = -1;
  private scheme: PaletteScheme = 'standard';
  private layersDefaulted = false;
  private pending = false;
  private lastDrawn = '';

  constructor(private readonly host: AnalysisPanelHost) {
    adoptAnalysisStyles();
    this.element.hidden = true;
    this.element.setAttribute('aria-label', 'Decoder comparison and metrics');
    this.controls = new AnalysisControls({
      state: () => this.state(),
      choose: (patch) => this.choose(patch),
      changeSettings: (settings, decoders) => this.changeSettings(settings, decoders),
      slide: (t) => this.slide(t),
      commitThreshold: (t) => this.commitThreshold(t),
      chooseModel: (model) => {
        this.host.setAnalysis({ ...this.state(), model });
        this.host.post({ type: 'analysis', request: { type: 'model', model } });
      },
      cancel: () => this.host.post({ type: 'analysis', request: { type: 'cancel' } }),
      choosePalette: (scheme) => this.choosePalette(scheme),
      exportAs: (what) =>
        this.host.post({
          type: 'analysis',
          request: { type: 'export', decoder: this.state().decoderA, what },
        }),
    });
    this.tabs = new AnalysisTabs(
      [
        ['decoders', this.decoders.element],
        ['metrics', this.metrics.element],
        ['objects', this.objects.element],
        ['charts', this.charts.element],
        ['compare', this.side.element],
      ],
      (id) => this.tabShown(id),
    );
    // The controls and the numbers the slider changes stay put; only the tab bodies scroll.
    const head = el('div', 'analysis-head');
    head.append(
      this.controls.element,
      this.controls.live,
      this.controls.sliderNote,
      this.controls.statusRow,
      this.callout.element,
      this.problems.element,
    );
    this.element.append(head, this.tabs.element, this.controls.exportRow);
  }

  private show(): void {
    if (!this.element.hidden) return;
    this.element.hidden = false;
    this.onVisibility();
  }

  private onVisibility(): void {
    this.host.visibilityChanged?.();
  }

  /** The numbers the threshold slider changes, in one line under the controls (summaries.ts). */
  private updateLive(): void {
    const session = this.session;
    if (session.base) this.callout.update(session.shownThreshold() ?? this.state().settings.threshold);
    this.controls.setLive(liveNumbers(session, this.state()));
  }

  /** A tab became visible: what is laid out only while visible is drawn now. */
  private tabShown(id: TabId): void {
    if (id === 'charts') this.charts.render(this.session);
    if (id === 'compare') this.compare.setWindow(this.compare.window);
  }

  private renderChartsIfShown(): void {
    if (this.tabs.selected === 'charts') this.charts.render(this.session);
  }

  /** Shows a section's tab (the host's `reveal`). */
  reveal(section: AnalysisSection): void {
    this.tabs.select(section);
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
    this.host.post({ type: 'analysis', request: { type: 'settings', settings, decoders } });
    this.controls.setStatus('Recomputing…');
    this.controls.setBusy(true);
  }

  /** Presses an object row's zoom button, then reports both windows once the stage has followed. */
  private zoomToObject(row: number): void {
    const box = this.objects.zoom(row);
    if (!box) return;
    // Reported once the stage shows the views' window (its scroll can land a frame or more later on a busy
    // machine), or after 3 s with whatever it shows then: the report is the state, never a guess by time.
    const until = performance.now() + 3000;
    const report = () => {
      const stage = this.host.stageWindow();
      const views = this.compare.window;
      const settled =
        stage !== undefined &&
        Math.abs(stage.cx - views.cx) < 1 &&
        Math.abs(stage.cy - views.cy) < 1 &&
        Math.abs(stage.zoom / views.zoom - 1) < 1e-6;
      if (!settled && performance.now() < until) {
        requestAnimationFrame(report);
        return;
      }
      this.host.post({ type: 'analysis', request: { type: 'view', box, stage: stage ?? null, views } });
    };
    requestAnimationFrame(report);
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
      this.controls.sync(this.state());
      return;
    }
    if (msg.type !== 'analysis' || msg.requestId < this.requestId) return;
    if (msg.requestId > this.requestId) this.reset(msg.requestId);
    this.event(msg.event);
  }

  private reset(requestId: number): void {
    this.requestId = requestId;
    this.session.clear();
    // Nothing of the previous sample may linger next to the new one's messages.
    this.problems.clear();
    this.legend.replaceChildren();
    this.controls.setLive('');
    this.callout.clear();
    this.decoders.clear();
    this.metrics.clear();
    this.objects.clear();
    this.charts.clear();
    this.side.clear();
    this.controls.setSliderNote(undefined);
    this.controls.setStatus('');
    for (const id of ['decoders', 'metrics', 'objects', 'charts', 'compare'] as const) {
      const body = this.tabs.body(id);
      if (body) body.scrollTop = 0;
    }
    this.element.hidden = true;
    this.onVisibility();
    this.lastDrawn = '';
    this.overlay.clear();
  }

  private event(e: AnalysisEvent): void {
    switch (e.type) {
      case 'started':
        this.show();
        this.controls.setStatus(e.label);
        this.controls.setModels(e.models, e.model);
        // The view options say which model is shown (a remembered default may differ from the last choice here).
        if (e.model && e.models.length > 1 && e.model !== this.state().model)
          this.host.setAnalysis({ ...this.state(), model: e.model });
        this.controls.sync(this.state());
        return;
      case 'progress':
        this.controls.setStatus(
          e.label === 'Cancelled.' ? e.label : `${e.label} ${Math.round(e.fraction * 100)} %`,
        );
        this.updateBusy();
        return;
      case 'base':
        if (!this.layersDefaulted) {
          // One clear default view when the analysis first draws in this panel: image + error map. The user's
          // later choices (a layer turned back on) then hold for every sample shown here.
          this.layersDefaulted = true;
          this.host.defaultLayers?.();
        }
        this.show();
        this.setBase(e.base);
        return;
      case 'decoder':
        this.session.addDecoder(e.view);
        this.controls.setStatus(`${this.session.ready} of ${ANALYSIS_DECODERS.length} decoders ready.`);
        this.renderAll();
        return;
      case 'mask':
        if (!this.session.setMask(e.threshold, e.labels, e.selected)) return;
        this.controls.setStatus(`Threshold ${e.threshold}: mask from the worker (large map).`);
        this.painter.paint(this.painting());
        this.decoders.render(this.session, this.state().decoderA);
        this.updateLive();
        this.postDrawn();
        return;
      case 'curve':
        this.session.curve = { ...e.curve };
        this.updateBusy();
        this.renderChartsIfShown();
        return;
      case 'problem':
        this.showProblem(e.message, e.offer);
        return;
      case 'exported':
        this.controls.setStatus(`Exported to ${e.path}`);
        return;
      case 'explain':
        this.callout.set(e.maxProb, e.lint);
        this.callout.update(this.session.shownThreshold() ?? this.state().settings.threshold);
        return;
      case 'apply':
        // A new threshold from the host moves the slider as a drag would (live or worker mask), then releases it.
        if (e.patch.settings && e.patch.settings.threshold !== this.state().settings.threshold)
          this.slide(e.patch.settings.threshold);
        if (e.patch.settings) this.changeSettings(e.patch.settings);
        this.choose(e.patch);
        if (e.reveal) this.reveal(e.reveal);
        if (e.zoomObject !== undefined) this.zoomToObject(e.zoomObject);
        return;
    }
  }

  private showProblem(message: string, offer?: 'sigmoid' | 'softmax' | 'resize'): void {
    this.show();
    this.problems.add(message, offer === 'resize' ? ['resize'] : offer ? ['sigmoid', 'softmax'] : []);
    this.controls.setStatus('');
    this.controls.setBusy(false);
  }

  private setBase(b: AnalysisBase): void {
    const gtLayer = layerOf(this.host.model(), 'gt');
    const gt =
      gtLayer && gtLayer.raster.width === b.width && gtLayer.raster.height === b.height
        ? samplesOf(gtLayer.raster)
        : undefined;
    this.session.setBase(b, gt, this.state().settings.threshold);
    const local = this.session.isLocal();
    const note = b.notes.find((n) => n.startsWith('Large map'));
    this.controls.setSliderNote(
      local ? undefined : (note ?? 'Large map: the slider asks the worker for each mask.'),
    );
    this.side.element.hidden = false;
    this.controls.setStatus(b.notes.join(' '));
    if (b.needsResize)
      this.problems.add('The probability map and the ground truth differ in size.', ['resize'], false);
    this.renderAll();
  }

  private colour = (k: number): Rgb => panelColour(this.host.model(), k);

  /** What the stage painter needs to draw the current state. */
  private painting(): PainterContext {
    return {
      session: this.session,
      state: this.state(),
      model: this.host.model(),
      scheme: this.scheme,
      className: (k) => this.className(k),
    };
  }

  private choosePalette(scheme: PaletteScheme): void {
    this.scheme = scheme;
    this.renderAll();
  }

  private className(k: number): string {
    const name = classNames(this.host.model()).get(k);
    return name ? `${k} ${name}` : String(k);
  }

  /** A class's name alone, for read-outs (its number when it has no name). */
  private shortName(k: number): string {
    return classNames(this.host.model()).get(k) ?? String(k);
  }

  // -------------------------------------------------------------------------------------------------------------
  // The slider

  private slide(t: number): void {
    const s = this.state();
    this.controls.setSlider(t);
    const base = this.session.base;
    if (!base) return;
    const engine = this.session.engine;
    if (!engine || !base.order) {
      // Over the ranking budget: the worker computes the mask; the host keeps only the latest position asked for.
      this.controls.setStatus(`Threshold ${t}: asking the worker for the mask (large map)…`);
      this.host.post({ type: 'analysis', request: { type: 'threshold', threshold: t } });
      return;
    }
    const changed = engine.setThreshold(t);
    const usesThreshold =
      s.decoderA === 'threshold' || (s.show === 'difference' && s.decoderB === 'threshold');
    // Only the pixels between the old and the new cut-off changed: repaint those.
    if (usesThreshold && s.show !== 'none')
      this.overlay.repaint(base.order.subarray(changed.from, changed.to));
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.decoders.render(this.session, this.state().decoderA);
        this.updateLive();
        this.painter.paintCompare(this.painting());
      });
    }
  }

  private commitThreshold(t: number): void {
    const settings = { ...this.state().settings, threshold: t };
    this.changeSettings(settings, settings.topK ? ['threshold'] : ['threshold', 'topk']);
    this.postDrawn();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Drawing

  /** The cancel button is offered while results are outstanding. */
  private updateBusy(): void {
    this.controls.setBusy(!this.session.complete && this.controls.statusText !== 'Cancelled.');
  }

  private renderAll(): void {
    this.updateBusy();
    this.controls.sync(this.state());
    const base = this.session.base;
    if (!base) return;
    // A threshold set by the host or restored from the state moves the live labels too.
    const t = this.state().settings.threshold;
    const engine = this.session.engine;
    if (engine && engine.threshold !== t) engine.setThreshold(t);
    this.painter.paint(this.painting());
    const s = this.state();
    this.decoders.render(this.session, s.decoderA);
    this.updateLive();
    this.renderMetrics();
    this.renderChartsIfShown();
    this.postDrawn();
  }

  private renderMetrics(): void {
    const base = this.session.base;
    if (!base) return;
    const a = this.state().decoderA;
    renderMetricsOf(
      this.metrics,
      this.objects,
      base.hasGt,
      this.session.views.get(a),
      DECODER_NAMES[a],
      noGroundTruth(base),
    );
  }

  /** Tells the host what is drawn, once per distinct state (tests wait for this). */
  private postDrawn(): void {
    const s = this.state();
    const summary = drawnSummary(this.session, s);
    const key = `${s.decoderA}|${s.show}|${summary}`;
    if (summary === undefined || key === this.lastDrawn) return;
    this.lastDrawn = key;
    this.host.post({
      type: 'analysis',
      request: { type: 'drawn', decoderA: s.decoderA, show: s.show, summary },
    });
  }

  /** Each decoder's label at a pixel, for the stage's hover read-out (empty before the analysis has results). */
  decisions(p: { x: number; y: number }): string {
    const parts = this.session.pixelParts(p, false, (k) => this.shortName(k), decoderName);
    return parts.length ? ` · ${parts.join(' · ')}` : '';
  }
}

const decoderName = (d: AnalysisDecoder) => DECODER_NAMES[d];
