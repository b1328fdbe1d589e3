/**
 * Draws what the analysis shows on and beside the picture — the overlay on the stage, its legend, and the three
 * side-by-side views — from the session and the panel's choices, in colours that never pass for a class colour
 * (palettes.ts).
 */
import type { AnalysisDecoder, AnalysisViewState } from '../../src/protocol';
import { errorCode } from '../../src/core/viewmodel/errorMap';
import { classColour, defaultClassColour, isColourful, type Rgb } from '../colors';
import { ViewModel, colourOverrides, layerOf } from '../viewModel';
import type { CompareViews } from './compare';
import { noGroundTruth } from '../../src/core/viewmodel/noGroundTruth';
import { renderLegend } from './legend';
import { DECODER_NAMES } from './names';
import type { StageOverlay } from './overlay';
import { differencePalette, errorPalette, type PaletteScheme } from './palettes';
import type { AnalysisSession } from './session';

export interface PainterContext {
  session: AnalysisSession;
  state: AnalysisViewState;
  model: ViewModel;
  scheme: PaletteScheme;
  className: (k: number) => string;
}

/** A class's colour in the panel: the labels file's, else the default palette's. */
export function panelColour(model: ViewModel, k: number): Rgb {
  return colourOverrides(model).get(k) ?? defaultClassColour(k);
}

/** The colours of the classes drawn in this sample: the decoders' classes and the ground truth's as the stage draws them. */
export function classColoursInUse(model: ViewModel, classOfChannel: readonly number[]): Rgb[] {
  const used: Rgb[] = [];
  for (const k of classOfChannel) if (k !== 0) used.push(panelColour(model, k));
  const gt = layerOf(model, 'gt');
  if (gt?.classes) {
    const useFile = isColourful(gt.palette, gt.classes);
    const overrides = colourOverrides(model);
    for (const k of gt.classes) if (k !== 0) used.push(classColour(k, gt.palette, useFile, overrides));
  }
  return used;
}

export class StagePainter {
  constructor(
    private readonly overlay: StageOverlay,
    private readonly legend: HTMLElement,
    private readonly compare: CompareViews,
  ) {}

  private palettes(c: PainterContext) {
    const used = classColoursInUse(c.model, c.session.base?.layout.classOfChannel ?? []);
    return { errors: errorPalette(c.scheme, used), diff: differencePalette(c.scheme, used) };
  }

  /** Overlay, legend and side-by-side views. */
  paint(c: PainterContext): void {
    const base = c.session.base;
    if (!base) return;
    const s = c.state;
    const { errors, diff } = this.palettes(c);
    const colour = (k: number) => panelColour(c.model, k);
    this.overlay.draw(
      {
        width: base.width,
        height: base.height,
        show: s.show,
        numClasses: base.layout.numClasses,
        a: c.session.labelsOf(s.decoderA),
        b: c.session.labelsOf(s.decoderB),
        gt: c.session.gt,
        colour,
        errorColours: errors,
        diffColours: diff,
      },
      Math.max(0.35, c.model.view.opacity),
    );
    renderLegend(this.legend, {
      show: s.show,
      hasGt: c.session.gt !== undefined,
      noGt: noGroundTruth(base),
      nameA: DECODER_NAMES[s.decoderA],
      nameB: DECODER_NAMES[s.decoderB],
      classes: base.layout.classOfChannel
        .filter((k) => k !== 0)
        .map((k) => ({ name: c.className(k), colour: colour(k) })),
      errorColours: errors,
      diffColours: diff,
    });
    this.paintCompare(c);
  }

  /** The side-by-side views only (the slider moved: the overlay was repainted in place). */
  paintCompare(c: PainterContext): void {
    const base = c.session.base;
    if (!base) return;
    const s = c.state;
    const stageImage = document.querySelector<HTMLCanvasElement>('canvas.layer.image') ?? undefined;
    const K = base.layout.numClasses;
    const gt = c.session.gt;
    const colours = this.palettes(c).errors;
    // In error-map mode the decoder views show their own error maps, so A's and B's mistakes sit side by side.
    const errors = (labels: ArrayLike<number> | undefined) =>
      s.show === 'errors' && gt && labels
        ? { code: (i: number) => errorCode(labels[i], gt[i], K), colours }
        : undefined;
    const la = c.session.labelsOf(s.decoderA);
    const lb = c.session.labelsOf(s.decoderB);
    // The threshold's caption names the threshold drawn (the worker's mask may be newer than the host's result).
    const shownT = c.session.shownThreshold();
    const caption = (d: AnalysisDecoder) =>
      d === 'threshold' && shownT !== undefined && Number.isFinite(shownT)
        ? `Threshold ${shownT}`
        : (c.session.views.get(d)?.label ?? DECODER_NAMES[d]);
    this.compare.draw(
      stageImage,
      base.width,
      base.height,
      [
        { caption: layerOf(c.model, 'gt') ? 'Ground truth' : 'Ground truth (none)', labels: gt },
        { caption: `A: ${caption(s.decoderA)}`, labels: la, codes: errors(la) },
        { caption: `B: ${caption(s.decoderB)}`, labels: lb, codes: errors(lb) },
      ],
      (k) => panelColour(c.model, k),
      0.75,
    );
  }
}
