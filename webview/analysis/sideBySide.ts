/**
 * The "Side by side" tab: ground truth | decoder A | decoder B (compare.ts) with a caption and the read-out of the
 * pixel under the pointer. Hidden until the sample has something to compare.
 */
import type { ViewWindow } from '../../src/core/viewmodel/viewWindow';
import { el } from '../dom';
import { CompareViews } from './compare';

export class SideBySide {
  readonly element = el('div', 'compare-box');
  readonly views: CompareViews;
  private readonly hover = el('div', 'hover');

  /**
   * `describe` words the pixel under the pointer; `onView` reports the user's zoom or pan (the stage follows);
   * `initial` is the stage's window, taken when a new image size arrives.
   */
  constructor(
    describe: (p: { x: number; y: number }) => string,
    onView: (win: ViewWindow) => void,
    initial: () => ViewWindow | undefined,
  ) {
    this.views = new CompareViews((p) => (this.hover.textContent = p ? describe(p) : ''), onView, initial);
    this.element.append(
      el('div', 'muted', 'Ground truth | decoder A | decoder B — zoom and pan are shared with the stage.'),
      this.views.element,
      this.hover,
    );
    this.element.hidden = true;
  }

  clear(): void {
    this.views.clear();
    this.hover.textContent = '';
    this.element.hidden = true;
  }
}
