/**
 * The dataset table's model, free of the DOM so it runs in plain node tests: rows stored column-wise as they stream
 * in (any order), the sort (worst first by default), the filter, and the virtual window — the only rows the table
 * draws are the ones in view, so 10,000 or 100,000 rows cost the same to scroll.
 *
 * Sorting keeps undefined values (NaN: a metric with no meaning for that image, a skipped row) last in either
 * direction, and breaks ties by row index, so the order is total and stable across re-sorts as rows arrive.
 */
import {
  ROW_FLAGS,
  ROW_FLAG_NAMES,
  type RowFlag,
  type TableLayout,
  type TableMetric,
  columnCount,
  columnIndex,
} from '../../src/protocol/dataset';

export interface TableData {
  layout: TableLayout;
  /** Rows the run will produce. */
  total: number;
  /** Rows received so far. */
  received: number;
  ids: string[];
  flags: Uint8Array;
  errors: string[];
  /** Whether row i has arrived. */
  present: Uint8Array;
  /** `total × columnCount(layout)` values; NaN until a row arrives. */
  values: Float64Array;
  /** `total × models × thumbSize²` error codes, and `total × models × 2` drawn sizes. */
  thumbs: Uint8Array;
  thumbDims: Uint8Array;
}

export function emptyTable(layout: TableLayout, total: number): TableData {
  const values = new Float64Array(total * columnCount(layout));
  values.fill(NaN);
  return {
    layout,
    total,
    received: 0,
    ids: new Array<string>(total).fill(''),
    flags: new Uint8Array(total),
    errors: new Array<string>(total).fill(''),
    present: new Uint8Array(total),
    values,
    thumbs: new Uint8Array(total * layout.models.length * layout.thumbSize ** 2),
    thumbDims: new Uint8Array(total * layout.models.length * 2),
  };
}

/** Stores a batch of rows (as posted by the host). Rows outside the table are ignored. */
export function addRows(
  t: TableData,
  batch: {
    indices: number[];
    ids: string[];
    flags: number[];
    errors: string[];
    values: Float64Array;
    thumbs?: Uint8Array;
    thumbDims?: number[];
  },
): void {
  const cols = columnCount(t.layout);
  const M = t.layout.models.length;
  const tt = t.layout.thumbSize ** 2;
  batch.indices.forEach((row, k) => {
    if (!Number.isInteger(row) || row < 0 || row >= t.total) return;
    if (!t.present[row]) t.received++;
    t.present[row] = 1;
    t.ids[row] = String(batch.ids[k]);
    t.flags[row] = batch.flags[k] & 0xff;
    t.errors[row] = String(batch.errors[k] ?? '');
    t.values.set(batch.values.subarray(k * cols, (k + 1) * cols), row * cols);
    if (batch.thumbs && batch.thumbs.length === batch.indices.length * M * tt)
      t.thumbs.set(batch.thumbs.subarray(k * M * tt, (k + 1) * M * tt), row * M * tt);
    if (batch.thumbDims && batch.thumbDims.length === batch.indices.length * M * 2)
      for (let i = 0; i < M * 2; i++) t.thumbDims[row * M * 2 + i] = batch.thumbDims[k * M * 2 + i] & 0xff;
  });
}

/** What a sortable column is: the image id, the flags, or a metric of one decoder (of the view's model/scope). */
export type SortKey =
  { kind: 'id' } | { kind: 'flags' } | { kind: 'metric'; decoder: number; metric: TableMetric };

export interface TableView {
  /** Index into layout.models. */
  model: number;
  /** Index into layout.scopes (0 = macro). */
  scope: number;
  sort: SortKey;
  descending: boolean;
  filter: string;
  /** Only these rows (a confusion-matrix cell's images), or all. */
  only?: ReadonlySet<number> | null;
}

/**
 * Worst first: ascending Dice of the first decoder over the present classes — or, on a set without ground truth,
 * ascending expected Dice (the label-free ranking).
 */
export function defaultView(layout: TableLayout, hasGt = true): TableView {
  const wanted: TableMetric = hasGt ? 'dice' : 'expectedDice';
  const metric: TableMetric = layout.metrics.includes(wanted) ? wanted : layout.metrics[0];
  return { model: 0, scope: 0, sort: { kind: 'metric', decoder: 0, metric }, descending: false, filter: '' };
}

export function value(
  t: TableData,
  view: TableView,
  row: number,
  decoder: number,
  metric: TableMetric,
): number {
  const m = t.layout.metrics.indexOf(metric);
  if (m < 0) return NaN;
  return t.values[row * columnCount(t.layout) + columnIndex(t.layout, view.model, decoder, view.scope, m)];
}

// ---------------------------------------------------------------------------------------------------------------
// Filter

/** One condition of a filter: text in the id, a flag, or a metric comparison. All conditions must hold. */
export type Condition =
  | { kind: 'text'; text: string }
  | { kind: 'flag'; flag: RowFlag; negate: boolean }
  | {
      kind: 'compare';
      metric: TableMetric;
      decoder: number;
      op: '<' | '<=' | '>' | '>=' | '=';
      value: number;
    };

export interface ParsedFilter {
  conditions: Condition[];
  /** Words the filter did not understand (shown to the user, otherwise ignored). */
  unknown: string[];
}

const METRIC_ALIASES: Record<string, TableMetric> = {
  dice: 'dice',
  iou: 'iou',
  precision: 'precision',
  prec: 'precision',
  recall: 'recall',
  rec: 'recall',
  hd95: 'hd95',
  expected: 'expectedDice',
  expecteddice: 'expectedDice',
  edice: 'expectedDice',
};

