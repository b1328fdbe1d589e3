/**
 * The picture: three stacked canvases at image resolution (image, probability heatmap, mask overlay — the mask on
 * top so its outline stays readable), scaled by CSS. Opacity and visibility are CSS changes (instant); a
 * fill/contour switch redraws only the overlay. The stage scrolls when the image is larger than the panel, pans
 * by dragging, and reports the pixel under the pointer.
 */
import type { ViewWindow } from '../src/core/viewmodel/viewWindow';
import type { Layer, LayerRole } from '../src/protocol';
import { colourMapLut } from './colors';
import { el } from './dom';
import { displayWindow, imageToRgba, labelsToRgba, percentileWindow, probToRgba } from './render';
import { ViewModel, colourOverrides, drawScale, isVisible, layerOf } from './viewModel';

const heatmapLut = colourMapLut();

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

function clear(canvas: HTMLCanvasElement): void {
  canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
}

export class Stage {
  readonly element = el('main', 'stage');
  readonly loading = el('div', 'loading');
  readonly empty = el('div', 'empty');
  private readonly wrap = el('div', 'canvas-wrap');
  private readonly image = el('canvas', 'layer image');
  private readonly prob = el('canvas', 'layer prob');
  private readonly overlay = el('canvas', 'layer overlay');
  private drag: { x: number; y: number; left: number; top: number } | undefined;

  /** `onHover` receives the image pixel under the pointer, or undefined when the pointer leaves the image. */
  constructor(onHover: (pixel: { x: number; y: number } | undefined) => void) {
    this.element.tabIndex = 0;
    this.element.setAttribute('aria-label', 'Image; + and − zoom, 0 fits, 1 shows pixels 1:1');
    this.wrap.append(this.image, this.prob, this.overlay);
    this.element.append(this.wrap, this.loading, this.empty);

    this.wrap.addEventListener('mousemove', (e) => {
      const rect = this.wrap.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) return;
      onHover({
        x: Math.floor(((e.clientX - rect.left) / rect.width) * this.image.width),
        y: Math.floor(((e.clientY - rect.top) / rect.height) * this.image.height),
      });
    });
    this.wrap.addEventListener('mouseleave', () => onHover(undefined));

