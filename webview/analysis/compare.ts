/**
 * Side-by-side views — ground truth | decoder A | decoder B — that share one zoom and pan with each other and with
 * the main stage: wheel or +/− zooms, drag or the arrow keys pan, 0 fits, in any of the three and all follow, and
 * the stage follows too (the shared window of core/viewmodel/viewWindow; `onView` reports the user's changes,
 * `setWindow` follows the stage's). Each view is one canvas at image resolution (the image with that view's labels
 * over it) moved by a CSS transform, so zooming and panning never redraw.
 */
import {
  ViewWindow,
  fitWindow,
  panBy,
  transformOf,
  windowAround,
  zoomAround,
} from '../../src/core/viewmodel/viewWindow';
import type { Rgb } from '../colors';
import { el } from '../dom';

export interface CompareLayer {
  caption: string;
  labels?: ArrayLike<number>;
  /** Colours by code instead of by class (an error map): `code(i)` indexes `colours`. */
  codes?: { code: (i: number) => number; colours: readonly (readonly [number, number, number, number])[] };
}

export class CompareViews {
  readonly element = el('div', 'compare-row');
  private readonly boxes: { box: HTMLElement; canvas: HTMLCanvasElement; caption: HTMLElement }[] = [];
  private win: ViewWindow = { cx: 0.5, cy: 0.5, zoom: 1 };
  private size = { width: 1, height: 1 };
  private drag?: { x: number; y: number; win: ViewWindow };

