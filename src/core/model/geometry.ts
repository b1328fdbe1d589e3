/**
 * Where the image goes inside the model input, and how to get back: the forward placement for each resize mode
 * and the exact inverse that crops the model's output to the image's content and resamples it to the original
 * size. Both directions use the same rectangle, so a pixel of the original image and the probability reported
 * for it always refer to the same place.
 */
import { InputError } from '../errors';
import { Anchor, InputSize, ResizeMode } from './config';

/** The options of the aspect-preserving modes and of the placement; see ResolvedModelConfig. */
export interface PlacementOptions {
  /** Target length of the longest (resize "longest") or shortest (resize "shortest") side. */
  sideLength?: number;
  /** Where the image sits in a padded input. @default "center" for letterbox, "topLeft" for pad */
  anchor?: Anchor;
}

/** An axis-aligned rectangle in whole pixels. */
export interface Rect {
  top: number;
  left: number;
  height: number;
  width: number;
}

export interface ResizeGeometry {
  /** The original image size. */
  srcHeight: number;
  srcWidth: number;
  /** The model input's spatial size. */
  inHeight: number;
  inWidth: number;
  /** Where the (resampled) image lies inside the model input; the rest is padding. */
  content: Rect;
}

/**
 * Plans the placement of an srcHeight×srcWidth image in the model input.
 * - stretch: the image is resampled to fill the whole input (aspect ratio not kept). With a dynamic size the
 *   input is the image size rounded to the nearest multiple, so the distortion stays below half a step.
 * - letterbox: resampled by one factor to fit, centred, padded around. With a dynamic size the factor is 1 and
 *   the image is centred in the next multiple up.
 * - pad: never resampled; placed at the top-left corner and padded bottom/right (to the next multiple when
 *   dynamic, to the fixed size otherwise — which must then be at least the image size).
 * - longest / shortest (dynamic size only): scaled by one factor so that the longest (shortest) side becomes
 *   `sideLength`, then each side rounded to the nearest multiple (at least one multiple) and the image resampled to
 *   exactly that size — PaddleOCR's "limit side, then ×32"; the rounding distorts the aspect by under half a step.
 * `anchor` "topLeft" puts a letterboxed image at the top-left corner (padding bottom/right only), "center" centres
 * a padded one.
 */
export function planGeometry(
  srcHeight: number,
  srcWidth: number,
  size: InputSize,
  resize: ResizeMode,
  source: string,
  placement: PlacementOptions = {},
): ResizeGeometry {
  if (!(srcHeight > 0 && srcWidth > 0))
    throw new InputError(`empty image (${srcHeight}×${srcWidth})`, source);
  let inHeight: number;
  let inWidth: number;
  if (resize === 'longest' || resize === 'shortest') {
    if (size.kind !== 'dynamic' || placement.sideLength === undefined) {
      throw new InputError(
        `"resize": "${resize}" needs "size": "dynamic" and a "sideLength" (the target length of the ${resize} side)`,
        source,
      );
    }
    const side = resize === 'longest' ? Math.max(srcHeight, srcWidth) : Math.min(srcHeight, srcWidth);
    const s = placement.sideLength / side;
    inHeight = nearestMultiple(srcHeight * s, size.multipleOf);
    inWidth = nearestMultiple(srcWidth * s, size.multipleOf);
    return {
      srcHeight,
      srcWidth,
      inHeight,
      inWidth,
      content: { top: 0, left: 0, height: inHeight, width: inWidth },
    };
  }
  const centred = (placement.anchor ?? (resize === 'letterbox' ? 'center' : 'topLeft')) === 'center';
  if (size.kind === 'fixed') {
    inHeight = size.height;
    inWidth = size.width;
  } else {
    const m = size.multipleOf;
    const round = resize === 'stretch' ? nearestMultiple : ceilMultiple;
    inHeight = round(srcHeight, m);
    inWidth = round(srcWidth, m);
  }
  let content: Rect;
  switch (resize) {
    case 'stretch':
      content = { top: 0, left: 0, height: inHeight, width: inWidth };
      break;
    case 'letterbox': {
      const s = size.kind === 'dynamic' ? 1 : Math.min(inHeight / srcHeight, inWidth / srcWidth);
      const height = clamp(Math.round(srcHeight * s), 1, inHeight);
      const width = clamp(Math.round(srcWidth * s), 1, inWidth);
      content = {
        top: centred ? Math.floor((inHeight - height) / 2) : 0,
        left: centred ? Math.floor((inWidth - width) / 2) : 0,
        height,
        width,
      };
      break;
    }
    case 'pad':
      if (srcHeight > inHeight || srcWidth > inWidth) {
        throw new InputError(
          `image is ${srcHeight}×${srcWidth}, larger than the model's fixed input ${inHeight}×${inWidth}; ` +
            `"resize": "pad" never shrinks an image — use "letterbox" or "stretch"`,
          source,
        );
      }
      content = {
        top: centred ? Math.floor((inHeight - srcHeight) / 2) : 0,
        left: centred ? Math.floor((inWidth - srcWidth) / 2) : 0,
        height: srcHeight,
        width: srcWidth,
      };
      break;
  }
  return { srcHeight, srcWidth, inHeight, inWidth, content };
}

/**
 * The content rectangle in the coordinates of a model output of outHeight×outWidth (which may be a downsampled
 * map, e.g. a stride-4 head). Edges are rounded to whole output pixels so the inverse is "crop, then resample".
 */
export function outputContent(g: ResizeGeometry, outHeight: number, outWidth: number): Rect {
  const sy = outHeight / g.inHeight;
  const sx = outWidth / g.inWidth;
  const top = Math.round(g.content.top * sy);
  const left = Math.round(g.content.left * sx);
  const bottom = Math.max(top + 1, Math.round((g.content.top + g.content.height) * sy));
  const right = Math.max(left + 1, Math.round((g.content.left + g.content.width) * sx));
  return {
    top: Math.min(top, outHeight - 1),
    left: Math.min(left, outWidth - 1),
    height: Math.min(bottom, outHeight) - Math.min(top, outHeight - 1),
    width: Math.min(right, outWidth) - Math.min(left, outWidth - 1),
  };
}

function ceilMultiple(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

function nearestMultiple(n: number, m: number): number {
  return Math.max(m, Math.round(n / m) * m);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
