/**
 * The analysis layer on the stage: one canvas at image resolution, stacked above the stage's own layers inside its
 * `.canvas-wrap` (so it takes exactly the image's box — it carries only the stage's `layer` class, never a panel
 * class whose padding or border would shift it). It paints the error map of decoder A against the ground truth,
 * A's prediction in the class colours, or where A and B differ; a slider move repaints only the pixels that changed.
 */
import type { AnalysisShow } from '../../src/core/viewmodel/analysisTypes';
import { diffCode, errorCode, paintCodes, type Rgba } from '../../src/core/viewmodel/errorMap';
import type { Rgb } from '../colors';
import { el } from '../dom';

/** What the overlay paints; the label arrays are read lazily per pixel. */
export interface OverlayInput {
  width: number;
  height: number;
  show: AnalysisShow;
  numClasses: number;
  a?: ArrayLike<number>;
  b?: ArrayLike<number>;
  gt?: ArrayLike<number>;
  colour: (k: number) => Rgb;
  /** Colours of the error codes (index = code of core/viewmodel/errorMap). */
  errorColours: readonly Rgba[];
  /** Colours of the difference codes (index = code of core/viewmodel/errorMap). */
  diffColours: readonly Rgba[];
}

const TRANSPARENT: readonly Rgba[] = [[0, 0, 0, 0]];

/** Fills `out` (RGBA of the whole image) for `pixels` (all when omitted). Pure: unit-tested without a canvas. */
export function paintOverlay(out: Uint8ClampedArray, input: OverlayInput, pixels?: Uint32Array): void {
  const { a, b, gt, numClasses } = input;
  // Without a ground truth there is no error map: A's prediction is painted instead (the legend says so).
  const show = input.show === 'errors' && !gt ? 'prediction' : input.show;
  if (show === 'errors' && a && gt) {
    paintCodes(out, input.errorColours, (i) => errorCode(a[i], gt[i], numClasses), pixels);
  } else if (show === 'prediction' && a) {
    const colours = new Map<number, Rgba>();
    paintCodes(out, TRANSPARENT, () => 0, pixels);
    const n = pixels ? pixels.length : a.length;
    for (let j = 0; j < n; j++) {
      const i = pixels ? pixels[j] : j;
      const k = a[i];
      if (k === 0) continue;
      let c = colours.get(k);
      if (!c) {
        const rgb = input.colour(k);
        c = [rgb[0], rgb[1], rgb[2], 255];
        colours.set(k, c);
      }
      out.set(c, i * 4);
    }
  } else if (show === 'difference' && a && b) {
    paintCodes(out, input.diffColours, (i) => diffCode(a[i], b[i]), pixels);
  } else {
    paintCodes(out, TRANSPARENT, () => 0, pixels);
  }
}

export class StageOverlay {
  /** Only the stage's layer classes: `.canvas-wrap .layer` fills the image's box exactly. */
  readonly canvas = el('canvas', 'layer decisions');
  private image?: ImageData;
  private input?: OverlayInput;

  constructor(
    private readonly findStage: () => Element | null = () => document.querySelector('.canvas-wrap'),
  ) {
    this.canvas.hidden = true;
  }

  /** Puts the canvas into the stage (above its layers) once. */
  private attach(): void {
    if (this.canvas.isConnected) return;
    this.findStage()?.append(this.canvas);
  }

  /** Paints the whole overlay. */
  draw(input: OverlayInput, opacity: number): void {
    this.attach();
    this.input = input;
    const { width, height } = input;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const g = this.canvas.getContext('2d');
    if (!g) return;
    if (!this.image || this.image.width !== width || this.image.height !== height)
      this.image = g.createImageData(width, height);
    paintOverlay(this.image.data, input);
    g.putImageData(this.image, 0, 0);
    this.canvas.hidden = input.show === 'none';
    this.canvas.dataset.show = input.show;
    this.canvas.style.opacity = String(opacity);
  }

  /** Repaints only `pixels` (the slider moved the cut-off across them); the label arrays changed in place. */
  repaint(pixels: Uint32Array): void {
    if (!this.image || !this.input || this.input.show === 'none') return;
    paintOverlay(this.image.data, this.input, pixels);
    this.canvas.getContext('2d')?.putImageData(this.image, 0, 0);
  }

  /** Sets how opaque the overlay is (the toolbar's opacity slider). */
  setOpacity(opacity: number): void {
    this.canvas.style.opacity = String(opacity);
  }

  clear(): void {
    this.input = undefined;
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.canvas.hidden = true;
    delete this.canvas.dataset.show;
  }
}