    const s = this.element;
    s.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, y: e.clientY, left: s.scrollLeft, top: s.scrollTop };
      s.setPointerCapture(e.pointerId);
    });
    s.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      s.scrollLeft = this.drag.left - (e.clientX - this.drag.x);
      s.scrollTop = this.drag.top - (e.clientY - this.drag.y);
    });
    const endDrag = () => {
      this.drag = undefined;
    };
    s.addEventListener('pointerup', endDrag);
    s.addEventListener('pointercancel', endDrag);
  }

  /** The drawn size of the image in pixels. */
  get size(): { width: number; height: number } {
    return { width: this.image.width, height: this.image.height };
  }

  /** The CSS scale a zoom option gives in the current panel size. */
  scale(zoom: ViewModel['view']['zoom']): number {
    return drawScale(zoom, this.image, {
      width: this.element.clientWidth,
      height: this.element.clientHeight,
    });
  }

  /**
   * What the stage shows as a shared view window (core/viewmodel/viewWindow): the image point at the centre of the
   * visible area, and the scale relative to the fit scale.
   */
  viewWindow(zoom: ViewModel['view']['zoom']): ViewWindow {
    const scale = this.scale(zoom);
    const s = this.element.getBoundingClientRect();
    const w = this.wrap.getBoundingClientRect();
    return {
      cx: (s.left + this.element.clientWidth / 2 - w.left) / scale,
      cy: (s.top + this.element.clientHeight / 2 - w.top) / scale,
      zoom: scale / this.scale('fit'),
    };
  }

  /** The zoom option that shows a window's magnification here ('fit' at 1). */
  zoomFor(win: ViewWindow): ViewModel['view']['zoom'] {
    if (Math.abs(win.zoom - 1) < 1e-6) return 'fit';
    return Math.min(64, Math.max(1 / 64, this.scale('fit') * win.zoom));
  }

  /** Scrolls so that the window's centre is at the centre of the visible area (after layout at its zoom). */
  centreOn(win: ViewWindow, zoom: ViewModel['view']['zoom']): void {
    const scale = this.scale(zoom);
    const s = this.element.getBoundingClientRect();
    const w = this.wrap.getBoundingClientRect();
    this.element.scrollLeft += win.cx * scale - (s.left + this.element.clientWidth / 2 - w.left);
    this.element.scrollTop += win.cy * scale - (s.top + this.element.clientHeight / 2 - w.top);
  }

  layout(zoom: ViewModel['view']['zoom']): void {
    const scale = this.scale(zoom);
    this.wrap.style.width = `${Math.max(1, Math.round(this.image.width * scale))}px`;
    this.wrap.style.height = `${Math.max(1, Math.round(this.image.height * scale))}px`;
    this.wrap.classList.toggle('pixelated', scale >= 2);
    // The drawn scale and the zoom option, for end-to-end tests that wait for a zoom to be laid out.
    this.element.dataset.scale = String(scale);
    this.element.dataset.zoom = String(zoom);
  }

  /** Opacity and visibility of the overlays, from the view options (no redraw). */
  applyView(m: ViewModel): void {
    this.overlay.style.opacity = String(m.view.opacity);
    this.prob.style.opacity = String(m.view.opacity);
    this.overlay.hidden = !isVisible(m, 'gt');
    this.prob.hidden = !layerOf(m, 'prob') || !isVisible(m, 'prob');
  }

  /** Redraws the mask overlay (fill or contour, class colours); returns whether there is one. */
  drawOverlay(m: ViewModel): boolean {
    const gt = layerOf(m, 'gt');
    if (!gt) {
      clear(this.overlay);
      return false;
    }
    paint(this.overlay, gt.raster.width, gt.raster.height, (out) =>
      labelsToRgba(
        gt.raster,
        gt.classes ?? [],
        gt.palette,
        m.view.overlay,
        out,
        new Set(m.view.hiddenClasses ?? []),
        colourOverrides(m),
      ),
    );
    return true;
  }

  /** Redraws the image with the current contrast option; returns whether the sample has an image. */
  drawImage(m: ViewModel): boolean {
    const image = layerOf(m, 'image');
    if (!image && m.preview?.previewOf) {
      this.drawPreview(m, m.preview);
      return true;
    }
    const base = image ?? m.layers[0];
    if (!base) return false;
    if (!image) {
      // A mask or probability map opened on its own is drawn over an empty (transparent) image of its size.
      paint(this.image, base.raster.width, base.raster.height, () => undefined);
      return false;
    }
    const window =
      m.view.contrast === 'robust'
        ? percentileWindow(image.raster)
        : displayWindow(image.raster.dtype, image.range);
    paint(this.image, image.raster.width, image.raster.height, (out) =>
      imageToRgba(image.raster, image.range, out, window),
    );
    return true;
  }

  /**
   * A large image's preview in its place (see ViewModel.preview): the image canvas at the image's own size, the
   * averaged samples stretched over it with the same display window as the image will have (the layer's range).
   */
  private drawPreview(m: ViewModel, preview: Layer): void {
    const { width, height } = preview.previewOf as { width: number; height: number };
    const small = el('canvas');
    const window =
      m.view.contrast === 'robust'
        ? percentileWindow(preview.raster)
        : displayWindow(preview.raster.dtype, preview.range);
    paint(small, preview.raster.width, preview.raster.height, (out) =>
      imageToRgba(preview.raster, preview.range, out, window),
    );
    this.image.width = width;
    this.image.height = height;
    const g = this.image.getContext('2d');
    if (!g) throw new Error(`could not get a 2-D canvas context for ${width}×${height} pixels`);
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'medium';
    g.drawImage(small, 0, 0, width, height);
  }

  /**
   * Draws every layer of the model's sample and returns the roles drawn; `painted` is told as each canvas is done
   * (the open-to-overlay timings).
   */
  draw(m: ViewModel, painted: (canvas: 'image' | 'gt' | 'prob') => void = () => undefined): LayerRole[] {
    const drawn: LayerRole[] = [];
    if (m.layers.length === 0 && !m.preview) return drawn;
    if (this.drawImage(m)) drawn.push('image');
    painted('image');
    if (this.drawOverlay(m)) drawn.push('gt');
    painted('gt');
    const prob = layerOf(m, 'prob');
    if (prob) {
      paint(this.prob, prob.raster.width, prob.raster.height, (out) =>
        probToRgba(prob.raster, heatmapLut, out),
      );
      drawn.push('prob');
    } else {
      clear(this.prob);
    }
    painted('prob');
    this.applyView(m);
    this.layout(m.view.zoom);
    return drawn;
  }

  /** Shows the picture, the progress indicator or the empty state. */
  showStatus(m: ViewModel): void {
    this.loading.hidden = m.status !== 'loading';
    this.wrap.hidden = m.status === 'empty';
    this.empty.hidden = m.status !== 'empty';
  }
}
