/**
 * The panel's picture-first layout: the stage takes the space, the analysis sits in a side area to its right,
 * and a splitter between them resizes the side (drag, or the arrow keys when it has focus; Home resets). On a narrow
 * panel (under 720 px) the side area moves under the stage instead (CSS), and the splitter then resizes its height.
 * The read-out and the legend float over the stage's bottom and top edges, so they never push the picture around.
 */
import { el } from './dom';

/** The side area's default share of the width, and its limits in pixels. */
export const SIDE_DEFAULT = 0.4;
export const SIDE_MIN = 300;
export const STAGE_MIN = 240;

export interface Workspace {
  /** Holds the stage area, the splitter and the side area; fills the space between toolbar and footer. */
  element: HTMLElement;
  /** The stage area: the stage plus what floats over it (read-out, legend). */
  stageArea: HTMLElement;
  splitter: HTMLElement;
}

/** Clamps a requested side size so that both the stage and the side keep their minimum. */
export function clampSide(requested: number, total: number): number {
  return Math.round(Math.max(SIDE_MIN, Math.min(requested, total - STAGE_MIN)));
}

/**
 * Builds the workspace around `stage` (with `overlays` floating over it and `below` under it) and `side`.
 * `onResize` runs after the splitter moved (the stage refits).
 */
export function buildWorkspace(
  stage: HTMLElement,
  side: HTMLElement,
  overlays: HTMLElement[],
  below: HTMLElement,
  onResize: () => void,
): Workspace {
  const element = el('div', 'workspace');
  const stageArea = el('div', 'stage-area');
  stageArea.append(stage, ...overlays);
  // The file information stays under the picture it describes; the side area gets the full height.
  const column = el('div', 'stage-column');
  column.append(stageArea, below);
  const splitter = el('div', 'splitter');
  splitter.tabIndex = 0;
  splitter.setAttribute('role', 'separator');
  splitter.setAttribute('aria-label', 'Resize the analysis area (arrow keys; Home resets)');
  splitter.title = 'Drag to resize the analysis area; Home resets';
  element.append(column, splitter, side);

  const vertical = () => getComputedStyle(element).flexDirection === 'column';
  const total = () => (vertical() ? element.clientHeight : element.clientWidth);
  const current = () => (vertical() ? side.offsetHeight : side.offsetWidth);
  const set = (px: number | undefined) => {
    if (px === undefined) element.style.removeProperty('--side-size');
    else element.style.setProperty('--side-size', `${clampSide(px, total())}px`);
    splitter.setAttribute('aria-valuenow', String(current()));
    onResize();
  };

  let drag: { start: number; size: number } | undefined;
  splitter.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { start: vertical() ? e.clientY : e.clientX, size: current() };
    splitter.setPointerCapture(e.pointerId);
    splitter.classList.add('dragging');
    e.preventDefault();
  });
  splitter.addEventListener('pointermove', (e) => {
    if (!drag) return;
    // The side is right of (or below) the splitter: moving the splitter towards it makes it smaller.
    const pos = vertical() ? e.clientY : e.clientX;
    set(drag.size - (pos - drag.start));
  });
  const end = () => {
    drag = undefined;
    splitter.classList.remove('dragging');
  };
  splitter.addEventListener('pointerup', end);
  splitter.addEventListener('pointercancel', end);
  splitter.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? 80 : 20;
    const grow = vertical() ? 'ArrowUp' : 'ArrowLeft';
    const shrink = vertical() ? 'ArrowDown' : 'ArrowRight';
    if (e.key === grow) set(current() + step);
    else if (e.key === shrink) set(current() - step);
    else if (e.key === 'Home') set(undefined);
    else return;
    e.preventDefault();
  });
  return { element, stageArea, splitter };
}
