/**
 * The comparison's controls: model, decoders A and B, what the stage shows, the threshold slider with its value,
 * solver, k of top-k, the status line with Cancel, and the export row. They hold no state of their own: `sync`
 * shows the persisted choices, and every change goes out through the callbacks.
 */
import {
  ANALYSIS_DECODERS,
  ANALYSIS_SHOWS,
  EXPORT_WHATS,
  type AnalysisDecoder,
  type AnalysisSettings,
  type AnalysisViewState,
  type ExportWhat,
} from '../../src/protocol';
import { el } from '../dom';
import { decoderHelp } from './explain';
import { DECODER_NAMES, EXPORT_NAMES, SHOW_NAMES } from './names';
import { PALETTE_NAMES, PALETTE_SCHEMES, type PaletteScheme } from './palettes';

export interface ControlsHost {
  state(): AnalysisViewState;
  /** A choice that changes only what is drawn (decoders, what is shown). */
  choose(patch: Partial<AnalysisViewState>): void;
  /** A setting that needs the host to recompute `decoders`. */
  changeSettings(settings: AnalysisSettings, decoders?: AnalysisDecoder[]): void;
  /** The slider moves (live, no host round trip) … */
  slide(t: number): void;
  /** … and is released (the host recomputes). */
  commitThreshold(t: number): void;
  chooseModel(model: string): void;
  cancel(): void;
  exportAs(what: ExportWhat): void;
  /** The error map's colour scheme (standard or colour-blind safe). */
  choosePalette(scheme: PaletteScheme): void;
}