  /**
   * `onHover` gets the image pixel under the pointer in any view (undefined when it leaves); `onView` the window
   * after the user zoomed or panned these views (the stage follows it).
   */
  constructor(
    onHover: (pixel: { x: number; y: number } | undefined) => void = () => undefined,
    private readonly onView: (win: ViewWindow) => void = () => undefined,
    /** The stage's window, taken when a new image size arrives (else the views start fitted). */
    private readonly initial: () => ViewWindow | undefined = () => undefined,
  ) {
    for (let i = 0; i < 3; i++) {
      const box = el('div', 'compare');
      box.tabIndex = 0;
      box.setAttribute('role', 'img');
      const canvas = el('canvas');
      const caption = el('span', 'caption');
      box.append(canvas, caption);
      this.element.append(box);
      this.boxes.push({ box, canvas, caption });
      box.addEventListener('wheel', (e) => {
        e.preventDefault();
        const r = box.getBoundingClientRect();
        this.zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - r.left, e.clientY - r.top);
      });
      box.addEventListener('pointerdown', (e) => {
        this.drag = { x: e.clientX, y: e.clientY, win: this.win };
        box.setPointerCapture(e.pointerId);
      });
      box.addEventListener('pointerleave', () => onHover(undefined));
      box.addEventListener('pointermove', (e) => {
        const r = box.getBoundingClientRect();
        const t = transformOf(this.win, this.size, this.box());
        const x = Math.floor((e.clientX - r.left - t.x) / t.scale);
        const y = Math.floor((e.clientY - r.top - t.y) / t.scale);
        const inside = x >= 0 && y >= 0 && x < this.size.width && y < this.size.height;
        onHover(inside ? { x, y } : undefined);
        if (!this.drag) return;
        this.change(
          panBy(this.drag.win, e.clientX - this.drag.x, e.clientY - this.drag.y, this.size, this.box()),
        );
      });
      const end = () => (this.drag = undefined);
      box.addEventListener('pointerup', end);
      box.addEventListener('pointercancel', end);
      box.addEventListener('keydown', (e) => {
        const w = box.clientWidth / 2;
        const h = box.clientHeight / 2;
        if (e.key === '+' || e.key === '=') this.zoomAt(1.25, w, h);
        else if (e.key === '-') this.zoomAt(0.8, w, h);
        else if (e.key === '0') this.fit();
        else if (e.key === 'ArrowLeft') this.pan(20, 0);
        else if (e.key === 'ArrowRight') this.pan(-20, 0);
        else if (e.key === 'ArrowUp') this.pan(0, 20);
        else if (e.key === 'ArrowDown') this.pan(0, -20);
        else return;
        e.preventDefault();
      });
    }
  }

  /** The size of a view (all three are alike). */
  private box(): { width: number; height: number } {
    const box = this.boxes[0].box;
    return { width: box.clientWidth || 260, height: box.clientHeight || 260 };
  }

  private pan(dx: number, dy: number): void {
    this.change(panBy(this.win, dx, dy, this.size, this.box()));
  }

  private zoomAt(f: number, cx: number, cy: number): void {
    this.change(zoomAround(this.win, f, cx, cy, this.size, this.box()));
  }

  /** A change made in these views: shown, and reported so the stage follows. */
  private change(win: ViewWindow): void {
    this.win = win;
    this.apply();
    this.onView(win);
  }

  /** Shows the shared window (the stage moved); reports nothing back. */
  setWindow(win: ViewWindow): void {
    this.win = win;
    this.apply();
  }

  /** The window shown now. */
  get window(): ViewWindow {
    return this.win;
  }

  private apply(): void {
    const t = transformOf(this.win, this.size, this.box());
    for (const b of this.boxes) b.canvas.style.transform = `translate(${t.x}px, ${t.y}px) scale(${t.scale})`;
  }

  /** Empties the views (a new sample is loading). */
  clear(): void {
    for (const b of this.boxes) {
      b.canvas.getContext('2d')?.clearRect(0, 0, b.canvas.width, b.canvas.height);
      b.caption.textContent = '';
    }
  }

  /** Fits the whole image into the views (and the stage follows). */
  fit(): void {
    this.change(fitWindow(this.size));
  }

  /**
   * Zooms every view — and the stage — to the inclusive pixel box [x0, x1] × [y0, y1] with a margin (object table
   * clicks).
   */
  zoomTo(x0: number, y0: number, x1: number, y1: number): void {
    this.change(windowAround(x0, y0, x1, y1, this.size, this.box()));
  }

  /**
   * Redraws the three views: the image (`base`, any canvas of the image's size) under each layer's labels in the
   * class colours, at `opacity`.
   */
  draw(
    base: HTMLCanvasElement | undefined,
    width: number,
    height: number,
    layers: CompareLayer[],
    colour: (k: number) => Rgb,
    opacity: number,
  ): void {
    const resized = this.size.width !== width || this.size.height !== height;
    this.size = { width, height };
    const lut = new Map<number, Rgb>();
    layers.forEach((layer, i) => {
      const b = this.boxes[i];
      if (!b) return;
      b.caption.textContent = layer.caption;
      b.box.setAttribute(
        'aria-label',
        `${layer.caption}; + and − zoom, arrows pan, 0 fits (all three views follow)`,
      );
      const c = b.canvas;
      c.width = width;
      c.height = height;
      c.style.width = `${width}px`;
      c.style.height = `${height}px`;
      const g = c.getContext('2d');
      if (!g) return;
      g.clearRect(0, 0, width, height);
      if (base && base.width === width && base.height === height) g.drawImage(base, 0, 0);
      const labels = layer.labels;
      if (!labels) return;
      const img = g.createImageData(width, height);
      const out = img.data;
      const alpha = Math.round(255 * opacity);
      if (layer.codes) {
        const { code, colours } = layer.codes;
        for (let i = 0; i < width * height; i++) {
          const c = colours[code(i)];
          if (c[3] === 0) continue;
          out.set(c, i * 4);
          // Error colours keep their own emphasis (faint TP), scaled by the view's opacity.
          out[i * 4 + 3] = Math.round(c[3] * opacity);
        }
        const codesOverlay = new OffscreenCanvas(width, height);
        codesOverlay.getContext('2d')?.putImageData(img, 0, 0);
        g.drawImage(codesOverlay, 0, 0);
        return;
      }
      for (let i = 0; i < width * height; i++) {
        const k = labels[i];
        if (k <= 0) continue;
        let rgb = lut.get(k);
        if (!rgb) {
          rgb = colour(k);
          lut.set(k, rgb);
        }
        const o = i * 4;
        out[o] = rgb[0];
        out[o + 1] = rgb[1];
        out[o + 2] = rgb[2];
        out[o + 3] = alpha;
      }
      const overlay = new OffscreenCanvas(width, height);
      overlay.getContext('2d')?.putImageData(img, 0, 0);
      g.drawImage(overlay, 0, 0);
    });
    // A new image size starts fitted (the stage fits a new sample too); otherwise the shared window stays.
    if (resized) this.win = this.initial() ?? fitWindow(this.size);
    this.apply();
  }
}
