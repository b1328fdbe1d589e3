/**
 * The viewer webview: builds the panel once, then reacts to host messages. Drawing: the image and the mask overlay
 * are two stacked canvases at image resolution, scaled by CSS; opacity and visibility are CSS changes (instant), a
 * fill/contour switch redraws only the overlay. The host posts nothing until this script says `ready`.
 */
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import { Layer, LayerRole, PROTOCOL_VERSION, Problem, parseViewerState } from '../src/protocol';
import { classColour, colourMapGradient, colourMapLut, cssColour, isColourful, type Rgb } from './colors';
import { asToWebview, sanitizeSample } from './incoming';
import { imageToRgba, labelsToRgba, probToRgba } from './render';
import { connect } from './vscodeApi';
import {
  ViewModel,
  describeLayer,
  drawScale,
  initialModel,
  isVisible,
  layerOf,
  classNames,
  colourOverrides,
  persistedState,
  pixelReadout,
  reduce,
  toggleRole,
  withView,
  zoomStep,
} from './viewModel';

const api = connect();
const heatmapLut = colourMapLut();
const restored = parseViewerState(api.getState());
let model: ViewModel = initialModel(restored.ok ? restored.value : undefined);

// ---------------------------------------------------------------------------------------------------------------
// DOM skeleton

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function toolbarButton(icon: string, label: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-toolbar-button');
  b.setAttribute('icon', icon);
  b.setAttribute('label', label);
  b.title = label;
  b.addEventListener('click', onClick);
  return b;
}

const app = document.getElementById('app') ?? document.body;
const toolbar = el('header', 'toolbar');
toolbar.setAttribute('role', 'toolbar');
const problemsBox = el('section', 'problems');
problemsBox.setAttribute('aria-live', 'polite');
const stage = el('main', 'stage');
stage.tabIndex = 0;
stage.setAttribute('aria-label', 'Image; + and − zoom, 0 fits, 1 shows pixels 1:1');
const wrap = el('div', 'canvas-wrap');
const imageCanvas = el('canvas', 'layer image');
const probCanvas = el('canvas', 'layer prob');
const overlayCanvas = el('canvas', 'layer overlay');
// Stacking order: image, probability heatmap, then the mask on top so its outline stays readable.
wrap.append(imageCanvas, probCanvas, overlayCanvas);
const loading = el('div', 'loading');
const ring = document.createElement('vscode-progress-ring');
const loadingText = el('span');
loading.append(ring, loadingText);
const empty = el('div', 'empty');
stage.append(wrap, loading, empty);
const info = el('footer', 'info');
app.append(toolbar, problemsBox, stage, info);

const opacityInput = el('input');
opacityInput.type = 'range';
opacityInput.min = '0';
opacityInput.max = '1';
opacityInput.step = '0.05';
opacityInput.setAttribute('aria-label', 'Overlay opacity');
const opacityLabel = el('label', 'opacity', 'Opacity ');
opacityLabel.append(opacityInput);

const readout = el('span', 'readout');
readout.setAttribute('aria-live', 'off');

const probToggle = document.createElement('vscode-checkbox');
probToggle.setAttribute('label', 'Probability');
probToggle.textContent = 'Probability';
const gtToggle = document.createElement('vscode-checkbox');
gtToggle.setAttribute('label', 'Ground truth');
gtToggle.textContent = 'Ground truth';
const contourToggle = document.createElement('vscode-checkbox');
contourToggle.textContent = 'Contour';
contourToggle.setAttribute('label', 'Contour');