export function select<T extends string>(
  label: string,
  options: readonly T[],
  names: (v: T) => string,
  onChange: (v: T) => void,
): { label: HTMLLabelElement; select: HTMLSelectElement } {
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

export class AnalysisControls {
  /** The controls row (model, decoders, show, threshold, solver, k). */
  readonly element = el('div', 'row controls');
  /** Says that the slider asks the worker (slider mode 'worker'); hidden otherwise. */
  readonly sliderNote = el('div', 'row muted slider-note');
  readonly statusRow = el('div', 'row muted status');
  readonly exportRow = el('div', 'row export-row');
  /** The numbers the slider changes, kept in view while dragging (the panel writes them). */
  readonly live = el('div', 'live-numbers');
  readonly status = el('span');
  readonly cancelButton = el('button', 'link', 'Cancel');
  readonly slider = el('input');
  readonly sliderValue = el('input');
  readonly topK = el('input');
  readonly modelSelect = el('select');
  readonly modelLabel = el('label', undefined, 'Model ');
  readonly a: ReturnType<typeof select<AnalysisDecoder>>;
  readonly b: ReturnType<typeof select<AnalysisDecoder>>;
  readonly show: ReturnType<typeof select<AnalysisViewState['show']>>;
  readonly solver: ReturnType<typeof select<AnalysisSettings['solver']>>;
  readonly exportWhat: ReturnType<typeof select<ExportWhat>>;
  readonly palette: ReturnType<typeof select<PaletteScheme>>;

  constructor(private readonly host: ControlsHost) {
    const names = (d: AnalysisDecoder) => DECODER_NAMES[d];
    this.a = select('Decoder A', ANALYSIS_DECODERS, names, (d) => host.choose({ decoderA: d }));
    this.b = select('Decoder B', ANALYSIS_DECODERS, names, (d) => host.choose({ decoderB: d }));
    for (const s of [this.a.select, this.b.select])
      for (const o of s.options) o.title = decoderHelp(o.value as AnalysisDecoder);
    this.show = select(
      'Show',
      ANALYSIS_SHOWS,
      (s) => SHOW_NAMES[s],
      (s) => host.choose({ show: s }),
    );
    this.solver = select(
      'Solver',
      ['auto', 'exact', 'rma'] as const,
      (s) => s,
      (s) => host.changeSettings({ ...host.state().settings, solver: s }),
    );
    this.palette = select(
      'Colours',
      PALETTE_SCHEMES,
      (p) => PALETTE_NAMES[p],
      (p) => host.choosePalette(p),
    );
    this.exportWhat = select(
      'Export',
      EXPORT_WHATS,
      (w) => EXPORT_NAMES[w],
      () => undefined,
    );

    const slider = this.slider;
    slider.type = 'range';
    slider.min = '0';
    slider.max = '1';
    slider.step = '0.01';
    slider.setAttribute('aria-label', 'Threshold (p > t)');
    slider.addEventListener('input', () => host.slide(Number(slider.value)));
    slider.addEventListener('change', () => host.commitThreshold(Number(slider.value)));
    const value = this.sliderValue;
    value.type = 'number';
    value.min = '0';
    value.max = '1';
    value.step = '0.001';
    value.setAttribute('aria-label', 'Threshold value');
    value.addEventListener('change', () => {
      const t = Math.min(1, Math.max(0, Number(value.value) || 0));
      host.slide(t);
      host.commitThreshold(t);
    });
    const topK = this.topK;
    topK.type = 'number';
    topK.min = '1';
    topK.setAttribute('aria-label', 'k of top-k (empty: the threshold’s k)');
    topK.placeholder = 'auto';
    topK.addEventListener('change', () => {
      const k = Math.floor(Number(topK.value));
      const settings = { ...host.state().settings };
      if (k >= 1) settings.topK = k;
      else delete settings.topK;
      host.changeSettings(settings, ['topk']);
    });
    this.modelSelect.setAttribute('aria-label', 'Model whose probability map is shown');
    this.modelSelect.addEventListener('change', () => host.chooseModel(this.modelSelect.value));
    this.modelLabel.append(this.modelSelect);
    this.modelLabel.hidden = true;

    this.cancelButton.addEventListener('click', () => host.cancel());
    this.cancelButton.title = 'Stop the running decoders and metrics';
    this.statusRow.append(this.status, this.cancelButton);
    this.statusRow.setAttribute('aria-live', 'polite');

    const thresholdLabel = el('label', undefined, 'Threshold ');
    thresholdLabel.append(slider, value);
    const kLabel = el('label', undefined, 'Top-k k ');
    kLabel.append(topK);
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', 'Decoder comparison controls');
    this.element.append(
      this.modelLabel,
      this.a.label,
      this.b.label,
      this.show.label,
      thresholdLabel,
      this.solver.label,
      kLabel,
      this.palette.label,
    );
    const exportButton = el('button', 'act', 'Export…');
    exportButton.addEventListener('click', () => host.exportAs(this.exportWhat.select.value as ExportWhat));
    this.exportRow.append(this.exportWhat.label, exportButton);
    this.sliderNote.hidden = true;
  }

  /** Shows the persisted choices. */
  sync(s: AnalysisViewState): void {
    this.a.select.value = s.decoderA;
    this.b.select.value = s.decoderB;
    this.show.select.value = s.show;
    this.solver.select.value = s.settings.solver;
    this.setSlider(s.settings.threshold);
    this.topK.value = s.settings.topK ? String(s.settings.topK) : '';
  }

  /** Moves the slider and its number without telling anyone. */
  setSlider(t: number): void {
    this.slider.value = String(t);
    this.sliderValue.value = String(t);
  }

  get threshold(): number {
    return Number(this.slider.value);
  }

  /** The model folders to choose from (the picker shows only with two or more). */
  setModels(models: string[], model: string | undefined): void {
    this.modelSelect.replaceChildren(
      ...models.map((m) => {
        const o = el('option', undefined, m);
        o.value = m;
        return o;
      }),
    );
    if (model) this.modelSelect.value = model;
    this.modelLabel.hidden = models.length < 2;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  get statusText(): string {
    return this.status.textContent ?? '';
  }

  /** Cancel is offered while results are outstanding. */
  setBusy(busy: boolean): void {
    this.cancelButton.hidden = !busy;
  }

  setLive(text: string): void {
    this.live.textContent = text;
    this.live.hidden = text === '';
  }

  /** The large-map note under the controls (undefined hides it). */
  setSliderNote(text: string | undefined): void {
    this.sliderNote.textContent = text ?? '';
    this.sliderNote.hidden = text === undefined;
  }
}
