/**
 * How the threshold slider works for a sample: with the pixels' ranking in the webview (instant, see
 * thresholdIndex) or by asking the worker pool for each new mask. The ranking costs 9 bytes per pixel in the
 * message and in the webview, and building it, the sweep and the per-class overlays grow with pixels × foreground
 * classes; at 4096² with 5 classes the ranking alone was ~150 MB, which stalls the webview and the message channel.
 * So the ranking is only sent up to a budget of pixel·class entries; above it the slider asks the worker for the
 * mask (the core threshold decode is ~44 ms at 1024²) and the panel says so.
 */

/** Pixel·class entries up to which the ranking is sent to the webview (16 M: 1024² with 16 classes, 2000² × 4). */
export const SLIDER_RANKING_BUDGET = 16_000_000;

export type SliderMode = 'local' | 'worker';

/**
 * The slider mode of a map of `pixels` pixels with `foregroundClasses` foreground classes (at least one is
 * counted, so a map is never free).
 */
export function sliderMode(
  pixels: number,
  foregroundClasses: number,
  budget: number = SLIDER_RANKING_BUDGET,
): SliderMode {
  return pixels * Math.max(1, foregroundClasses) <= budget ? 'local' : 'worker';
}

/** The panel's sentence for the worker mode (shown next to the slider). */
export function workerSliderNote(width: number, height: number, foregroundClasses: number): string {
  return (
    `Large map (${width}×${height}, ${foregroundClasses} ${foregroundClasses === 1 ? 'class' : 'classes'}): ` +
    'the slider asks the worker for each new mask instead of updating in place, so the overlay follows with a short delay.'
  );
}
