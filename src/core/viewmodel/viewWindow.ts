/**
 * The one view transform the main stage and the side-by-side views share. Views of different sizes cannot share a
 * CSS transform, so what is shared is what the user sees, in image coordinates: the image point at the view's
 * centre and the magnification relative to the view's own fit scale. Each view turns that window into its own
 * scale and offset (transformOf) and, after the user zooms or pans it, back into a window (windowOf) that the
 * others follow. Pure arithmetic, unit-tested in node.
 */

/** What is seen: the image point (cx, cy) at the view's centre, at `zoom` × the view's fit scale. */
export interface ViewWindow {
  cx: number;
  cy: number;
  zoom: number;
}

export interface Size {
  width: number;
  height: number;
}

/** A view's CSS transform: screen = offset + image × scale (box coordinates, origin top left). */
export interface ViewTransform {
  scale: number;
  x: number;
  y: number;
}

/** Magnifications allowed relative to fit (a 4096² image fitted in 260 px still reaches 32 screen px/pixel). */
export const MIN_ZOOM = 1 / 4;
export const MAX_ZOOM = 1024;

/** The whole image, centred, fitted. */
export function fitWindow(image: Size): ViewWindow {
  return { cx: image.width / 2, cy: image.height / 2, zoom: 1 };
}

/** Scale at which the whole image fits the box (1 for degenerate sizes). */
export function fitScale(image: Size, box: Size): number {
  if (image.width <= 0 || image.height <= 0 || box.width <= 0 || box.height <= 0) return 1;
  return Math.min(box.width / image.width, box.height / image.height);
}

function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

/** The transform showing `win` in a box. */
export function transformOf(win: ViewWindow, image: Size, box: Size): ViewTransform {
  const scale = fitScale(image, box) * win.zoom;
  return { scale, x: box.width / 2 - win.cx * scale, y: box.height / 2 - win.cy * scale };
}

/** The window a transform shows in a box (inverse of transformOf). */
export function windowOf(t: ViewTransform, image: Size, box: Size): ViewWindow {
  return {
    cx: (box.width / 2 - t.x) / t.scale,
    cy: (box.height / 2 - t.y) / t.scale,
    zoom: t.scale / fitScale(image, box),
  };
}

/** Zooms by `factor` keeping the image point under box point (px, py) in place. */
export function zoomAround(
  win: ViewWindow,
  factor: number,
  px: number,
  py: number,
  image: Size,
  box: Size,
): ViewWindow {
  const t = transformOf(win, image, box);
  const zoom = clampZoom(win.zoom * factor);
  const scale = fitScale(image, box) * zoom;
  // The image point under the pointer stays under it.
  const ix = (px - t.x) / t.scale;
  const iy = (py - t.y) / t.scale;
  return windowOf({ scale, x: px - ix * scale, y: py - iy * scale }, image, box);
}

/** Moves the window by (dx, dy) box pixels (a drag to the right shows what is left of the view). */
export function panBy(win: ViewWindow, dx: number, dy: number, image: Size, box: Size): ViewWindow {
  const scale = fitScale(image, box) * win.zoom;
  return { ...win, cx: win.cx - dx / scale, cy: win.cy - dy / scale };
}

/**
 * The window around the inclusive pixel box [x0, x1] × [y0, y1] with a margin (the box takes 1/margin of the view),
 * at most `maxScale` screen pixels per image pixel in a box of size `box`.
 */
export function windowAround(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  image: Size,
  box: Size,
  margin = 1.6,
  maxScale = 32,
): ViewWindow {
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = Math.min(maxScale, box.width / (w * margin), box.height / (h * margin));
  return { cx: (x0 + x1 + 1) / 2, cy: (y0 + y1 + 1) / 2, zoom: clampZoom(scale / fitScale(image, box)) };
}

/** Whether two windows show the same thing (to tell a real change from an echo). */
export function sameWindow(a: ViewWindow, b: ViewWindow, eps = 1e-6): boolean {
  return (
    Math.abs(a.cx - b.cx) <= eps * Math.max(1, Math.abs(a.cx)) &&
    Math.abs(a.cy - b.cy) <= eps * Math.max(1, Math.abs(a.cy)) &&
    Math.abs(a.zoom - b.zoom) <= eps * a.zoom
  );
}
