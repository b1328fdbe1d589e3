/**
 * The volume panel's page: three planes (axial, coronal, sagittal) with the anatomical letters on their sides, a
 * synced crosshair (a click in one plane moves the other two), slice scrolling (wheel, keys, a slider per plane),
 * zoom (Ctrl+wheel, +/−), window/level, the overlay (TP/FP/FN error map, GT or prediction) and the whole-volume
 * metrics beside the current slice's Dice. The page asks the host for the slices at the crosshair and their
 * neighbours in the scroll direction and keeps them (sliceCache.ts), so a slice step composes and draws only the
 * plane that changed, from memory, within the keypress; the other two planes only move their crosshair. The
 * exact values of the read-out come from the host (`voxel`). The pixel work is compose.ts.
 */
import {
  MAX_FETCH,
  TO_VOLUME_WEBVIEW,
  VOLUME_PROTOCOL_VERSION,
  type FromVolumeWebview,
  type VolumePlane,
  type ToVolumeWebview,
  type VolumeHeader,
  type VolumePlaneInfo,
} from '../../src/protocol/volume';
import { accepted } from '../../src/protocol/validate';
import { greyLevels } from '../../src/protocol/volumePixels';
import { colourMapLut, defaultClassColour } from '../colors';
import { el } from '../dom';
import { composeSlice, placeSlice, sliceDice, type OverlayMode, type Placement } from './compose';
import { formatMetric } from './format';
import { labelled, mismatchView, range, select } from './controls';
import { buildSideList } from './sideList';
import { SliceCache, sliceFromWire, type CachedSlice } from './sliceCache';

interface RawVsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): RawVsCodeApi;
const vscode = acquireVsCodeApi();
const send = (m: FromVolumeWebview): void => vscode.postMessage(m);

interface PlaneView {
  info: VolumePlaneInfo;
  cell: HTMLElement;
  title: HTMLElement;
  slider: HTMLInputElement;
  canvas: HTMLCanvasElement;
  offscreen: HTMLCanvasElement;
  rgba?: ImageData;
  /** The slice composed into `offscreen` (its index is the one the title shows). */
  shown?: CachedSlice;
  /** The sign of the last step along this plane (0 after a jump): where to prefetch. */
  direction: -1 | 0 | 1;
  zoom: number;
  placement?: Placement;
  letters: Record<'left' | 'right' | 'top' | 'bottom', HTMLElement>;
}

/** The heatmap's colour map (viridis, as the 2-D viewer's heatmap). */
const HEAT_LUT = colourMapLut();

const app = document.getElementById('app') as HTMLElement;
let header: VolumeHeader | undefined;
let planes: PlaneView[] = [];
let cursor: [number, number, number] = [0, 0, 0];
let mode: OverlayMode = 'errors';
/** The user picked the overlay; until then each header shows its first (the error map once there is one). */
let modeChosen = false;
let opacity = 0.6;
let low = 0;
let high = 1;
let colours: [number, number, number][] = [];
/** The grey of each image level under the window [low, high] (recomputed when the window changes). */
let grey: Float32Array | undefined;
const cache = new SliceCache();
/** The host's exact values at a crosshair position (the read-out). */
let exact: Extract<ToVolumeWebview, { type: 'voxel' }> | undefined;
/** The cursor (and generation) last reported drawn to the host. */
let reported = '';

const toolbar = el('div', 'toolbar');
const status = el('div', 'vol-status');
const main = el('div', 'vol-main');
const grid = el('div', 'vol-planes');
const side = el('div', 'vol-side');
main.append(grid, side);
app.append(toolbar, status, main);
// One observer for the panel's life: a resize redraws every plane at its new size.
new ResizeObserver(() => redrawAll()).observe(grid);

function setWindow(l: number, h: number): void {
  low = l;
  high = h;
  grey = header?.image ? greyLevels(header.image.min, header.image.max, low, high) : undefined;
}

/** Moves the crosshair: draws what the cache holds now, asks the host for the rest and the neighbours. */
function requestCursor(v: [number, number, number]): void {
  const old = cursor;
  cursor = v;
  for (const p of planes) {
    const delta = v[p.info.normalAxis] - old[p.info.normalAxis];
    // A step (key, wheel, PageUp) sets the scroll direction; a jump (click elsewhere, slider drag, ⤓) clears it.
    if (delta !== 0) p.direction = Math.abs(delta) <= 10 ? (delta > 0 ? 1 : -1) : 0;
  }
  send({ type: 'cursor', voxel: v });
  fetchAround();
  refresh();
}

