/**
 * Side-by-side views — ground truth | decoder A | decoder B — that share one zoom and pan: wheel or +/− zooms, drag
 * or the arrow keys pan, 0 fits, in any of the three and all follow. Each view is one canvas at image resolution
 * (the image with that view's labels over it) moved by a CSS transform, so zooming and panning never redraw.
 */
import type { Rgb } from '../colors';
import { el } from '../dom';

export interface CompareLayer {
  caption: string;
  labels?: ArrayLike<number>;
  /** Colours by code instead of by class (an error map): `code(i)` indexes `colours`. */
  codes?: { code: (i: number) => number; colours: readonly (readonly [number, number, number, number])[] };
}

interface Transform {
  scale: number;
  x: number;
  y: number;
}

export class CompareViews {
  readonly element = el('div', 'compare-row');
  private readonly boxes: { box: HTMLElement; canvas: HTMLCanvasElement; caption: HTMLElement }[] = [];
  private t: Transform = { scale: 1, x: 0, y: 0 };
  private size = { width: 1, height: 1 };
  private drag?: { x: number; y: number; t: Transform };

  /** `onHover` gets the image pixel under the pointer in any view (undefined when it leaves). */
  constructor(onHover: (pixel: { x: number; y: number } | undefined) => void = () => undefined) {
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
        this.drag = { x: e.clientX, y: e.clientY, t: { ...this.t } };
        box.setPointerCapture(e.pointerId);
      });
      box.addEventListener('pointerleave', () => onHover(undefined));
      box.addEventListener('pointermove', (e) => {
        const r = box.getBoundingClientRect();
        const x = Math.floor((e.clientX - r.left - this.t.x) / this.t.scale);
        const y = Math.floor((e.clientY - r.top - this.t.y) / this.t.scale);
        const inside = x >= 0 && y >= 0 && x < this.size.width && y < this.size.height;
        onHover(inside ? { x, y } : undefined);
        if (!this.drag) return;
        this.t = {
          ...this.drag.t,
          x: this.drag.t.x + e.clientX - this.drag.x,
          y: this.drag.t.y + e.clientY - this.drag.y,
        };
        this.apply();
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

  private pan(dx: number, dy: number): void {
    this.t = { ...this.t, x: this.t.x + dx, y: this.t.y + dy };
    this.apply();
  }

  private zoomAt(f: number, cx: number, cy: number): void {
    const scale = Math.min(64, Math.max(0.05, this.t.scale * f));
    const k = scale / this.t.scale;
    this.t = { scale, x: cx - (cx - this.t.x) * k, y: cy - (cy - this.t.y) * k };
    this.apply();
  }

  private apply(): void {
    for (const b of this.boxes)
      b.canvas.style.transform = `translate(${this.t.x}px, ${this.t.y}px) scale(${this.t.scale})`;
  }

  /** Empties the views (a new sample is loading). */
  clear(): void {
    for (const b of this.boxes) {
      b.canvas.getContext('2d')?.clearRect(0, 0, b.canvas.width, b.canvas.height);
      b.caption.textContent = '';
    }
  }

  /** Fits the whole image into the views. */
  fit(): void {
    const box = this.boxes[0].box;
    const bw = box.clientWidth || 260;
    const bh = box.clientHeight || 260;
    const scale = Math.min(bw / this.size.width, bh / this.size.height);
    this.t = { scale, x: (bw - this.size.width * scale) / 2, y: (bh - this.size.height * scale) / 2 };
    this.apply();
  }

  /** Zooms every view to the inclusive pixel box [x0, x1] × [y0, y1] with a margin (object table clicks). */
  zoomTo(x0: number, y0: number, x1: number, y1: number): void {
    const box = this.boxes[0].box;
    const bw = box.clientWidth || 260;
    const bh = box.clientHeight || 260;
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const scale = Math.min(32, Math.min(bw / (w * 1.6), bh / (h * 1.6)));
    const cx = (x0 + x1 + 1) / 2;
    const cy = (y0 + y1 + 1) / 2;
    this.t = { scale, x: bw / 2 - cx * scale, y: bh / 2 - cy * scale };
    this.apply();
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
    if (resized) this.fit();
    else this.apply();
  }
}
