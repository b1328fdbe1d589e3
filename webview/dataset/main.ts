/**
 * The dataset panel's entry: pairing preview → evaluation progress → summary and the virtualised table. The host
 * posts nothing before `ready`; every host message is shape-checked (asToDatasetWebview) before use.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  DATASET_PROTOCOL_VERSION,
  type DatasetPreview,
  type TableLayout,
  type ToDatasetWebview,
  asToDatasetWebview,
  columnIndex,
} from '../../src/protocol/dataset';
import { button, el } from '../dom';
import { connect } from './api';
import { SetupView } from './setup';
import { SummaryView } from './summaryView';
import { VirtualTable } from './table';
import { type TableData, addRows, defaultView, emptyTable, parseFilter } from './tableModel';

const api = connect();

let preview: DatasetPreview | undefined;
let runId = 0;
let data: TableData | undefined;
let layout: TableLayout | undefined;
let running = false;

const decoderLabel = (name: string): string => preview?.decoders.find((d) => d.name === name)?.label ?? name;

// ---------------------------------------------------------------------------------------------------------------
// Layout

const app = document.getElementById('app') as HTMLElement;
const header = el('header', 'top');
const title = el('h1', undefined, 'Dataset');
const status = el('span', 'status');
status.setAttribute('aria-live', 'polite');
const ring = document.createElement('vscode-progress-ring');
ring.classList.add('hidden');
const cancel = button('stop-circle', 'Cancel', () => api.post({ type: 'cancel' }));
cancel.classList.add('hidden');
const exportBox = el('span', 'exports');
exportBox.append(
  el('span', 'muted', 'Export:'),
  button('table', 'Table CSV', () => api.post({ type: 'export', what: 'table-csv' })),
  button('json', 'Table JSON', () => api.post({ type: 'export', what: 'table-json' })),
  button('graph', 'Summary JSON', () => api.post({ type: 'export', what: 'summary-json' })),
  button('list-flat', 'Summary CSV', () => api.post({ type: 'export', what: 'summary-csv' })),
);
exportBox.classList.add('hidden');
const problems = el('div', 'problems');
header.append(title, ring, status, cancel, exportBox);

const setup = new SetupView({
  evaluate: (models, decoders, onnx) =>
    api.post({ type: 'evaluate', models, decoders, ...(onnx !== undefined ? { onnx } : {}) }),
  replan: () => api.post({ type: 'replan' }),
  pickModel: () => api.post({ type: 'pickModel' }),
});
const toggleSetup = button('settings', 'Change the evaluation…', () => setup.setCollapsed(false));
toggleSetup.classList.add('hidden', 'change');

const summary = new SummaryView({
  openCandidate: (index, row) => {
    table.select(row, true);
    api.post({ type: 'openCandidate', index });
  },
  cell: (model, decoder, gt, pred) => api.post({ type: 'cell', model, decoder, gt, pred }),
  scatter: (model, decoder) => scatterPoints(model, decoder),
});

const table = new VirtualTable({
  open: (row) => openRow(row),
  orderChanged: (order, selected) => api.post({ type: 'order', rows: Array.from(order), selected }),
  rendered: (info) => reportRendered(info),
});

// Table controls: model, class scope, filter.
const controls = el('div', 'controls');
const modelSelect = document.createElement('vscode-single-select') as HTMLElement & { value: string };
modelSelect.setAttribute('aria-label', 'Model shown in the table');
const scopeSelect = document.createElement('vscode-single-select') as HTMLElement & { value: string };
scopeSelect.setAttribute('aria-label', 'Class shown in the table');
const filter = document.createElement('vscode-textfield') as HTMLElement & { value: string };
filter.setAttribute('placeholder', 'Filter: slice_0  dice<0.5  hd95>10  is:emptyGt  -is:skipped  dice@2<0.7');
filter.classList.add('filter');
const filterNote = el('span', 'muted filter-note');
const counts = el('span', 'counts');
const only = el('span', 'only hidden');
const onlyText = el('span');
only.append(
  onlyText,
  button('close', 'Show all', () => {
    only.classList.add('hidden');
    table.setView({ only: null });
  }),
);
const modelLabel = el('label', undefined, 'Model');
controls.append(
  modelLabel,
  modelSelect,
  el('label', undefined, 'Class'),
  scopeSelect,
  filter,
  filterNote,
  only,
  counts,
);
modelSelect.addEventListener('change', () => table.setView({ model: Number(modelSelect.value) || 0 }));
scopeSelect.addEventListener('change', () => table.setView({ scope: Number(scopeSelect.value) || 0 }));
let filterTimer: ReturnType<typeof setTimeout> | undefined;
filter.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => applyFilter(filter.value ?? ''), 120);
});

const tableSection = el('section', 'table-section hidden');
const help = el(
  'div',
  'muted help',
  'Worst first (lowest Dice of the first decoder). Click a row or press Enter to open it in the viewer; J/K open the next/previous row (Alt+J/Alt+K from the viewer). Click a header to sort.',
);
tableSection.append(controls, table.element, help);

const upper = el('div', 'upper');
upper.append(problems, setup.element, toggleSetup, summary.element);
app.append(header, upper, tableSection);

function option(value: string, label: string): HTMLElement {
  const o = document.createElement('vscode-option');
  o.setAttribute('value', value);
  o.textContent = label;
  return o;
}

function applyFilter(text: string): void {
  table.setView({ filter: text });
  if (layout) {
    const unknown = parseFilter(text, layout).unknown;
    filterNote.textContent = unknown.length ? `not understood: ${unknown.join(' ')}` : '';
  }
}

function openRow(row: number): void {
  if (!layout) return;
  const view = table.currentView;
  const m = layout.models[view?.model ?? 0] ?? '';
  table.select(row, true);
  api.post({ type: 'open', row, model: m, decoders: layout.decoders.slice(0, 2) });
}

function scatterPoints(model: string, decoder: string): { expected: number[]; truth: number[] } {
  const expected: number[] = [];
  const truth: number[] = [];
  if (!data || !layout) return { expected, truth };
  const m = layout.models.indexOf(model);
  const d = layout.decoders.indexOf(decoder);
  const cols = data.values.length / Math.max(1, data.total);
  const e = columnIndex(layout, m, d, 0, layout.metrics.indexOf('expectedDice'));
  const t = columnIndex(layout, m, d, 0, layout.metrics.indexOf('dice'));
  for (let r = 0; r < data.total; r++) {
    if (!data.present[r]) continue;
    expected.push(data.values[r * cols + e]);
    truth.push(data.values[r * cols + t]);
  }
  return { expected, truth };
}

let renderedTimer: ReturnType<typeof setTimeout> | undefined;
function reportRendered(info: { rows: number; drawn: number; first: number; sort: string }): void {
  counts.textContent = data
    ? `${info.rows} of ${data.received} rows${data.received < data.total ? ` (${data.total} expected)` : ''}`
    : '';
  clearTimeout(renderedTimer);
  renderedTimer = setTimeout(() => api.post({ type: 'rendered', ...info }), 100);
}

function setRunning(on: boolean): void {
  running = on;
  ring.classList.toggle('hidden', !on);
  cancel.classList.toggle('hidden', !on);
}

function showProblem(severity: string, message: string): void {
  const p = el('div', `problem ${severity}`, message);
  problems.append(p);
  while (problems.childElementCount > 5) problems.firstElementChild?.remove();
}

// ---------------------------------------------------------------------------------------------------------------
// Host messages

/** A run started: a fresh table of this layout, the model and class menus, the preview folded. */
function started(msg: Extract<ToDatasetWebview, { type: 'started' }>): void {
  runId = msg.runId;
  layout = msg.layout;
  data = emptyTable(msg.layout, msg.total);
  problems.replaceChildren();
  setRunning(true);
  setup.setCollapsed(true);
  toggleSetup.classList.remove('hidden');
  tableSection.classList.remove('hidden');
  exportBox.classList.add('hidden');
  summary.clear('The summary appears when the run ends.');
  status.textContent = `Evaluating ${msg.total} images…`;
  modelSelect.replaceChildren(...msg.layout.models.map((m, i) => option(String(i), m)));
  modelSelect.classList.toggle('hidden', msg.layout.models.length < 2);
  modelLabel.classList.toggle('hidden', msg.layout.models.length < 2);
  scopeSelect.replaceChildren(
    ...msg.layout.scopes.map((s, i) => option(String(i), i === 0 ? 'All classes (mean)' : s.label)),
  );
  const hasGt = preview ? preview.items.some((i) => i.gt) || preview.items.length === 0 : true;
  table.reset(
    data,
    { ...defaultView(msg.layout, hasGt), filter: filter.value ?? '' },
    msg.layout.decoders.map(decoderLabel),
  );
}

