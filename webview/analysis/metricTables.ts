/**
 * The metric core's IMAGE object of decoder A, per class: pixel counts, overlap, surface distances, objects and
 * calibration, with the macro row and the conventions written under the table.
 */
import type { DecoderView } from '../../src/core/viewmodel/analysisTypes';
import { el } from '../dom';
import { fmt, type Num } from './format';

export class MetricTables {
  readonly element = el('div', 'metric-tables');

  constructor(private readonly className: (k: number) => string) {}

  clear(): void {
    this.element.replaceChildren();
  }

  /** No ground truth of the sample's size: nothing to measure against. */
  renderNoGt(): void {
    this.element.replaceChildren(
      el('h3', undefined, 'Metrics'),
      el(
        'div',
        'muted',
        'Metrics against the ground truth need a ground truth of the same size; none is available for this sample.',
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
    const table = el('table');
    const cols = [
      'Class',
      'GT px',
      'Pred px',
      'Case',
      'TP',
      'FP',
      'FN',
      'Dice',
      'IoU',
      'Precision',
      'Recall',
      'HD95 (px)',
      'ASSD (px)',
      'NSD',
      'Objects GT/pred',
      'matched / missed / spurious',
      'ECE',
    ];
    const head = el('tr');
    for (const c of cols) head.append(el('th', undefined, c));
    table.append(head);
    for (const [cls, c] of Object.entries(m.perClass)) {
      const o = c.objects['8'];
      const ece = m.calibration?.perClass[cls]?.ece as Num;
      const tr = el('tr');
      const cells = [
        this.className(Number(cls)),
        fmt(c.gtPixels),
        fmt(c.predPixels),
        c.emptyCase === 'none' ? '' : c.emptyCase.replace(/_/g, ' '),
        fmt(c.counts.tp),
        fmt(c.counts.fp),
        fmt(c.counts.fn),
        fmt(c.overlap.dice as Num),
        fmt(c.overlap.iou as Num),
        fmt(c.overlap.precision as Num),
        fmt(c.overlap.recall as Num),
        fmt(c.surface.hd95 as Num, 2),
        fmt(c.surface.assd as Num, 2),
        fmt(c.surface.nsd as Num),
        o ? `${o.nGt} / ${o.nPred}` : '—',
        o ? `${o.tp} / ${o.fn} / ${o.fp}` : '—',
        fmt(ece),
      ];
      for (const x of cells) tr.append(el('td', undefined, x));
      table.append(tr);
    }
    const macro = m.macroPresentClasses;
    const mr = el('tr');
    const mm = macro.metrics;
    const macroCells = new Array<string>(cols.length).fill('');
    macroCells[0] = `macro (${mm.dice.nClasses} classes)`;
    macroCells[7] = fmt(mm.dice.value as Num);
    macroCells[8] = fmt(mm.iou.value as Num);
    macroCells[9] = fmt(mm.precision.value as Num);
    macroCells[10] = fmt(mm.recall.value as Num);
    for (const x of macroCells) mr.append(el('td', undefined, x));
    table.append(mr);
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
      el('h3', undefined, `Metrics of ${v.label} (the metric core's IMAGE object)`),
      table,
      conv,
    );
  }
}
