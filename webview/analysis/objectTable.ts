/**
 * The object table of decoder A: every ground-truth object (matched or missed) and every spurious predicted object,
 * 8-connected, with a "zoom" button that shows the object in the side-by-side views and on the stage.
 */
import type { DecoderView } from '../../src/core/viewmodel/analysisTypes';
import { el } from '../dom';
import { fmt, type Num } from './format';

/** Rows shown at most (a noisy mask can have thousands of specks). */
export const MAX_OBJECT_ROWS = 200;

export class ObjectTable {
  readonly element = el('div', 'object-table');
  /** The zoom buttons with their inclusive pixel boxes [x0, y0, x1, y1]. */
  private zoomButtons: { button: HTMLButtonElement; box: number[] }[] = [];

  constructor(
    private readonly className: (k: number) => string,
    private readonly onZoom: (x0: number, y0: number, x1: number, y1: number) => void,
  ) {}

  clear(): void {
    this.zoomButtons = [];
    this.element.replaceChildren();
  }

  /** The pixel box of a row's object, when the row exists. */
  boxOf(row: number): number[] | undefined {
    return this.zoomButtons[row]?.box;
  }

  /** Presses a row's zoom button; returns its box, or undefined without such a row. */
  zoom(row: number): number[] | undefined {
    const z = this.zoomButtons[row];
    z?.button.click();
    return z?.box;
  }

  render(v: DecoderView): void {
    const m = v.metrics;
    if (!m) return;
    const table = el('table');
    const head = el('tr');
    this.zoomButtons = [];
    for (const c of ['Class', 'Object', 'Size (px)', 'Dice', 'IoU', 'Status', ''])
      head.append(el('th', undefined, c));
    table.append(head);
    let rows = 0;
    const add = (
      cls: string,
      kind: string,
      size: number,
      dice: Num,
      iou: Num,
      status: string,
      box: { min: number[]; max: number[] },
    ) => {
      if (rows++ >= MAX_OBJECT_ROWS) return;
      const tr = el('tr');
      for (const x of [this.className(Number(cls)), kind, fmt(size), fmt(dice), fmt(iou), status])
        tr.append(el('td', undefined, x));
      const td = el('td');
      const b = el('button', 'link', 'zoom');
      b.title = `Zoom the stage and the side-by-side views to ${kind}`;
      const pixels = [box.min[1], box.min[0], box.max[1], box.max[0]];
      b.addEventListener('click', () => this.onZoom(pixels[0], pixels[1], pixels[2], pixels[3]));
      this.zoomButtons.push({ button: b, box: pixels });
      td.append(b);
      tr.append(td);
      table.append(tr);
    };
    for (const [cls, c] of Object.entries(m.perClass)) {
      const o = c.objects['8'];
      if (!o) continue;
      for (const g of o.gtObjects)
        add(
          cls,
          `GT #${g.id}`,
          g.size,
          g.dice,
          g.iou,
          g.matchedPred === null ? 'missed' : `matched pred #${g.matchedPred}`,
          g.bbox,
        );
      for (const p of o.predObjects)
        if (p.matchedGt === null) add(cls, `pred #${p.id}`, p.size, null, p.maxIou, 'spurious', p.bbox);
    }
    const more =
      rows > MAX_OBJECT_ROWS ? el('div', 'muted', `First ${MAX_OBJECT_ROWS} of ${rows} objects.`) : '';
    this.element.replaceChildren(
      el('h3', undefined, `Objects of ${v.label} (zoom: the stage and the side-by-side views show it)`),
      rows ? table : el('div', 'muted', 'No objects.'),
      more,
    );
  }
}
