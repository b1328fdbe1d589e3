/**
 * The panel's state and every decision about it that is not drawing: how messages change the state, what the
 * panel persists, how a layer is described, how large the image is drawn. Pure (no DOM), unit-tested in node.
 * Issue 6 grows this (several predictions, probability maps, metrics) by adding fields and message cases.
 */
import {
  ClassLabel,
  DEFAULT_VIEW_OPTIONS,
  Layer,
  LayerRole,
  PROTOCOL_VERSION,
  Problem,
  SampleRef,
  ToWebview,
  ViewOptions,
  ViewerState,
  completeLayers,
} from '../src/protocol';
import { samplesOf } from './render';

export interface ViewModel {
  view: ViewOptions;
  status: 'empty' | 'loading' | 'shown';
  /** Progress text while loading. */
  loadingLabel: string;
  /** Id of the load whose results are current; older results are ignored. */
  requestId: number;
  sample: SampleRef;
  layers: Layer[];
  notes: string[];
  problems: Problem[];
  /** Class names and colours of the current sample (from a labels file), empty when none. */
  classLabels: ClassLabel[];
  /**
   * A large image's preview, drawn in its place until the image itself arrives (a `completes` sample); the image
   * is then in `layers`. Never in `layers` itself: nothing reads the preview's samples as the image's.
   */
  preview?: Layer;
}

export function initialModel(restored?: ViewerState): ViewModel {
  return {
    view: restored?.view ?? { ...DEFAULT_VIEW_OPTIONS },
    status: 'empty',
    loadingLabel: '',
    requestId: 0,
    sample: restored?.sample ?? {},
    layers: [],
    notes: [],
    problems: [],
    classLabels: [],
  };
}

/**
 * Applies a host message. Results of a load older than the current one are dropped, so a slow first file can
 * never replace a newer one on screen.
 */
export function reduce(m: ViewModel, msg: ToWebview): ViewModel {
  switch (msg.type) {
    case 'init':
      return { ...m, view: msg.view };
    case 'analysis':
    case 'revealRegion':
    case 'probeTile':
      // Analysis results live in the analysis panel's own state (webview/analysis); a region is a stage move
      // (main.ts), not part of this model.
      return m;
    case 'loading':
      if (msg.requestId < m.requestId) return m;
      return { ...m, status: 'loading', loadingLabel: msg.label, requestId: msg.requestId, problems: [] };
    case 'sample': {
      if (msg.requestId < m.requestId) return m;
      if (msg.completes) {
        // The image after its preview: only for the sample shown (a newer load may have started meanwhile).
        if (msg.requestId !== m.requestId || m.status !== 'shown') return m;
        return { ...m, layers: completeLayers(m.layers, msg.layers), preview: undefined };
      }
      const preview = msg.layers.find((l) => l.previewOf);
      return {
        ...m,
        status: 'shown',
        requestId: msg.requestId,
        sample: msg.sample,
        layers: msg.layers.filter((l) => !l.previewOf),
        preview,
        notes: msg.notes,
        classLabels: msg.classLabels ?? [],
        problems: msg.requestId === m.requestId ? m.problems : [],
      };
    }
    case 'problems': {
      if (msg.requestId !== undefined && msg.requestId < m.requestId) return m;
      const requestId = msg.requestId ?? m.requestId;
      const sameLoad = requestId === m.requestId;
      // The host posts a load's sample before its problems, so a load still "loading" here produced nothing to
      // draw: the panel empties rather than keep a previous picture under errors about another file.
      const failed = m.status === 'loading' && sameLoad;
      return {
        ...m,
        requestId,
        status: failed ? 'empty' : m.status,
        layers: failed ? [] : m.layers,
        preview: failed ? undefined : m.preview,
        notes: failed ? [] : m.notes,
        problems: [...(sameLoad ? m.problems : []), ...msg.problems],
      };
    }
  }
}

export function withView(m: ViewModel, patch: Partial<ViewOptions>): ViewModel {
  return { ...m, view: { ...m.view, ...patch } };
}

export function toggleRole(m: ViewModel, role: LayerRole, visible: boolean): ViewModel {
  const hidden = m.view.hidden.filter((r) => r !== role);
  if (!visible) hidden.push(role);
  return withView(m, { hidden });
}

/** Shows or hides one class of the mask overlay. */
export function toggleClass(m: ViewModel, k: number): ViewModel {
  const hidden = new Set(m.view.hiddenClasses ?? []);
  if (hidden.has(k)) hidden.delete(k);
  else hidden.add(k);
  return withView(m, { hiddenClasses: [...hidden].sort((a, b) => a - b) });
}

export function isClassVisible(m: ViewModel, k: number): boolean {
  return !(m.view.hiddenClasses ?? []).includes(k);
}

export function isVisible(m: ViewModel, role: LayerRole): boolean {
  return !m.view.hidden.includes(role);
}

/** What the panel persists: URIs and options, never pixels (docs/style.md habit 8). */
export function persistedState(m: ViewModel): ViewerState {
  return { version: PROTOCOL_VERSION, sample: m.sample, view: m.view };
}

export function layerOf(m: ViewModel, role: LayerRole): Layer | undefined {
  return m.layers.find((l) => l.role === role);
}

