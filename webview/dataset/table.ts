/**
 * The dataset table: a header of sortable columns and a body that draws only the rows in view (tableModel's
 * virtual window), so 10,000 rows scroll like 20. Keyboard: ↑/↓ (PageUp/PageDown, Home/End) move the selection,
 * Enter opens the selected row in the viewer, J/K (or N/P) move and open in one go — stepping through the worst.
 */
import { ROW_FLAGS, type TableMetric } from '../../src/protocol/dataset';
import { el } from '../dom';
import { METRIC_HEADERS, badness, formatMetric } from './format';
import {
  type SortKey,
  type TableData,
  type TableView,
  flagNames,
  scrollToShow,
  sortLabel,
  value,
  virtualWindow,
  visibleOrder,
} from './tableModel';

export const ROW_HEIGHT = 22;

/** RGBA per thumbnail code: background, correct class, predicted where the mask disagrees, missed (Okabe–Ito). */
const THUMB_COLOURS: Record<number, [number, number, number, number]> = {
  0: [0, 0, 0, 0],
  1: [150, 150, 150, 255],
  2: [213, 94, 0, 255],
  3: [0, 114, 178, 255],
};

export interface TableHooks {
  /** Open this row in the viewer. */
  open(row: number): void;
  /** The order or the selection changed (the host steps through it while the viewer has the focus). */
  orderChanged(order: Int32Array, selected: number): void;
  /** The body was drawn. */
  rendered(info: { rows: number; drawn: number; first: number; sort: string }): void;
}

const FLAG_CHIPS: Record<string, { text: string; title: string }> = {
  emptyGt: { text: 'empty GT', title: 'The ground truth has no foreground' },
  skipped: { text: 'skipped', title: 'This image could not be evaluated (hover the id for the reason)' },
  logitsConverted: { text: 'logits', title: 'The map held logits and was converted before decoding' },
  noGt: { text: 'no GT', title: 'No ground truth: only expected Dice is known' },
};

function sameKey(a: SortKey, b: SortKey): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind !== 'metric' || (b.kind === 'metric' && a.decoder === b.decoder && a.metric === b.metric);
}

export class VirtualTable {
  readonly element = el('div', 'table');
  private readonly header = el('div', 'thead');
  private readonly scroller = el('div', 'tbody');
  private readonly spacer = el('div', 'spacer');
  private readonly rowsEl = el('div', 'rows');
  private readonly empty = el('div', 'empty-table');
  private data?: TableData;
  private view?: TableView;
  private order: Int32Array = new Int32Array(0);
  private selected = -1;
  private drawQueued = false;
  private orderTimer?: ReturnType<typeof setTimeout>;
  private decoderLabels: string[] = [];