toolbar.append(
  toolbarButton('folder-opened', 'Open files…', () => api.post({ type: 'command', command: 'openFiles' })),
  toolbarButton('refresh', 'Reload from disk', () => api.post({ type: 'command', command: 'reload' })),
  el('span', 'sep'),
  toolbarButton('screen-full', 'Fit to panel (0)', () => setZoom('fit')),
  toolbarButton('zoom-out', 'Zoom out (−)', () => stepZoom(-1)),
  toolbarButton('zoom-in', 'Zoom in (+)', () => stepZoom(1)),
  toolbarButton('circle-large', 'Actual pixels 1:1 (1)', () => setZoom(1)),
  el('span', 'sep'),
  gtToggle,
  probToggle,
  contourToggle,
  opacityLabel,
  readout,
);

// ---------------------------------------------------------------------------------------------------------------
// State changes

/**
 * Replaces the model and persists it. `fromUser` marks changes the user made in this panel; only those are
 * announced to the host (echoing the host's own `init` back would be noise).
 */
function update(next: ViewModel, fromUser = true): void {
  const viewChanged = next.view !== model.view;
  model = next;
  api.setState(persistedState(model));
  if (viewChanged && fromUser) api.post({ type: 'viewChanged', view: model.view });
}

function setZoom(zoom: ViewModel['view']['zoom']): void {
  update(withView(model, { zoom }));
  layout();
}

function currentScale(): number {
  return drawScale(model.view.zoom, imageCanvas, { width: stage.clientWidth, height: stage.clientHeight });
}

function stepZoom(direction: 1 | -1): void {
  setZoom(zoomStep(currentScale(), direction));
}

opacityInput.addEventListener('input', () => {
  update(withView(model, { opacity: Number(opacityInput.value) }));
  overlayCanvas.style.opacity = String(model.view.opacity);
  probCanvas.style.opacity = String(model.view.opacity);
});
probToggle.addEventListener('change', () => {
  update(toggleRole(model, 'prob', (probToggle as HTMLElement & { checked: boolean }).checked));
  probCanvas.hidden = !isVisible(model, 'prob');
});
gtToggle.addEventListener('change', () => {
  update(toggleRole(model, 'gt', (gtToggle as HTMLElement & { checked: boolean }).checked));
  overlayCanvas.hidden = !isVisible(model, 'gt');
});
contourToggle.addEventListener('change', () => {
  update(
    withView(model, {
      overlay: (contourToggle as HTMLElement & { checked: boolean }).checked ? 'contour' : 'fill',
    }),
  );
  drawOverlay();
});
stage.addEventListener('keydown', (e) => {
  if (e.key === '+' || e.key === '=') stepZoom(1);
  else if (e.key === '-') stepZoom(-1);
  else if (e.key === '0') setZoom('fit');
  else if (e.key === '1') setZoom(1);
  else return;
  e.preventDefault();
});
stage.addEventListener(
  'wheel',
  (e) => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    stepZoom(e.deltaY < 0 ? 1 : -1);
  },
  { passive: false },
);
// Hover read-out: the image pixel under the pointer and every layer's value there.
wrap.addEventListener('mousemove', (e) => {
  const rect = wrap.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) return;
  const x = Math.floor(((e.clientX - rect.left) / rect.width) * imageCanvas.width);
  const y = Math.floor(((e.clientY - rect.top) / rect.height) * imageCanvas.height);
  readout.textContent = pixelReadout(model.layers, x, y, classNames(model));
});
wrap.addEventListener('mouseleave', () => {
  readout.textContent = '';
});

// Drag to pan when the image is larger than the panel (the stage scrolls).
let drag: { x: number; y: number; left: number; top: number } | undefined;
stage.addEventListener('pointerdown', (e) => {
  if (e.button !== 0) return;
  drag = { x: e.clientX, y: e.clientY, left: stage.scrollLeft, top: stage.scrollTop };
  stage.setPointerCapture(e.pointerId);
});
stage.addEventListener('pointermove', (e) => {
  if (!drag) return;
  stage.scrollLeft = drag.left - (e.clientX - drag.x);
  stage.scrollTop = drag.top - (e.clientY - drag.y);
});
const endDrag = () => {
  drag = undefined;
};
stage.addEventListener('pointerup', endDrag);
stage.addEventListener('pointercancel', endDrag);