/** Formats a sample value: integers exactly, other numbers with 4 significant digits. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

const CHANNEL_NAMES: Record<number, string> = { 1: 'grey', 2: 'grey+alpha', 3: 'RGB', 4: 'RGBA' };

/** One line describing a layer: name, size, channels, dtype and value range (or classes for masks). */
export function describeLayer(l: Layer): string {
  const { width, height, channels } = l.raster;
  const size = `${width}×${height}`;
  const range = Number.isNaN(l.range.min)
    ? 'no finite values'
    : `range ${formatValue(l.range.min)}…${formatValue(l.range.max)}`;
  if (l.classes) {
    const shown = l.classes.length > 12 ? `${l.classes.slice(0, 12).join(', ')}, …` : l.classes.join(', ');
    return `${l.name} · ${size} · ${l.sourceDtype} · ${l.classes.length} labels (${shown})`;
  }
  // A probability map's dtype already says what it is; "grey" would only confuse.
  const kind = l.role === 'prob' ? l.sourceDtype : `${CHANNEL_NAMES[channels]} ${l.sourceDtype}`;
  return `${l.name} · ${size} · ${kind} · ${range}`;
}

/**
 * The drawn scale for a zoom option: 'fit' fills the stage (never below 1/64, and never enlarging a tiny image
 * beyond 16×), a number is used as given.
 */
export function drawScale(
  zoom: ViewOptions['zoom'],
  image: { width: number; height: number },
  stage: { width: number; height: number },
): number {
  if (zoom !== 'fit') return zoom;
  if (image.width <= 0 || image.height <= 0 || stage.width <= 0 || stage.height <= 0) return 1;
  const s = Math.min(stage.width / image.width, stage.height / image.height);
  return Math.min(16, Math.max(1 / 64, s));
}

/** The next zoom step in or out (powers of two), starting from the current effective scale. */
export function zoomStep(current: number, direction: 1 | -1): number {
  const exp = Math.log2(current);
  const next = direction > 0 ? Math.floor(exp + 1e-9) + 1 : Math.ceil(exp - 1e-9) - 1;
  return Math.min(64, Math.max(1 / 64, 2 ** next));
}

/**
 * The exact probability at (x, y) of a map that crossed as its heatmap levels (webview/probe.ts), or undefined
 * while the host has not answered yet.
 */
export type ExactProb = (x: number, y: number) => number | undefined;

/** Formats one sample of a layer at pixel (x, y) for the hover read-out; undefined outside the raster. */
export function sampleText(l: Layer, x: number, y: number, exact?: ExactProb): string | undefined {
  const { width, height, channels } = l.raster;
  if (x < 0 || y < 0 || x >= width || y >= height) return undefined;
  const s = samplesOf(l.raster);
  const i = (y * width + x) * channels;
  if (l.role === 'gt' || l.role === 'pred') return String(s[i]);
  if (l.role === 'prob') {
    // Heatmap levels are for drawing only; the read-out shows the host's exact value ('…' until it arrives).
    const p = l.raster.heatmapLevels ? exact?.(x, y) : s[i];
    return p === undefined ? '…' : formatValue(Number(p.toPrecision(3)));
  }
  if (channels === 1) return formatValue(s[i]);
  const parts: string[] = [];
  for (let c = 0; c < channels; c++) parts.push(formatValue(s[i + c]));
  return `(${parts.join(', ')})`;
}

const HOVER_NAMES: Record<LayerRole, string> = {
  image: 'value',
  gt: 'GT class',
  pred: 'predicted',
  prob: 'p',
};

/** The hover read-out at image pixel (x, y): coordinates, then each layer's value (empty outside the image). */
export function pixelReadout(
  layers: readonly Layer[],
  x: number,
  y: number,
  names: ReadonlyMap<number, string> = new Map(),
  exact?: ExactProb,
): string {
  const parts: string[] = [];
  for (const l of layers) {
    const v = sampleText(l, x, y, exact);
    if (v === undefined) continue;
    const name = l.role === 'gt' || l.role === 'pred' ? names.get(Number(v)) : undefined;
    parts.push(`${HOVER_NAMES[l.role]} ${v}${name ? ` ${name}` : ''}`);
  }
  return parts.length ? `x ${x}, y ${y} · ${parts.join(' · ')}` : '';
}

/**
 * Whether a sample message shows another picture than the panel shows now: a new sample starts fitted, since a zoom
 * chosen for one image means nothing on the next. The picture is the image (or, without one, the first file the
 * sample has); another model's probability map or another mask for the same image keeps the zoom, so models can be
 * compared at the same place.
 */
export function isOtherSample(now: SampleRef, next: SampleRef): boolean {
  const picture = (r: SampleRef) => r.image ?? r.gt ?? r.prob ?? r.pred ?? '';
  return picture(now) !== picture(next);
}

/** Class index → name, from the sample's labels. */
export function classNames(m: Pick<ViewModel, 'classLabels'>): Map<number, string> {
  return new Map(m.classLabels.map((c) => [c.index, c.name]));
}

/** Class index → colour chosen in the labels file (classes without a colour keep their defaults). */
export function colourOverrides(m: Pick<ViewModel, 'classLabels'>): Map<number, [number, number, number]> {
  const out = new Map<number, [number, number, number]>();
  for (const c of m.classLabels) if (c.color) out.set(c.index, c.color);
  return out;
}