const FLAG_ALIASES: Record<string, RowFlag> = {
  emptygt: 'emptyGt',
  empty: 'emptyGt',
  skipped: 'skipped',
  error: 'skipped',
  logits: 'logitsConverted',
  logitsconverted: 'logitsConverted',
  nogt: 'noGt',
  unlabelled: 'noGt',
  unlabeled: 'noGt',
};

/**
 * Parses the filter box: words separated by spaces, all of which must hold.
 * - `slice_0` — the id contains this text (case-insensitive);
 * - `is:skipped`, `is:emptyGt`, `is:logits`, `is:noGt`, and `-is:…` to exclude;
 * - `dice<0.5`, `hd95>=10`, `expected<0.8`, with `@2` for the second decoder (`dice@2<0.5`); the first decoder
 *   otherwise.
 */
export function parseFilter(text: string, layout: TableLayout): ParsedFilter {
  const conditions: Condition[] = [];
  const unknown: string[] = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const flag = /^(-?)is:([a-z]+)$/i.exec(word);
    if (flag) {
      const f = FLAG_ALIASES[flag[2].toLowerCase()];
      if (f) conditions.push({ kind: 'flag', flag: f, negate: flag[1] === '-' });
      else unknown.push(word);
      continue;
    }
    const cmp = /^([a-z0-9]+)(?:@(\d+))?(<=|>=|<|>|=)(-?\d*\.?\d+(?:e-?\d+)?)$/i.exec(word);
    if (cmp) {
      const metric = METRIC_ALIASES[cmp[1].toLowerCase()];
      const decoder = cmp[2] === undefined ? 0 : Number(cmp[2]) - 1;
      if (metric && layout.metrics.includes(metric) && decoder >= 0 && decoder < layout.decoders.length) {
        conditions.push({
          kind: 'compare',
          metric,
          decoder,
          op: cmp[3] as '<' | '<=' | '>' | '>=' | '=',
          value: Number(cmp[4]),
        });
      } else unknown.push(word);
      continue;
    }
    conditions.push({ kind: 'text', text: word.toLowerCase() });
  }
  return { conditions, unknown };
}

function holds(t: TableData, view: TableView, row: number, c: Condition): boolean {
  switch (c.kind) {
    case 'text':
      return t.ids[row].toLowerCase().includes(c.text);
    case 'flag':
      return ((t.flags[row] & ROW_FLAGS[c.flag]) !== 0) !== c.negate;
    case 'compare': {
      const v = value(t, view, row, c.decoder, c.metric);
      if (Number.isNaN(v)) return false;
      switch (c.op) {
        case '<':
          return v < c.value;
        case '<=':
          return v <= c.value;
        case '>':
          return v > c.value;
        case '>=':
          return v >= c.value;
        case '=':
          return v === c.value;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sort

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The rows to show, in order: the received rows that pass the filter, sorted by the view's key. NaN (undefined)
 * values go last in both directions; ties break by row index.
 */
export function visibleOrder(t: TableData, view: TableView): Int32Array {
  const filter = parseFilter(view.filter, t.layout);
  const rows: number[] = [];
  for (let r = 0; r < t.total; r++) {
    if (!t.present[r]) continue;
    if (view.only && !view.only.has(r)) continue;
    if (filter.conditions.every((c) => holds(t, view, r, c))) rows.push(r);
  }
  const sign = view.descending ? -1 : 1;
  const sort = view.sort;
  if (sort.kind === 'id') {
    rows.sort((a, b) => sign * compareIds(t.ids[a], t.ids[b]) || a - b);
  } else if (sort.kind === 'flags') {
    rows.sort((a, b) => sign * (t.flags[a] - t.flags[b]) || a - b);
  } else {
    const key = new Float64Array(t.total);
    for (const r of rows) key[r] = value(t, view, r, sort.decoder, sort.metric);
    rows.sort((a, b) => {
      const x = key[a];
      const y = key[b];
      const xn = Number.isNaN(x);
      const yn = Number.isNaN(y);
      if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
      return x === y ? a - b : sign * (x < y ? -1 : 1);
    });
  }
  return Int32Array.from(rows);
}

// ---------------------------------------------------------------------------------------------------------------
// Virtual window

export interface VirtualWindow {
  /** First and one-past-last position (in the order) to draw. */
  first: number;
  end: number;
  /** Pixels above the first drawn row (the spacer's height). */
  offset: number;
  /** Height of the whole table body in pixels. */
  height: number;
}

/**
 * The rows to draw for a scroll position: those intersecting the viewport plus `overscan` rows either side.
 * The body keeps its full height so the scrollbar tells the truth.
 */
export function virtualWindow(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): VirtualWindow {
  const height = rowCount * rowHeight;
  if (rowCount === 0 || rowHeight <= 0) return { first: 0, end: 0, offset: 0, height: 0 };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, height - viewportHeight)));
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(rowCount, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first, end, offset: first * rowHeight, height };
}

/** The scrollTop that brings a position into view (unchanged when it already is). */
export function scrollToShow(
  position: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number {
  const top = position * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return scrollTop;
}

/** The flag names set on a row, in ROW_FLAG_NAMES order. */
export function flagNames(bits: number): RowFlag[] {
  return ROW_FLAG_NAMES.filter((f) => (bits & ROW_FLAGS[f]) !== 0);
}

/** A sort key's stable text form (reported to the host, persisted). */
export function sortLabel(t: TableLayout, s: SortKey, descending: boolean): string {
  const dir = descending ? 'desc' : 'asc';
  if (s.kind !== 'metric') return `${s.kind} ${dir}`;
  return `${s.metric}@${t.decoders[s.decoder] ?? s.decoder} ${dir}`;
}