new ResizeObserver(() => {
  if (model.view.zoom === 'fit') layout();
}).observe(stage);

// ---------------------------------------------------------------------------------------------------------------
// Drawing

function layout(): void {
  const scale = currentScale();
  wrap.style.width = `${Math.max(1, Math.round(imageCanvas.width * scale))}px`;
  wrap.style.height = `${Math.max(1, Math.round(imageCanvas.height * scale))}px`;
  wrap.classList.toggle('pixelated', scale >= 2);
}

function paint(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  fill: (out: Uint8ClampedArray) => void,
): void {
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error(`could not get a 2-D canvas context for ${width}×${height} pixels`);
  const img = g.createImageData(width, height);
  fill(img.data);
  g.putImageData(img, 0, 0);
}

function drawOverlay(): boolean {
  const gt = layerOf(model, 'gt');
  const g = overlayCanvas.getContext('2d');
  if (!gt) {
    g?.clearRect(0, 0, overlayCanvas.width, overlayCanvas.height);
    return false;
  }
  paint(overlayCanvas, gt.raster.width, gt.raster.height, (out) =>
    labelsToRgba(
      gt.raster,
      gt.classes ?? [],
      gt.palette,
      model.view.overlay,
      out,
      new Set(),
      colourOverrides(model),
    ),
  );
  return true;
}