function finished(msg: Extract<ToDatasetWebview, { type: 'finished' }>): void {
  setRunning(false);
  exportBox.classList.remove('hidden');
  const how = msg.cachedAt
    ? `From the cache of ${new Date(msg.cachedAt).toLocaleString()} (files unchanged)`
    : msg.cancelled
      ? 'Cancelled'
      : 'Done';
  status.textContent = `${how} in ${(msg.elapsedMs / 1000).toFixed(1)} s${msg.skipped ? ` · ${msg.skipped} skipped` : ''}${
    msg.cancelled ? ' — the rows that finished are kept' : ''
  }`;
}

function rowSet(msg: Extract<ToDatasetWebview, { type: 'rowSet' }>): void {
  if (!msg.label) {
    only.classList.add('hidden');
    table.setView({ only: null });
    return;
  }
  onlyText.textContent = msg.label;
  only.classList.remove('hidden');
  table.setView({ only: new Set(msg.rows) });
}

/** The host changes the table's view as a user would (integration tests). */
function applyPatch(p: Extract<ToDatasetWebview, { type: 'apply' }>['patch']): void {
  if (!table.currentView || !layout) return;
  if (p.filter !== undefined) {
    filter.value = p.filter;
    applyFilter(p.filter);
  }
  // The menus show what the table shows.
  if (p.model !== undefined) {
    table.setView({ model: p.model });
    modelSelect.value = String(p.model);
  }
  if (p.scope !== undefined) {
    table.setView({ scope: p.scope });
    scopeSelect.value = String(p.scope);
  }
  if (p.sortColumn !== undefined) {
    const per = layout.metrics.length;
    const decoder = Math.floor(p.sortColumn / per);
    const metric = layout.metrics[p.sortColumn % per];
    if (metric && decoder < layout.decoders.length)
      table.setView({ sort: { kind: 'metric', decoder, metric }, descending: p.sortDescending ?? false });
  } else if (p.sortDescending !== undefined) table.setView({ descending: p.sortDescending });
}

