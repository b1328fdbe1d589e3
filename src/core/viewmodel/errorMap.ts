/**
 * Error and difference maps: one small code per pixel, and the colours the panel paints them with.
 *
 * Error codes compare a prediction with the ground truth, per pixel and over all foreground classes at once:
 * TP (the same foreground class), FP (predicted foreground on background), FN (missed foreground) and "wrong
 * class" (both foreground, different classes). A wrong-class pixel is an FP of the predicted class and an FN of the
 * true one, so per class: tp_c = TP pixels of c, fp_c = FP + wrong-class pixels predicted c, fn_c = FN +
 * wrong-class pixels of true class c — the metric core's counts (the unit tests check it).
 *
 * The colours are Okabe–Ito's colour-blind-safe set: yellow / vermillion / blue / reddish purple differ in
 * lightness as well as hue, so deuteranopes and protanopes still tell FP from FN.
 */
import type { LabelData } from '../types';

export const ERROR_NONE = 0;
export const ERROR_TP = 1;
export const ERROR_FP = 2;
export const ERROR_FN = 3;
export const ERROR_WRONG_CLASS = 4;

/** The error code of one pixel; ground-truth values ≥ numClasses (ignore) are never an error. */
export function errorCode(pred: number, gt: number, numClasses: number): number {
  if (gt >= numClasses) return ERROR_NONE;
  if (pred === 0) return gt === 0 ? ERROR_NONE : ERROR_FN;
  if (gt === 0) return ERROR_FP;
  return pred === gt ? ERROR_TP : ERROR_WRONG_CLASS;
}

export const DIFF_NONE = 0;
export const DIFF_ONLY_A = 1;
export const DIFF_ONLY_B = 2;
export const DIFF_CLASS = 3;

/** Where two decoders disagree: only A selects the pixel, only B does, or both with different classes. */
export function diffCode(a: number, b: number): number {
  if (a === b) return DIFF_NONE;
  if (b === 0) return DIFF_ONLY_A;
  if (a === 0) return DIFF_ONLY_B;
  return DIFF_CLASS;
}

export type Rgba = readonly [number, number, number, number];

/** Index = error code. TP is drawn fainter so that the mistakes stand out. */
export const ERROR_COLOURS: readonly Rgba[] = [
  [0, 0, 0, 0],
  [240, 228, 66, 150],
  [213, 94, 0, 255],
  [0, 114, 178, 255],
  [204, 121, 167, 255],
];
export const ERROR_NAMES = [
  '',
  'TP (correct class)',
  'FP (predicted on background)',
  'FN (missed)',
  'wrong class',
];

export const DIFF_COLOURS: readonly Rgba[] = [
  [0, 0, 0, 0],
  [230, 159, 0, 255],
  [86, 180, 233, 255],
  [204, 121, 167, 255],
];
export const DIFF_NAMES = ['', 'only decoder A', 'only decoder B', 'both, different class'];

/** Writes the RGBA of `codes`' colour for every pixel in `pixels` (all pixels when omitted). */
export function paintCodes(
  out: Uint8ClampedArray,
  colours: readonly Rgba[],
  code: (i: number) => number,
  pixels?: Uint32Array,
): void {
  const n = pixels ? pixels.length : out.length / 4;
  for (let j = 0; j < n; j++) {
    const i = pixels ? pixels[j] : j;
    const c = colours[code(i)];
    const o = i * 4;
    out[o] = c[0];
    out[o + 1] = c[1];
    out[o + 2] = c[2];
    out[o + 3] = c[3];
  }
}

/** Counts of each error code over a whole image (index = code). */
export function errorHistogram(pred: LabelData, gt: LabelData, numClasses: number): number[] {
  const h = [0, 0, 0, 0, 0];
  for (let i = 0; i < pred.length; i++) h[errorCode(pred[i], gt[i], numClasses)]++;
  return h;
}

/**
 * Dice and IoU from counts. A class absent from both prediction and truth scores 1 (the metric core's default
 * `bothEmpty: "best"`); the panel labels that case.
 */
export function overlapFromCounts(tp: number, fp: number, fn: number): { dice: number; iou: number } {
  if (tp + fp + fn === 0) return { dice: 1, iou: 1 };
  return { dice: (2 * tp) / (2 * tp + fp + fn), iou: tp / (tp + fp + fn) };
}