function drawSample(receivedAt: number): void {
  const drawn: LayerRole[] = [];
  const image = layerOf(model, 'image');
  const base = image ?? model.layers[0];
  if (!base) return;
  if (image) {
    paint(imageCanvas, image.raster.width, image.raster.height, (out) =>
      imageToRgba(image.raster, image.range, out),
    );
    drawn.push('image');
  } else {
    // A mask opened on its own is drawn over an empty (transparent) image of its size.
    paint(imageCanvas, base.raster.width, base.raster.height, () => undefined);
  }
  if (drawOverlay()) drawn.push('gt');
  const prob = layerOf(model, 'prob');
  if (prob) {
    paint(probCanvas, prob.raster.width, prob.raster.height, (out) =>
      probToRgba(prob.raster, heatmapLut, out),
    );
    drawn.push('prob');
  } else {
    probCanvas.getContext('2d')?.clearRect(0, 0, probCanvas.width, probCanvas.height);
  }
  overlayCanvas.style.opacity = String(model.view.opacity);
  probCanvas.style.opacity = String(model.view.opacity);
  overlayCanvas.hidden = !isVisible(model, 'gt');
  probCanvas.hidden = !prob || !isVisible(model, 'prob');
  layout();
  const requestId = model.requestId;
  const { width, height } = imageCanvas;
  // Report after the browser has had a frame to show the result, so "rendered" means on screen.
  requestAnimationFrame(() =>
    api.post({
      type: 'rendered',
      requestId,
      width,
      height,
      layers: drawn,
      drawMs: Math.max(0, Math.round(performance.now() - receivedAt)),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Chrome: toolbar state, problems, info

function icon(name: string): HTMLElement {
  const i = document.createElement('vscode-icon');
  i.setAttribute('name', name);
  return i;
}

function renderProblems(problems: Problem[]): void {
  problemsBox.replaceChildren(
    ...problems.map((p) => {
      const row = el('div', `problem ${p.severity}`);
      row.setAttribute('role', p.severity === 'error' ? 'alert' : 'status');
      row.append(icon(p.severity === 'info' ? 'info' : p.severity), el('span', 'text', p.message));
      return row;
    }),
  );
}

function legend(l: Layer): HTMLElement {
  const box = el('div', 'legend');
  const classes = l.classes ?? [];
  const palette = l.palette as Rgb[] | undefined;
  const names = classNames(model);
  const overrides = colourOverrides(model);
  const useFile = isColourful(palette, classes);
  for (const k of classes.filter((c) => c > 0).slice(0, 64)) {
    const item = el('span', 'legend-item');
    const sw = el('span', 'swatch');
    sw.style.backgroundColor = cssColour(classColour(k, palette, useFile, overrides));
    const name = names.get(k);
    item.append(sw, el('span', undefined, name ? `${k} ${name}` : String(k)));
    box.append(item);
  }
  if (classes.filter((c) => c > 0).length === 0)
    box.append(el('span', 'muted', 'mask is empty (only label 0)'));
  return box;
}

const ROLE_TAGS: Record<LayerRole, string> = { image: 'Image', gt: 'GT', pred: 'Pred', prob: 'Prob' };

/** The heatmap's colour bar: 0 … 1 with the colour map between (alpha follows the value too). */
function colourBar(): HTMLElement {
  const box = el('span', 'colour-bar');
  const bar = el('span', 'bar');
  bar.style.background = colourMapGradient();
  box.append(el('span', undefined, '0'), bar, el('span', undefined, '1'));
  return box;
}

function renderInfo(): void {
  const rows: HTMLElement[] = [];
  for (const l of model.layers) {
    const row = el('div', `layer-info ${l.role}`);
    const tag = el('span', 'role', ROLE_TAGS[l.role]);
    row.append(tag, el('span', 'desc', describeLayer(l)));
    if (l.role === 'gt') row.append(legend(l));
    if (l.role === 'prob') row.append(colourBar());
    rows.push(row);
  }
  for (const n of model.notes) rows.push(el('div', 'note', n));
  info.replaceChildren(...rows);
}

function renderChrome(): void {
  loading.hidden = model.status !== 'loading';
  loadingText.textContent = model.loadingLabel;
  wrap.hidden = model.status === 'empty';
  empty.hidden = model.status !== 'empty';
  if (model.status === 'empty') {
    const open = document.createElement('vscode-button');
    open.setAttribute('icon', 'folder-opened');
    open.textContent = 'Open Files…';
    open.addEventListener('click', () => api.post({ type: 'command', command: 'openFiles' }));
    empty.replaceChildren(
      el('p', undefined, 'Right-click an image or mask in the explorer and choose “Open in SegLens”, or'),
      open,
    );
  }
  const hasGt = layerOf(model, 'gt') !== undefined;
  gtToggle.toggleAttribute('disabled', !hasGt);
  (gtToggle as HTMLElement & { checked: boolean }).checked = isVisible(model, 'gt');
  const hasProb = layerOf(model, 'prob') !== undefined;
  probToggle.hidden = !hasProb;
  (probToggle as HTMLElement & { checked: boolean }).checked = isVisible(model, 'prob');
  (contourToggle as HTMLElement & { checked: boolean }).checked = model.view.overlay === 'contour';
  contourToggle.toggleAttribute('disabled', !hasGt);
  opacityInput.value = String(model.view.opacity);
  opacityInput.disabled = !hasGt && !hasProb;
  renderProblems(model.problems);
  renderInfo();
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const receivedAt = performance.now();
  let msg = asToWebview(event.data);
  if (!msg) return;
  let extra: Problem[] = [];
  if (msg.type === 'sample') {
    const s = sanitizeSample(msg);
    msg = s.msg;
    extra = s.problems;
  }
  const before = model;
  update(reduce(model, msg), false);
  if (extra.length)
    update(reduce(model, { type: 'problems', requestId: model.requestId, problems: extra }), false);
  try {
    if (msg.type === 'sample' && model !== before && model.layers.length > 0) drawSample(receivedAt);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    update(
      reduce(model, {
        type: 'problems',
        requestId: model.requestId,
        problems: [{ severity: 'error', message }],
      }),
      false,
    );
    api.post({ type: 'failed', requestId: model.requestId, message });
  }
  renderChrome();
});

renderChrome();
api.post({ type: 'ready', version: PROTOCOL_VERSION });