function handle(msg: ToDatasetWebview): void {
  switch (msg.type) {
    case 'init':
      title.textContent = `Dataset — ${msg.root}`;
      api.setState({ version: DATASET_PROTOCOL_VERSION, rootUri: msg.rootUri });
      return;
    case 'preview':
      preview = msg.preview;
      setup.show(msg.preview);
      return;
    case 'started':
      started(msg);
      return;
    case 'rows':
      if (msg.runId !== runId || !data) return;
      addRows(data, { ...msg, values: new Float64Array(msg.values), thumbs: new Uint8Array(msg.thumbs) });
      table.refresh();
      return;
    case 'progress':
      if (msg.runId !== runId) return;
      status.textContent = `${msg.done}/${msg.total} · ${msg.perSecond.toFixed(1)} per second${
        msg.etaSeconds !== null && msg.done < msg.total ? ` · about ${Math.ceil(msg.etaSeconds)} s left` : ''
      }`;
      return;
    case 'finished':
      if (msg.runId === runId) finished(msg);
      return;
    case 'summary':
      if (msg.runId === runId) summary.show(msg.summary, decoderLabel);
      return;
    case 'problem':
      showProblem(msg.severity, msg.message);
      if (msg.severity === 'error' && running) setRunning(false);
      return;
    case 'select':
      table.select(msg.row, true);
      return;
    case 'rowSet':
      rowSet(msg);
      return;
    case 'apply':
      applyPatch(msg.patch);
      return;
    default: {
      const unhandled: never = msg;
      void unhandled;
    }
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const msg = asToDatasetWebview(e.data, layout);
  if (!msg) return;
  try {
    handle(msg);
  } catch (err) {
    api.post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
});

api.post({ type: 'ready', version: DATASET_PROTOCOL_VERSION });