  constructor(private readonly hooks: TableHooks) {
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'grid');
    this.scroller.setAttribute('aria-label', 'Images of the dataset, one row each');
    this.spacer.append(this.rowsEl);
    this.scroller.append(this.spacer);
    this.element.append(this.header, this.scroller, this.empty);
    this.scroller.addEventListener('scroll', () => this.queueDraw());
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.rowsEl.addEventListener('click', (e) => {
      const rowEl = (e.target as HTMLElement).closest<HTMLElement>('.row');
      if (!rowEl) return;
      const row = Number(rowEl.dataset.row);
      this.select(row);
      this.hooks.open(row);
    });
    if (typeof ResizeObserver !== 'undefined')
      new ResizeObserver(() => this.queueDraw()).observe(this.scroller);
  }

  get currentView(): TableView | undefined {
    return this.view;
  }

  get currentOrder(): Int32Array {
    return this.order;
  }

  get selectedRow(): number {
    return this.selected;
  }

  /** A new run: its table and the view to start from. */
  reset(data: TableData, view: TableView, decoderLabels: string[]): void {
    this.data = data;
    this.view = view;
    this.decoderLabels = decoderLabels;
    this.selected = -1;
    this.scroller.scrollTop = 0;
    this.buildHeader();
    this.refresh();
  }

  setView(patch: Partial<TableView>): void {
    if (!this.view) return;
    this.view = { ...this.view, ...patch };
    this.buildHeader();
    this.refresh();
  }

  /** Recomputes the order (rows arrived, sort or filter changed) and redraws. */
  refresh(): void {
    if (!this.data || !this.view) return;
    this.order = visibleOrder(this.data, this.view);
    this.spacer.style.height = `${this.order.length * ROW_HEIGHT}px`;
    this.queueDraw();
    clearTimeout(this.orderTimer);
    this.orderTimer = setTimeout(() => this.hooks.orderChanged(this.order, this.selected), 250);
  }

  select(row: number, reveal = false): void {
    this.selected = row;
    if (reveal) {
      const pos = this.order.indexOf(row);
      if (pos >= 0)
        this.scroller.scrollTop = scrollToShow(
          pos,
          ROW_HEIGHT,
          this.scroller.scrollTop,
          this.scroller.clientHeight,
        );
    }
    this.queueDraw();
    this.hooks.orderChanged(this.order, this.selected);
  }

  focus(): void {
    this.scroller.focus();
  }

  private columns(): { decoder: number; metric: TableMetric }[] {
    if (!this.data) return [];
    const out: { decoder: number; metric: TableMetric }[] = [];
    this.data.layout.decoders.forEach((_, d) => {
      for (const metric of this.data?.layout.metrics ?? []) out.push({ decoder: d, metric });
    });
    return out;
  }

  private gridTemplate(): string {
    const n = this.columns().length;
    // Fixed widths: the body has a scrollbar the header has not, so fractional columns would drift apart.
    const thumb = this.data?.layout.thumbSize ? ' 38px' : '';
    return `44px 170px 120px${thumb} repeat(${n}, 66px)`;
  }

  private buildHeader(): void {
    const data = this.data;
    const view = this.view;
    if (!data || !view) return;
    this.header.replaceChildren();
    const template = this.gridTemplate();
    this.element.style.setProperty('--columns', template);
    const groups = el('div', 'hrow groups');
    groups.append(el('div', 'hcell'), el('div', 'hcell'), el('div', 'hcell'));
    if (data.layout.thumbSize) groups.append(el('div', 'hcell'));
    data.layout.decoders.forEach((d, i) => {
      const g = el('div', 'hcell group', this.decoderLabels[i] ?? d);
      g.style.gridColumn = `span ${data.layout.metrics.length}`;
      groups.append(g);
    });
    const names = el('div', 'hrow');
    const sortCell = (text: string, key: SortKey, title: string) => {
      const c = el('div', 'hcell sortable', text);
      c.title = `${title} — click to sort`;
      c.setAttribute('role', 'columnheader');
      if (sameKey(key, view.sort)) {
        c.classList.add('sorted');
        c.setAttribute('aria-sort', view.descending ? 'descending' : 'ascending');
        c.append(el('span', `codicon codicon-arrow-${view.descending ? 'down' : 'up'}`));
      }
      c.addEventListener('click', () => {
        const same = sameKey(key, view.sort);
        this.setView({ sort: key, descending: same ? !view.descending : key.kind === 'id' ? false : false });
      });
      return c;
    };
    names.append(
      el('div', 'hcell', '#'),
      sortCell('Image', { kind: 'id' }, 'Image id'),
      sortCell('Flags', { kind: 'flags' }, 'Flags'),
    );
    if (data.layout.thumbSize) {
      const h = el('div', 'hcell', 'Err');
      h.title =
        'Error map of the first decoder: missed pixels blue, pixels predicted where the mask says otherwise vermillion, correct ones grey';
      names.append(h);
    }
    for (const c of this.columns()) {
      const h = METRIC_HEADERS[c.metric];
      const cell = sortCell(h.short, { kind: 'metric', decoder: c.decoder, metric: c.metric }, h.title);
      cell.classList.add('num');
      if (c.metric === 'dice') cell.classList.add('first');
      names.append(cell);
    }
    this.header.append(groups, names);
  }

  private queueDraw(): void {
    if (this.drawQueued) return;
    this.drawQueued = true;
    const raf =
      typeof requestAnimationFrame === 'function'
        ? requestAnimationFrame
        : (f: () => void) => setTimeout(f, 0);
    raf(() => {
      this.drawQueued = false;
      this.draw();
    });
  }

  /** Draws the rows of the virtual window (and nothing else). */
  draw(): void {
    const data = this.data;
    const view = this.view;
    if (!data || !view) return;
    const w = virtualWindow(
      this.order.length,
      ROW_HEIGHT,
      this.scroller.scrollTop,
      this.scroller.clientHeight || 400,
    );
    this.rowsEl.style.transform = `translateY(${w.offset}px)`;
    const cols = this.columns();
    const frag = document.createDocumentFragment();
    for (let pos = w.first; pos < w.end; pos++) {
      const row = this.order[pos];
      const r = el('div', 'row');
      r.dataset.row = String(row);
      r.setAttribute('role', 'row');
      if (row === this.selected) {
        r.classList.add('selected');
        r.setAttribute('aria-selected', 'true');
      }
      const flags = data.flags[row];
      if (flags & ROW_FLAGS.skipped) r.classList.add('skipped');
      r.append(el('div', 'cell pos', String(pos + 1)));
      const id = el('div', 'cell id', data.ids[row]);
      id.title = data.errors[row] ? `${data.ids[row]} — skipped: ${data.errors[row]}` : data.ids[row];
      r.append(id);
      const f = el('div', 'cell flags');
      for (const name of flagNames(flags)) {
        const chip = el('span', `chip ${name}`, FLAG_CHIPS[name].text);
        chip.title = name === 'skipped' && data.errors[row] ? data.errors[row] : FLAG_CHIPS[name].title;
        f.append(chip);
      }
      r.append(f);
      if (data.layout.thumbSize) r.append(this.thumbnail(data, view, row));
      for (const c of cols) {
        const v = value(data, view, row, c.decoder, c.metric);
        const cell = el('div', 'cell num', formatMetric(v, c.metric));
        const bad = badness(v, c.metric);
        if (bad !== undefined && c.metric !== 'expectedDice') cell.style.setProperty('--bad', String(bad));
        if (sameKey(view.sort, { kind: 'metric', decoder: c.decoder, metric: c.metric }))
          cell.classList.add('sortcol');
        r.append(cell);
      }
      frag.append(r);
    }
    this.rowsEl.replaceChildren(frag);
    this.empty.textContent =
      this.order.length === 0
        ? data.received === 0
          ? 'Rows appear here as images finish.'
          : 'No row matches the filter.'
        : '';
    this.hooks.rendered({
      rows: this.order.length,
      drawn: w.end - w.first,
      first: this.order.length ? this.order[w.first] : 0,
      sort: sortLabel(data.layout, view.sort, view.descending),
    });
  }

  /** The row's error-map thumbnail (first decoder, the view's model) as a small canvas. */
  private thumbnail(data: TableData, view: TableView, row: number): HTMLElement {
    const cell = el('div', 'cell thumb');
    const M = data.layout.models.length;
    const T = data.layout.thumbSize;
    const at = row * M + view.model;
    const w = data.thumbDims[at * 2];
    const h = data.thumbDims[at * 2 + 1];
    if (!w || !h || typeof document === 'undefined') return cell;
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const g = canvas.getContext('2d');
    if (!g) return cell;
    const img = g.createImageData(w, h);
    const codes = data.thumbs.subarray(at * T * T, at * T * T + w * h);
    for (let i = 0; i < w * h; i++) {
      const c = THUMB_COLOURS[codes[i]] ?? THUMB_COLOURS[0];
      img.data.set(c, i * 4);
    }
    g.putImageData(img, 0, 0);
    cell.append(canvas);
    return cell;
  }

  private onKey(e: KeyboardEvent): void {
    if (this.order.length === 0) return;
    const pos = this.order.indexOf(this.selected);
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    let next: number | undefined;
    let open = false;
    switch (e.key) {
      case 'ArrowDown':
        next = pos + 1;
        break;
      case 'ArrowUp':
        next = pos < 0 ? 0 : pos - 1;
        break;
      case 'PageDown':
        next = pos + page;
        break;
      case 'PageUp':
        next = pos - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.order.length - 1;
        break;
      case 'Enter':
        if (this.selected >= 0) this.hooks.open(this.selected);
        e.preventDefault();
        return;
      case 'j':
      case 'n':
        next = pos + 1;
        open = true;
        break;
      case 'k':
      case 'p':
        next = pos < 0 ? 0 : pos - 1;
        open = true;
        break;
      default:
        return;
    }
    e.preventDefault();
    const clamped = Math.max(0, Math.min(this.order.length - 1, next));
    const row = this.order[clamped];
    this.select(row, true);
    if (open) this.hooks.open(row);
  }
}
