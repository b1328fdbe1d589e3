/**
 * The metric core's IMAGE object of decoder A, per class: pixel counts, overlap, surface distances, objects and
 * calibration, with the macro row and the conventions written under the table.
 */
import { noGroundTruth } from '../../src/core/viewmodel/noGroundTruth';
import type { DecoderView } from '../../src/core/viewmodel/analysisTypes';
import { el } from '../dom';
import { METRIC_HELP } from './explain';
import { fmt, type Num } from './format';
import type { ObjectTable } from './objectTable';

export class MetricTables {
  readonly element = el('div', 'metric-tables');

  constructor(private readonly className: (k: number) => string) {}

  clear(): void {
    this.element.replaceChildren();
  }

  /** No ground truth to use (`why`: src/core/viewmodel/noGroundTruth): nothing to measure against. */
  renderNoGt(why: string): void {
    this.element.replaceChildren(
      el('h3', undefined, 'Metrics'),
      el(
        'div',
        'muted',
        `${why} Metrics against the ground truth need one of the map's size, with classes the map covers.`,
      ),
    );
  }

  /** Decoder A's metrics have not arrived (or it cannot run). */
  renderPending(name: string, unavailable?: string): void {
    this.element.replaceChildren(
      el('h3', undefined, `Metrics of ${name}`),
      el('div', 'muted', unavailable ? `n/a: ${unavailable}` : 'computing…'),
    );
  }

  render(v: DecoderView): void {
    const m = v.metrics;
    if (!m) return this.renderPending(v.label, v.unavailable);
    const entries = Object.entries(m.perClass);
    const macro = m.macroPresentClasses;
    const mm = macro.metrics;
    // Three narrow tables instead of one 17-column one: the side area never scrolls sideways.
    const table = (cols: [string, string][], rows: string[][]) => {
      const t = el('table');
      const head = el('tr');
      for (const [c, tip] of cols) {
        const th = el('th', undefined, c);
        const help = METRIC_HELP[c] ?? tip;
        if (help) th.title = help;
        head.append(th);
      }
      t.append(head);
      for (const r of rows) {
        const tr = el('tr');
        for (const x of r) tr.append(el('td', undefined, x));
        t.append(tr);
      }
      return t;
    };
    const overlap = table(
      [
        ['Class', ''],
        ['Dice', '2·TP / (2·TP + FP + FN)'],
        ['IoU', 'TP / (TP + FP + FN)'],
        ['Precision', 'TP / (TP + FP)'],
        ['Recall', 'TP / (TP + FN)'],
        ['ECE', 'Expected calibration error: 15 equal-width bins, one-vs-rest'],
      ],
      [
        ...entries.map(([cls, c]) => [
          this.className(Number(cls)),
          fmt(c.overlap.dice as Num),
          fmt(c.overlap.iou as Num),
          fmt(c.overlap.precision as Num),
          fmt(c.overlap.recall as Num),
          fmt(m.calibration?.perClass[cls]?.ece as Num),
        ]),
        [
          `macro (${mm.dice.nClasses} classes)`,
          fmt(mm.dice.value as Num),
          fmt(mm.iou.value as Num),
          fmt(mm.precision.value as Num),
          fmt(mm.recall.value as Num),
          '',
        ],
      ],
    );
    overlap.classList.add('overlap');
    const counts = table(
      [
        ['Class', ''],
        ['GT px', 'Pixels of the class in the ground truth'],
        ['Pred px', 'Pixels of the class in the prediction'],
        ['TP', 'True positives: predicted and true'],
        ['FP', 'False positives: predicted, not true'],
        ['FN', 'False negatives: true, not predicted'],
        ['Case', 'Which side is empty, when one is'],
      ],
      entries.map(([cls, c]) => [
        this.className(Number(cls)),
        fmt(c.gtPixels),
        fmt(c.predPixels),
        fmt(c.counts.tp),
        fmt(c.counts.fp),
        fmt(c.counts.fn),
        c.emptyCase === 'none' ? '' : c.emptyCase.replace(/_/g, ' '),
      ]),
    );
    counts.classList.add('counts');
    const surface = table(
      [
        ['Class', ''],
        ['HD95', '95th percentile Hausdorff distance between the boundaries, in pixels'],
        ['ASSD', 'Average symmetric surface distance, in pixels'],
        ['NSD', 'Normalised surface distance: share of boundary within the tolerance'],
        ['Objects GT / pred', '8-connected components in the ground truth / the prediction'],
        [
          'matched / missed / spurious',
          'Objects matched with IoU > 0.5, GT objects missed, predicted objects matching none',
        ],
      ],
      entries.map(([cls, c]) => {
        const o = c.objects['8'];
        return [
          this.className(Number(cls)),
          fmt(c.surface.hd95 as Num, 2),
          fmt(c.surface.assd as Num, 2),
          fmt(c.surface.nsd as Num),
          o ? `${o.nGt} / ${o.nPred}` : '—',
          o ? `${o.tp} / ${o.fn} / ${o.fp}` : '—',
        ];
      }),
    );
    surface.classList.add('surface');
    const conv = el(
      'div',
      'conventions',
      `Per image, per class (background not reported). Pixel accuracy ${fmt(m.pixelAccuracy as Num)} over all classes incl. background. ` +
        `Macro = mean over the ${macro.classes.length} classes present in the ground truth or the prediction (${macro.classes.join(', ') || 'none'}); classes empty on both sides are skipped there and score 1 in their own row (bothEmpty "best"). ` +
        'Distances in pixels (no spacing known); "undefined" = a side is empty (never shown as 0), ∞ = distance to an empty set. ' +
        'Objects: 8-connected components, matched when IoU > 0.5. ECE: 15 equal-width bins, one-vs-rest. ' +
        (v.threshold !== undefined ? `Computed at threshold ${v.threshold}.` : ''),
    );
    this.element.replaceChildren(
      el('h3', undefined, `Metrics of ${v.label}`),
      overlap,
      el('h3', undefined, 'Pixel counts'),
      counts,
      el('h3', undefined, 'Distances and objects'),
      surface,
      conv,
    );
  }
}

/** Decoder A's metric and object tables, or why there are none yet (no ground truth, still computing, n/a). */
export function renderMetricsOf(
  metrics: MetricTables,
  objects: ObjectTable,
  hasGt: boolean,
  v: DecoderView | undefined,
  name: string,
  /** Why there is no ground truth, when hasGt is false. */
  noGt = noGroundTruth(undefined),
): void {
  if (!hasGt) metrics.renderNoGt(noGt);
  else if (!v?.metrics) metrics.renderPending(name, v?.unavailable);
  else {
    metrics.render(v);
    objects.render(v);
    return;
  }
  objects.clear();
}
