/**
 * The pure pixel work of the volume panel: one slice's RGBA from the image (window/level to grey) and an overlay
 * (the TP/FP/FN error map of src/core/viewmodel/errorMap.ts, the ground truth's or prediction's class colours, or
 * the probability heatmap in a colour map, transparent where p = 0),
 * per-slice overlap counts, and where a slice sits in its canvas at the physical aspect ratio. No DOM, so it is
 * unit-tested in plain node.
 */
import { ERROR_COLOURS, errorCode, type Rgba } from '../../src/core/viewmodel/errorMap';

export type OverlayMode = 'errors' | 'gt' | 'pred' | 'prob' | 'none';

export interface ComposeInput {
  width: number;
  height: number;
  /** Image values (Float32), or none: a black background. */
  image?: Float32Array;
  gt?: Uint16Array;
  pred?: Uint16Array;
  /** Heatmap levels round(255·p) and the colour map (256 RGB triples) they are drawn with, at alpha p × opacity. */
  heat?: Uint8Array;
  heatLut?: Uint8Array;
  /** Window: values ≤ low are black, ≥ high white. */
  low: number;
  high: number;
  mode: OverlayMode;
  /** Overlay opacity in [0, 1]. */
  opacity: number;
  /** Classes of the task, background included (labels ≥ this are "ignore": never coloured). */
  numClasses: number;
  /** RGB of class c at index c (index 0 unused). */
  classColours: readonly (readonly [number, number, number])[];
}

/** Writes the slice's RGBA into `out` (width × height × 4), reused between frames. */
export function composeSlice(x: ComposeInput, out: Uint8ClampedArray): Uint8ClampedArray {
  const n = x.width * x.height;
  if (out.length !== n * 4)
    throw new RangeError(`RGBA buffer holds ${out.length} bytes, the slice needs ${n * 4}`);
  const span = x.high - x.low;
  const scale = span > 0 ? 255 / span : 0;
  const labels = x.mode === 'gt' ? x.gt : x.mode === 'pred' ? x.pred : undefined;
  const errors = x.mode === 'errors' && x.gt && x.pred;
  for (let p = 0, o = 0; p < n; p++, o += 4) {
    let grey = 0;
    if (x.image) {
      const v = x.image[p];
      // NaN voxels show as black, like the window's low end.
      grey = v !== v ? 0 : span > 0 ? (v - x.low) * scale : v >= x.high ? 255 : 0;
      grey = grey < 0 ? 0 : grey > 255 ? 255 : grey;
    }
    let r = grey;
    let g = grey;
    let b = grey;
    let colour: Rgba | undefined;
    if (x.mode === 'prob' && x.heat && x.heatLut) {
      const level = x.heat[p];
      if (level > 0) {
        const l = level * 3;
        colour = [x.heatLut[l], x.heatLut[l + 1], x.heatLut[l + 2], level];
      }
    } else if (errors) {
      const code = errorCode((x.pred as Uint16Array)[p], (x.gt as Uint16Array)[p], x.numClasses);
      if (code) colour = ERROR_COLOURS[code];
    } else if (labels) {
      const c = labels[p];
      if (c > 0 && c < x.numClasses) {
        const rgb = x.classColours[c] ?? [255, 255, 255];
        colour = [rgb[0], rgb[1], rgb[2], 255];
      }
    }
    if (colour) {
      const a = (colour[3] / 255) * x.opacity;
      r = r * (1 - a) + colour[0] * a;
      g = g * (1 - a) + colour[1] * a;
      b = b * (1 - a) + colour[2] * a;
    }
    out[o] = r;
    out[o + 1] = g;
    out[o + 2] = b;
    out[o + 3] = 255;
  }
  return out;
}

/** Per class c (1 … K−1): Dice of the slice, NaN when the class is in neither GT nor prediction of the slice. */
export function sliceDice(gt: Uint16Array, pred: Uint16Array, numClasses: number): number[] {
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
