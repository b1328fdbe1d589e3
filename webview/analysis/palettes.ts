/**
 * Colours of the error map that never pass for a class. The class colours come from the labels file, the mask's
 * palette or the default palette, so no fixed error palette can be safe for every dataset (the old fixed one drew
 * FP in the orange of the demo's putamen and TP in its thalamus yellow). Instead each error code has a short list of
 * candidates, and the first candidate far enough from every class colour in use — and from the error colours
 * already chosen — is taken (the farthest one when none is far enough).
 *
 * Two schemes: 'standard' (magenta / cyan family, saturated) and 'colourblind' (Okabe–Ito hues that differ in
 * lightness too, so deuteranopes and protanopes still tell FP from FN). TP is a faint neutral in both: correct
 * pixels are context, the mistakes are the message, and a neutral is never a class hue.
 */
import type { Rgba } from '../../src/core/viewmodel/errorMap';
import type { Rgb } from '../colors';

export type PaletteScheme = 'standard' | 'colourblind';
export const PALETTE_SCHEMES: readonly PaletteScheme[] = ['standard', 'colourblind'];
export const PALETTE_NAMES: Record<PaletteScheme, string> = {
  standard: 'Standard colours',
  colourblind: 'Colour-blind safe',
};

/** Candidates per error code (index = code: none, TP, FP, FN, wrong class), best first. */
const CANDIDATES: Record<PaletteScheme, Rgb[][]> = {
  standard: [
    [],
    [[255, 255, 255]],
    [
      [255, 0, 255],
      [255, 0, 0],
      [255, 64, 160],
      [180, 0, 255],
    ],
    [
      [0, 255, 255],
      [0, 90, 255],
      [0, 255, 110],
      [120, 200, 255],
    ],
    [
      [255, 255, 0],
      [255, 140, 0],
      [140, 255, 0],
      [150, 75, 0],
    ],
  ],
  // Okabe–Ito first; black and yellow as the fall-backs a colour-blind eye still separates by lightness.
  colourblind: [
    [],
    [[255, 255, 255]],
    [
      [213, 94, 0],
      [230, 159, 0],
      [204, 121, 167],
      [240, 228, 66],
      [0, 0, 0],
    ],
    [
      [0, 114, 178],
      [86, 180, 233],
      [0, 158, 115],
      [0, 0, 0],
    ],
    [
      [240, 228, 66],
      [204, 121, 167],
      [0, 0, 0],
      [86, 180, 233],
    ],
  ],
};

/** Candidates for the difference map (index = code of core/viewmodel/errorMap: none, only A, only B, both). */
const DIFF_CANDIDATES: Record<PaletteScheme, Rgb[][]> = {
  standard: [
    [],
    [
      [255, 0, 255],
      [255, 0, 0],
      [255, 140, 0],
    ],
    [
      [0, 255, 255],
      [0, 90, 255],
      [0, 255, 110],
    ],
    [
      [255, 255, 0],
      [255, 255, 255],
      [150, 75, 0],
    ],
  ],
  colourblind: [
    [],
    [
      [230, 159, 0],
      [213, 94, 0],
      [240, 228, 66],
      [255, 255, 255],
    ],
    [
      [86, 180, 233],
      [0, 114, 178],
      [0, 158, 115],
      [0, 0, 0],
    ],
    [
      [204, 121, 167],
      [240, 228, 66],
      [0, 0, 0],
    ],
  ],
};

/** Alpha per code: TP faint, the mistakes opaque. */
const ALPHA = [0, 90, 255, 255, 255];

/** A colour distance that follows the eye better than plain RGB ("redmean" weighting). */
export function colourDistance(a: Rgb, b: Rgb): number {
  const rm = (a[0] + b[0]) / 2;
  const dr = a[0] - b[0];
  const dg = a[1] - b[1];
  const db = a[2] - b[2];
  return Math.sqrt((2 + rm / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rm) / 256) * db * db);
}

/** Far enough apart to never be mistaken for each other on a grey image (about a third of the black–white span). */
export const MIN_DISTANCE = 250;

/** The error colours (index = error code) for the class colours in use. */
export function errorPalette(scheme: PaletteScheme, classColours: readonly Rgb[]): Rgba[] {
  return pick(CANDIDATES[scheme], classColours, ALPHA);
}

/** The difference map's colours (index = difference code) for the class colours in use; all opaque. */
export function differencePalette(scheme: PaletteScheme, classColours: readonly Rgb[]): Rgba[] {
  return pick(DIFF_CANDIDATES[scheme], classColours, [0, 255, 255, 255]);
}

/** Per code the first candidate far enough from the class colours and the codes before it (else the farthest). */
function pick(candidates: Rgb[][], classColours: readonly Rgb[], alpha: number[]): Rgba[] {
  const out: Rgba[] = [[0, 0, 0, 0]];
  const taken: Rgb[] = [...classColours];
  for (let code = 1; code < candidates.length; code++) {
    const nearest = (c: Rgb) => Math.min(Infinity, ...taken.map((t) => colourDistance(c, t)));
    let best = candidates[code][0];
    let bestDistance = -1;
    for (const c of candidates[code]) {
      const d = nearest(c);
      if (d >= MIN_DISTANCE) {
        best = c;
        break;
      }
      if (d > bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    taken.push(best);
    out.push([best[0], best[1], best[2], alpha[code]]);
  }
  return out;
}
