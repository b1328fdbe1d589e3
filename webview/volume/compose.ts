/**
 * The pure pixel work of the volume panel: one slice's RGBA from the image (window/level to grey) and an overlay
 * (the TP/FP/FN error map of src/core/viewmodel/errorMap.ts, the ground truth's or prediction's class colours, or
 * the probability heatmap in a colour map, transparent where p = 0),
 * per-slice overlap counts, and where a slice sits in its canvas at the physical aspect ratio. No DOM, so it is
 * unit-tested in plain node.
 */
import { ERROR_COLOURS, errorCode } from '../../src/core/viewmodel/errorMap';

export type OverlayMode = 'errors' | 'gt' | 'pred' | 'prob' | 'none';

export interface ComposeInput {
  width: number;
  height: number;
  /** Image levels (src/protocol/volumePixels.ts), or none: a black background. */
  image?: Uint16Array;
  /** The grey of each image level under the current window (volumePixels.ts greyLevels). */
  grey?: Float32Array;
  gt?: Uint8Array | Uint16Array;
  pred?: Uint8Array | Uint16Array;
  /** Heatmap levels round(255·p) and the colour map (256 RGB triples) they are drawn with, at alpha p × opacity. */
  heat?: Uint8Array;
  heatLut?: Uint8Array;
  mode: OverlayMode;
  /** Overlay opacity in [0, 1]. */
  opacity: number;
  /** Classes of the task, background included (labels ≥ this are "ignore": never coloured). */
  numClasses: number;
  /** RGB of class c at index c (index 0 unused). */
  classColours: readonly (readonly [number, number, number])[];
}

/**
 * Writes the slice's RGBA into `out` (width × height × 4), reused between frames. Grey comes from a lookup table
 * and each overlay colour is looked up by a small integer (error code, class, heat level) in a table built once
 * per call, so the per-pixel loop allocates nothing: a 256² slice in about a millisecond.
 */
export function composeSlice(x: ComposeInput, out: Uint8ClampedArray): Uint8ClampedArray {
  const n = x.width * x.height;
  if (out.length !== n * 4)
    throw new RangeError(`RGBA buffer holds ${out.length} bytes, the slice needs ${n * 4}`);
  const { image, grey } = x;
  // colour[4c … 4c+3] = RGB and the blend weight a of code c (0 = nothing drawn).
  let codes: ArrayLike<number> | undefined;
  let codeOf: ((p: number) => number) | undefined;
  let table: Float32Array;
  const K = x.numClasses;
  if (x.mode === 'prob' && x.heat && x.heatLut) {
    const lut = x.heatLut;
    table = new Float32Array(256 * 4);
    for (let l = 1; l < 256; l++)
      table.set([lut[l * 3], lut[l * 3 + 1], lut[l * 3 + 2], (l / 255) * x.opacity], l * 4);
    codes = x.heat;
  } else if (x.mode === 'errors' && x.gt && x.pred) {
    table = new Float32Array(ERROR_COLOURS.length * 4);
    ERROR_COLOURS.forEach((c, i) => {
      if (i > 0) table.set([c[0], c[1], c[2], (c[3] / 255) * x.opacity], i * 4);
    });
    const gt = x.gt;
    const pred = x.pred;
    codeOf = (p) => errorCode(pred[p], gt[p], K);
  } else {
    const labels = x.mode === 'gt' ? x.gt : x.mode === 'pred' ? x.pred : undefined;
    table = new Float32Array(Math.max(1, K) * 4);
    for (let c = 1; c < K; c++) {
      const rgb = x.classColours[c] ?? [255, 255, 255];
      table.set([rgb[0], rgb[1], rgb[2], x.opacity], c * 4);
    }
    if (labels) codeOf = (p) => (labels[p] < K ? labels[p] : 0);
  }
  for (let p = 0, o = 0; p < n; p++, o += 4) {
    const g = image && grey ? grey[image[p]] : 0;
    const c = codes ? codes[p] : codeOf ? codeOf(p) : 0;
    if (c === 0) {
      out[o] = g;
      out[o + 1] = g;
      out[o + 2] = g;
    } else {
      const t = c * 4;
      const a = table[t + 3];
      out[o] = g * (1 - a) + table[t] * a;
      out[o + 1] = g * (1 - a) + table[t + 1] * a;
      out[o + 2] = g * (1 - a) + table[t + 2] * a;
    }
    out[o + 3] = 255;
  }
  return out;
}

/** Per class c (1 … K−1): Dice of the slice, NaN when the class is in neither GT nor prediction of the slice. */
export function sliceDice(
  gt: Uint8Array | Uint16Array,
  pred: Uint8Array | Uint16Array,
  numClasses: number,
): number[] {
  const tp = new Float64Array(numClasses);
  const g = new Float64Array(numClasses);
  const q = new Float64Array(numClasses);
  for (let p = 0; p < gt.length; p++) {
    const a = gt[p];
    if (a >= numClasses) continue; // the ignore label
    const b = pred[p];
    g[a]++;
    if (b < numClasses) q[b]++;
    if (a === b) tp[a]++;
  }
  const out: number[] = [];
  for (let c = 1; c < numClasses; c++) out.push(g[c] + q[c] > 0 ? (2 * tp[c]) / (g[c] + q[c]) : NaN);
  return out;
}

/** Where a slice is drawn in a canvas: CSS pixels per voxel along u and v, and the top-left offset. */
export interface Placement {
  scaleX: number;
  scaleY: number;
  x: number;
  y: number;
}

/**
 * Fits a slice of width × height voxels of pixelWidth × pixelHeight mm into a box, keeping the physical aspect
 * (an anisotropic voxel is drawn as long as it is), magnified by `zoom` around voxel (cu, cv) — the crosshair —
 * which stays in view. At zoom 1 the slice is centred.
 */
export function placeSlice(
  box: { width: number; height: number },
  slice: { width: number; height: number; pixelWidth: number; pixelHeight: number },
  zoom: number,
  centre: { u: number; v: number },
): Placement {
  const mmW = slice.width * slice.pixelWidth;
  const mmH = slice.height * slice.pixelHeight;
  const fit = Math.min(box.width / mmW, box.height / mmH);
  const scaleX = fit * zoom * slice.pixelWidth;
  const scaleY = fit * zoom * slice.pixelHeight;
  const w = slice.width * scaleX;
  const h = slice.height * scaleY;
  const place = (size: number, boxSize: number, at: number): number => {
    if (size <= boxSize) return (boxSize - size) / 2;
    // Centre on the crosshair, without showing beyond the slice's edges.
    return Math.min(0, Math.max(boxSize - size, boxSize / 2 - at));
  };
  return {
    scaleX,
    scaleY,
    x: place(w, box.width, (centre.u + 0.5) * scaleX),
    y: place(h, box.height, (centre.v + 0.5) * scaleY),
  };
}