/** Asks for the cursor's slices not held yet (all planes first), then each plane's neighbours. */
function fetchAround(): void {
  const at = planes.map((p) => ({ plane: p.info.plane, index: cursor[p.info.normalAxis] }));
  cache.pin(at);
  const first: { plane: VolumePlane; index: number }[] = [];
  const rest: { plane: VolumePlane; index: number }[] = [];
  for (const p of planes) {
    const index = cursor[p.info.normalAxis];
    for (const i of cache.plan(p.info.plane, index, p.direction, p.info.slices))
      (i === index ? first : rest).push({ plane: p.info.plane, index: i });
  }
  const all = [...first, ...rest];
  for (let i = 0; i < all.length; i += MAX_FETCH)
    send({ type: 'fetch', generation: cache.generation, slices: all.slice(i, i + MAX_FETCH) });
}

/**
 * Shows the cursor: each plane whose slice at the cursor is held and not yet shown is composed, every plane is
 * drawn (the crosshair moved). A plane whose slice has not arrived keeps showing its previous slice, whose index
 * its title keeps saying. Once all three show the cursor's slices the host hears `drawn`.
 */
function refresh(): void {
  const t0 = performance.now();
  for (const p of planes) {
    const want = cache.get(p.info.plane, cursor[p.info.normalAxis]);
    if (want && want !== p.shown) {
      p.shown = want;
      compose(p);
    }
    draw(p);
  }
  renderSliceNumbers();
  renderReadout();
  const done = planes.length > 0 && planes.every((p) => p.shown?.index === cursor[p.info.normalAxis]);
  const key = `${cache.generation}:${cursor.join(',')}`;
  if (done && key !== reported) {
    reported = key;
    send({
      type: 'drawn',
      cursor: [...cursor],
      generation: cache.generation,
      drawMs: performance.now() - t0,
      planes: planes.map((p) => ({
        plane: p.info.plane,
        width: (p.placement?.scaleX ?? 0) * p.info.width,
        height: (p.placement?.scaleY ?? 0) * p.info.height,
      })),
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Toolbar

function buildToolbar(h: VolumeHeader): void {
  toolbar.replaceChildren();
  const modes: { value: OverlayMode; label: string }[] = [];
  if (h.hasGt && h.hasPred) modes.push({ value: 'errors', label: 'Errors (TP/FP/FN)' });
  if (h.hasGt) modes.push({ value: 'gt', label: 'Ground truth' });
  if (h.hasPred) modes.push({ value: 'pred', label: 'Prediction' });
  if (h.hasHeat) modes.push({ value: 'prob', label: 'Probability (heatmap)' });
  modes.push({ value: 'none', label: 'None' });
  // A preview header (no prediction yet) must not leave the ground truth chosen when the error map arrives.
  if (!modeChosen || !modes.some((m) => m.value === mode)) mode = modes[0].value;
  toolbar.append(
    labelled(
      'Overlay',
      select(modes, mode, (v) => ((mode = v), (modeChosen = true), redrawAll())),
    ),
    labelled(
      'Opacity',
      range(0, 1, 0.05, opacity, (v) => ((opacity = v), redrawAll())),
    ),
  );
  if (h.image) {
    const { min, max } = h.image;
    const step = (max - min) / 500 || 1;
    const level = range(min, max, step, (low + high) / 2, (v) => {
      const w = high - low;
      setWindow(v - w / 2, v + w / 2);
      redrawAll();
    });
    const width = range(step, max - min || 1, step, high - low, (v) => {
      const c = (low + high) / 2;
      setWindow(c - v / 2, c + v / 2);
      redrawAll();
    });
    level.setAttribute('aria-label', 'Window level');
    width.setAttribute('aria-label', 'Window width');
    toolbar.append(labelled('Level', level), labelled('Width', width));
  }
  toolbar.append(
    labelled(
      'Display',
      select(
        [
          { value: 'radiological', label: 'Radiological (R on left)' },
          { value: 'neurological', label: 'Neurological (R on right)' },
        ],
        h.convention,
        (v) => send({ type: 'convention', convention: v }),
      ),
    ),
  );
  if (h.decoders.length > 0) {
    let threshold = h.threshold;
    const dec = select(
      h.decoders.map((d) => ({ value: d.name, label: d.label })),
      h.decoder ?? h.decoders[0].name,
      (v) => send({ type: 'decoder', decoder: v, threshold }),
    );
    const t = range(0.01, 0.99, 0.01, threshold, (v) => {
      threshold = v;
      tValue.textContent = v.toFixed(2);
    });
    const tValue = el('span', 'vol-num', threshold.toFixed(2));
    t.addEventListener('change', () => send({ type: 'decoder', decoder: dec.value, threshold }));
    toolbar.append(labelled('Decoder', dec), labelled('Threshold', t), tValue);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Planes

const TITLES = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal' } as const;

function buildPlanes(h: VolumeHeader): void {
  grid.replaceChildren();
  planes = h.planes.map((info) => {
    const cell = el('div', 'vol-plane');
    cell.dataset.plane = info.plane;
    const head = el('div', 'vol-plane-head');
    const title = el('span', 'vol-plane-title');
    const slider = range(0, info.slices - 1, 1, 0, (v) => {
      const next: [number, number, number] = [...cursor];
      next[info.normalAxis] = v;
      requestCursor(next);
    });
    slider.setAttribute('aria-label', `${TITLES[info.plane]} slice`);
    head.append(title, slider);
    const stage = el('div', 'vol-stage');
    const canvas = el('canvas');
    canvas.tabIndex = 0;
    canvas.setAttribute('aria-label', `${TITLES[info.plane]} plane`);
    const letters = {
      left: el('span', 'vol-letter left', info.letters.left),
      right: el('span', 'vol-letter right', info.letters.right),
      top: el('span', 'vol-letter top', info.letters.top),
      bottom: el('span', 'vol-letter bottom', info.letters.bottom),
    };
    stage.append(canvas, ...Object.values(letters));
    cell.append(head, stage);
    grid.append(cell);
    const view: PlaneView = {
      info,
      cell,
      title,
      slider,
      canvas,
      offscreen: document.createElement('canvas'),
      direction: 0,
      zoom: 1,
      letters,
    };
    wirePlane(view);
    return view;
  });
  readout = el('div', 'vol-plane vol-readout');
  readout.setAttribute('aria-live', 'polite');
  grid.append(readout);
}

function step(view: PlaneView, delta: number): void {
  const a = view.info.normalAxis;
  const next: [number, number, number] = [...cursor];
  next[a] = Math.max(0, Math.min(view.info.slices - 1, cursor[a] + delta));
  if (next[a] !== cursor[a]) requestCursor(next);
}

function setZoom(view: PlaneView, zoom: number): void {
  view.zoom = Math.max(1, Math.min(16, zoom));
  draw(view);
}

function wirePlane(view: PlaneView): void {
  const { canvas, info } = view;
  canvas.addEventListener('click', (e) => {
    const p = view.placement;
    if (!p) return;
    const r = canvas.getBoundingClientRect();
    const u = Math.floor((e.clientX - r.left - p.x) / p.scaleX);
    const v = Math.floor((e.clientY - r.top - p.y) / p.scaleY);
    if (u < 0 || v < 0 || u >= info.width || v >= info.height) return;
    const next: [number, number, number] = [...cursor];
    next[info.uAxis] = info.uFlip ? info.width - 1 - u : u;
    next[info.vAxis] = info.vFlip ? info.height - 1 - v : v;
    canvas.focus();
    requestCursor(next);
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      if (e.ctrlKey || e.metaKey) setZoom(view, view.zoom * (e.deltaY < 0 ? 2 : 0.5));
      else step(view, e.deltaY < 0 ? 1 : -1);
    },
    { passive: false },
  );
  canvas.addEventListener('keydown', (e) => {
    const k = e.key;
    if (k === 'ArrowUp' || k === 'PageUp') step(view, k === 'PageUp' ? 10 : 1);
    else if (k === 'ArrowDown' || k === 'PageDown') step(view, k === 'PageDown' ? -10 : -1);
    else if (k === 'Home') step(view, -info.slices);
    else if (k === 'End') step(view, info.slices);
    else if (k === '+' || k === '=') setZoom(view, view.zoom * 2);
    else if (k === '-') setZoom(view, view.zoom / 2);
    else return;
    e.preventDefault();
  });
}

function compose(view: PlaneView): void {
  const s = view.shown;
  if (!header || !s) return;
  const { width, height } = view.info;
  if (!view.rgba || view.rgba.width !== width || view.rgba.height !== height) {
    view.rgba = new ImageData(width, height);
    view.offscreen.width = width;
    view.offscreen.height = height;
  }
  composeSlice(
    {
      width,
      height,
      image: s.image,
      grey,
      gt: s.gt,
      pred: s.pred,
      heat: s.heat,
      heatLut: HEAT_LUT,
      mode,
      opacity,
      numClasses: header.numClasses,
      classColours: colours,
    },
    view.rgba.data,
  );
  (view.offscreen.getContext('2d') as CanvasRenderingContext2D).putImageData(view.rgba, 0, 0);
}

/** Draws a plane's composed slice at its physical aspect, the crosshair, and places the side letters. */
function draw(view: PlaneView): void {
  const { canvas, info } = view;
  const box = { width: canvas.clientWidth, height: canvas.clientHeight };
  if (box.width === 0 || box.height === 0) return;
  const dpr = window.devicePixelRatio || 1;
  // Resizing a canvas reallocates it: only when its size changed (a slice step keeps it).
  const cw = Math.round(box.width * dpr);
  const ch = Math.round(box.height * dpr);
  if (canvas.width !== cw) canvas.width = cw;
  if (canvas.height !== ch) canvas.height = ch;
  const u = info.uFlip ? info.width - 1 - cursor[info.uAxis] : cursor[info.uAxis];
  const v = info.vFlip ? info.height - 1 - cursor[info.vAxis] : cursor[info.vAxis];
  const p = placeSlice(box, info, view.zoom, { u, v });
  view.placement = p;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, box.width, box.height);
  ctx.imageSmoothingEnabled = false;
  if (view.shown) ctx.drawImage(view.offscreen, p.x, p.y, info.width * p.scaleX, info.height * p.scaleY);
  // The crosshair through the centre of the cursor's voxel, in a colour no overlay uses.
  ctx.strokeStyle = 'rgba(0, 255, 128, 0.8)';
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  const cx = p.x + (u + 0.5) * p.scaleX;
  const cy = p.y + (v + 0.5) * p.scaleY;
  ctx.beginPath();
  ctx.moveTo(Math.max(0, p.x), cy);
  ctx.lineTo(Math.min(box.width, p.x + info.width * p.scaleX), cy);
  ctx.moveTo(cx, Math.max(0, p.y));
  ctx.lineTo(cx, Math.min(box.height, p.y + info.height * p.scaleY));
  ctx.stroke();
  // The title names the slice drawn; until the first arrives, nothing.
  const index = view.shown?.index;
  view.title.textContent =
    index === undefined
      ? ''
      : `${TITLES[info.plane]} ${index + 1}/${info.slices} (${info.sliceLetters[0]}→${info.sliceLetters[1]})` +
        (view.zoom > 1 ? ` · ${view.zoom}×` : '');
  view.slider.value = String(cursor[info.normalAxis]);
}

function redrawAll(): void {
  for (const p of planes) {
    compose(p);
    draw(p);
  }
  renderSliceNumbers();
  renderReadout();
}

// ---------------------------------------------------------------------------------------------------------------
// Side list: files, geometry, whole-volume metrics, the current axial slice's Dice

let sliceCells: HTMLElement[] = [];
let readout: HTMLElement | undefined;

/**
 * The crosshair's voxel and what each layer holds there: the host's exact values once they arrive (the image's
 * slices here are 16-bit levels); until then the labels from the axial slice shown, when it is the cursor's.
 */
function renderReadout(): void {
  if (!header || !readout) return;
  const axial = planes.find((p) => p.info.plane === 'axial') ?? planes[0];
  const info = axial.info;
  const u = info.uFlip ? info.width - 1 - cursor[info.uAxis] : cursor[info.uAxis];
  const v = info.vFlip ? info.height - 1 - cursor[info.vAxis] : cursor[info.vAxis];
  const at = v * info.width + u;
  const ex =
    exact && exact.generation === cache.generation && exact.voxel.every((x, i) => x === cursor[i])
      ? exact
      : undefined;
  const s = axial.shown?.index === cursor[info.normalAxis] ? axial.shown : undefined;
  const name = (c: number | undefined) =>
    c === undefined
      ? '—'
      : c === 0
        ? 'background'
        : (header?.classes.find((x) => x.cls === c)?.name ?? `class ${c}`);
  const lines = [`voxel (i ${cursor[0]}, j ${cursor[1]}, k ${cursor[2]})`];
  if (header.image)
    lines.push(
      `image ${!ex || ex.image === undefined ? '…' : ex.image === null ? 'NaN' : Number(ex.image.toPrecision(5))}`,
    );
  if (header.hasGt) lines.push(`ground truth: ${name(ex ? ex.gt : s?.gt?.[at])}`);
  if (header.hasPred) lines.push(`prediction: ${name(ex ? ex.pred : s?.pred?.[at])}`);
  lines.push('click: move the crosshair · wheel / ↑↓: slice · Ctrl+wheel / + −: zoom');
  readout.replaceChildren(...lines.map((l) => el('div', undefined, l)));
}

function buildSide(h: VolumeHeader): void {
  sliceCells = buildSideList(side, h, {
    colour: (c) => colours[c],
    cursor: () => cursor,
    jumpTo: requestCursor,
  });
}

function renderSliceNumbers(): void {
  if (!header) return;
  const s = planes.find((p) => p.info.plane === 'axial')?.shown;
  if (!s?.gt || !s.pred) return;
  const dice = sliceDice(s.gt, s.pred, header.numClasses);
  header.rows.forEach((r, i) => {
    if (sliceCells[i]) sliceCells[i].textContent = formatMetric(dice[r.cls - 1]);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

function showVolume(h: VolumeHeader): void {
  const first = !header;
  header = h;
  cursor = [...h.cursor];
  colours = [];
  for (let c = 0; c < h.numClasses; c++) {
    const given = h.classes.find((x) => x.cls === c)?.color;
    colours.push(given ?? [...defaultClassColour(Math.max(1, c))]);
  }
  if (first && h.image) setWindow(h.image.low, h.image.high);
  else setWindow(low, high);
  // A new generation: nothing cached before it is drawn again. The cursor's slices come unasked.
  cache.reset(h.generation);
  exact = undefined;
  status.replaceChildren();
  buildToolbar(h);
  buildPlanes(h);
  buildSide(h);
  cache.markRequested(h.planes.map((p) => ({ plane: p.plane, index: cursor[p.normalAxis] })));
  fetchAround();
}

function showMismatch(m: Extract<ToVolumeWebview, { type: 'mismatch' }>): void {
  status.replaceChildren();
  main.replaceChildren(mismatchView(m));
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const msg = accepted(TO_VOLUME_WEBVIEW, e.data);
  if (!msg) return;
  switch (msg.type) {
    case 'volume':
      showVolume(msg.header);
      return;
    case 'slices': {
      if (!header || msg.generation !== cache.generation) return;
      const labelType = header.labelType;
      let atCursor = false;
      for (const s of msg.slices) {
        const view = planes.find((p) => p.info.plane === s.plane);
        if (!view) continue;
        const slice = sliceFromWire(s, view.info.width * view.info.height, labelType);
        if (typeof slice === 'string') {
          console.warn(`SegLens volume: ${slice}`);
          continue;
        }
        cache.put(msg.generation, slice);
        if (slice.index === cursor[view.info.normalAxis]) atCursor = true;
      }
      if (atCursor) refresh();
      // Arrivals free room for more of the neighbours.
      fetchAround();
      return;
    }
    case 'voxel':
      if (msg.generation !== cache.generation) return;
      exact = msg;
      renderReadout();
      return;
    case 'mismatch':
      showMismatch(msg);
      requestAnimationFrame(() => send({ type: 'drawn', cursor: [0, 0, 0], planes: [] }));
      return;
    case 'busy':
      status.textContent = msg.label;
      return;
    case 'problem': {
      status.replaceChildren();
      const p = el('div', 'vol-problem', msg.message);
      p.setAttribute('role', 'alert');
      status.append(p);
      requestAnimationFrame(() => send({ type: 'drawn', cursor: [0, 0, 0], planes: [] }));
      return;
    }
  }
});

send({ type: 'ready', version: VOLUME_PROTOCOL_VERSION });
