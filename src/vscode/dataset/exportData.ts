/**
 * The dataset view's exports: the table (one row per image, every model × decoder × metric, macro and per class)
 * as CSV or JSON, and the summary (per decoder, per class, comparisons, label-error candidates) as JSON or CSV.
 * Numbers are written in full precision; an undefined value is "NaN" and a distance to an empty set "Infinity",
 * as `seglens eval` writes them. Rows are in id order (the plan's order), whatever the table's sort.
 * Pure: the panel writes the bytes through the save dialog (analysis/exportFile.ts: asks, then writes atomically).
 */
import { csvCell as coreCsvCell } from '../../core/csv';
import { ROW_FLAG_NAMES, ROW_FLAGS, type DatasetSummary, type ExportWhat } from '../../protocol/dataset';
import type { RowStore } from './rowStore';

/** A number as `seglens eval` writes it: finite as is, NaN and ±Infinity as strings. */
export function jsonNumber(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** A table cell: numbers as the JSON export writes them, text through the one CSV writer (src/core/csv). */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  return typeof v === 'number' ? String(jsonNumber(v)) : coreCsvCell(v);
}

function flagList(bits: number): string[] {
  return ROW_FLAG_NAMES.filter((f) => (bits & ROW_FLAGS[f]) !== 0);
}

function scopeName(store: RowStore, s: number): string {
  return s === 0 ? 'all' : store.layout.scopes[s].label;
}

export function tableCsv(store: RowStore): string {
  const { layout } = store;
  const header = ['id', 'flags', 'error'];
  const cols: [number, number, number, number][] = [];
  layout.models.forEach((model, m) =>
    layout.decoders.forEach((decoder, d) =>
      layout.scopes.forEach((_, s) =>
        layout.metrics.forEach((metric, k) => {
          header.push(`${model}/${decoder}/${scopeName(store, s)}/${metric}`);
          cols.push([m, d, s, k]);
        }),
      ),
    ),
  );
  const lines = [header.map(csvCell).join(',')];
  for (let r = 0; r < store.total; r++) {
    if (!store.isComplete(r)) continue;
    const cells: (string | number)[] = [
      store.items[r].id,
      flagList(store.flags[r]).join(' '),
      store.errors[r],
    ];
    for (const [m, d, s, k] of cols) cells.push(store.value(r, m, d, s, layout.metrics[k]));
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

export function tableJson(
  store: RowStore,
  meta: { root: string; classes: { index: number; name: string }[] },
) {
  const { layout } = store;
  const rows = [];
  for (let r = 0; r < store.total; r++) {
    if (!store.isComplete(r)) continue;
    const item = store.items[r];
    const metrics: Record<string, Record<string, Record<string, Record<string, number | string>>>> = {};
    layout.models.forEach((model, m) => {
      metrics[model] = {};
      layout.decoders.forEach((decoder, d) => {
        const perScope: Record<string, Record<string, number | string>> = {};
        layout.scopes.forEach((_, s) => {
          const v: Record<string, number | string> = {};
          for (const metric of layout.metrics) v[metric] = jsonNumber(store.value(r, m, d, s, metric));
          perScope[scopeName(store, s)] = v;
        });
        metrics[model][decoder] = perScope;
      });
    });
    rows.push({
      id: item.id,
      flags: flagList(store.flags[r]),
      ...(store.errors[r] ? { error: store.errors[r] } : {}),
      files: { image: item.image, gt: item.gt, probs: item.probs },
      metrics,
    });
  }
  return {
    root: meta.root,
    models: layout.models,
    decoders: layout.decoders,
    classes: meta.classes,
    definitions: {
      dice: 'per image: mean over the included classes (both-empty classes count as 1), as seglens eval meanDice',
      'iou, precision, recall, hd95':
        'per image: mean over the included classes with a defined value (hd95: Infinity when every defined class has an empty side)',
      expectedDice:
        'exact expected Dice of the decoded mask under the probability map (no ground truth needed)',
    },
    rows,
  };
}

export function summaryJson(summary: DatasetSummary, meta: { root: string }) {
  const clean = JSON.parse(JSON.stringify(summary)) as DatasetSummary;
  return { root: meta.root, ...clean };
}

type CsvRow = (string | number | null)[];

/** Per (model, decoder): the headline numbers with the gap sentence, each class's Dice, Spearman ρ. */
function decoderRows(s: DatasetSummary['perDecoder'][number]): CsvRow[] {
  const { model, decoder } = s;
  const d = s.dice;
  return [
    [
      'dice',
      model,
      decoder,
      'all',
      d.n,
      d.mean,
      d.sd,
      d.median,
      s.pooledDice,
      s.pixelAccuracy,
      s.gapSentence,
    ],
    ...s.perClass.map((c): CsvRow => {
      const cd = c.dice;
      return ['class_dice', model, decoder, c.name, cd.n, cd.mean, cd.sd, cd.median, c.pooledDice, null, ''];
    }),
    [
      'expected_vs_true_spearman',
      model,
      decoder,
      'all',
      s.ranking.n,
      s.ranking.rho,
      null,
      null,
      null,
      null,
      '',
    ],
  ];
}

export function summaryCsv(summary: DatasetSummary): string {
  const lines: string[] = [];
  const row = (cells: CsvRow) => lines.push(cells.map(csvCell).join(','));
  const head = ['section', 'model', 'decoder', 'class', 'n', 'mean', 'sd', 'median'];
  row([...head, 'pooled_dice', 'pixel_accuracy', 'note']);
  for (const s of summary.perDecoder) decoderRows(s).forEach(row);
  lines.push('');
  row(['comparison', 'kind', 'a', 'b', 'n', 'wins', 'ties', 'losses', 'mean_diff', 'ci_low', 'ci_high']);
  for (const c of summary.comparisons) {
    const ci = c.ci ?? [null, null];
    row([c.label, c.kind, c.a, c.b, c.n, c.wins, c.ties, c.losses, c.meanDiff, ci[0], ci[1]]);
  }
  lines.push('');
  row(['label_error', 'id', 'class', 'model', 'score', 'detail', 'x', 'y', 'width', 'height']);
  for (const e of summary.labelErrors) {
    const r = e.region;
    row([
      'label_error',
      e.id,
      e.className,
      e.model,
      e.score,
      e.detail,
      r?.x ?? null,
      r?.y ?? null,
      r?.width ?? null,
      r?.height ?? null,
    ]);
  }
  if (summary.tuned.length) {
    lines.push('');
    row(['tuned_threshold_optimistic', 'model', 'class', 'threshold', 'image_mean_dice']);
    for (const t of summary.tuned)
      row(['tuned_threshold_optimistic', t.model, t.className, t.threshold, t.dice]);
  }
  return lines.join('\n') + '\n';
}

/** The text of one export and its file extension. `summary` is needed for the summary exports. */
export function exportText(
  what: ExportWhat,
  store: RowStore,
  summary: DatasetSummary | undefined,
  meta: { root: string; classes: { index: number; name: string }[] },
): { text: string; ext: 'csv' | 'json' } {
  if (what === 'table-csv') return { text: tableCsv(store), ext: 'csv' };
  if (what === 'table-json') return { text: JSON.stringify(tableJson(store, meta), null, 1), ext: 'json' };
  if (!summary) throw new RangeError('no summary to export yet');
  if (what === 'summary-json')
    return { text: JSON.stringify(summaryJson(summary, meta), null, 1), ext: 'json' };
  return { text: summaryCsv(summary), ext: 'csv' };
}
