/**
 * The decoders table: per decoder its k (pixels selected over all classes), k against the threshold's, the expected
 * Dice/IoU (no ground truth needed) and, with a ground truth, the macro Dice/IoU against it. The threshold row
 * follows the slider live; a click on a decoder's name makes it decoder A.
 */
import { noGroundTruth } from '../../src/core/viewmodel/noGroundTruth';
import {
  ANALYSIS_DECODERS,
  type AnalysisDecoder,
  type DecoderView,
} from '../../src/core/viewmodel/analysisTypes';
import { el } from '../dom';
import { fmt, type Num } from './format';
import { METRIC_HELP, decoderHelp, whyRankK } from './explain';
import { DECODER_NAMES } from './names';
import type { AnalysisSession } from './session';

export class DecoderTable {
  readonly element = el('div', 'decoder-table');

  constructor(
    private readonly onChoose: (d: AnalysisDecoder) => void,
    private readonly className: (k: number) => string = String,
  ) {}

  clear(): void {
    this.element.replaceChildren();
  }

  render(session: AnalysisSession, decoderA: AnalysisDecoder): void {
    const base = session.base;
    if (!base) return;
    const hasGt = base.hasGt;
    const table = el('table');
    const head = el('tr');
    // Header tooltips say what each number is and where it is defined (explain.ts).
    const cols: [string, string][] = ['Decoder', 'k', 'Δk', 'E[Dice]', 'E[IoU]'].map((c) => [
      c,
      METRIC_HELP[c],
    ]);
    if (hasGt)
      cols.push(
        [
          'Dice',
          `Macro Dice against the ground truth over the classes present in it or in the prediction. ${METRIC_HELP.Dice}`,
        ],
        ['IoU', `Macro IoU against the ground truth over the same classes. ${METRIC_HELP.IoU}`],
      );
    for (const [c, tip] of cols) {
      const th = el('th', undefined, c);
      th.title = tip;
      head.append(th);
    }
    table.append(head);
    const kOf = (v: DecoderView | undefined) => (v ? v.perClass.reduce((a, c) => a + c.k, 0) : undefined);
    const thresholdK = session.thresholdSelected();
    for (const d of ANALYSIS_DECODERS) {
      const v = session.views.get(d);
      const tr = el('tr');
      tr.dataset.decoder = d;
      if (d === decoderA) tr.className = 'current';
      const name = el('td');
      const btn = el('button', 'link', v?.label ?? DECODER_NAMES[d]);
      btn.title = `${decoderHelp(d)} Click: show it as decoder A.`;
      btn.addEventListener('click', () => this.onChoose(d));
      name.append(btn);
      tr.append(name);
      const live = d === 'threshold' && session.thresholdIsLive();
      const k = d === 'threshold' ? session.thresholdSelected() : kOf(v);
      const cells: string[] = [
        v?.unavailable ? '—' : fmt(k),
        v?.unavailable || k === undefined || thresholdK === undefined
          ? '—'
          : `${k - thresholdK >= 0 ? '+' : ''}${k - thresholdK}`,
        live ? '…' : fmt(v?.meanExpectedDice),
        live ? '…' : fmt(v?.meanExpectedIoU),
      ];
      if (hasGt) {
        if (d === 'threshold' && session.engine) {
          const m = session.liveMacro();
          cells.push(fmt(m.dice), fmt(m.iou));
        } else if (live) {
          // A large map's worker mask is newer than the host's metrics: they follow when the slider is released.
          cells.push('…', '…');
        } else {
          const macro = v?.metrics?.macroPresentClasses.metrics;
          cells.push(fmt(macro?.dice.value as Num), fmt(macro?.iou.value as Num));
        }
      }
      for (const c of cells) tr.append(el('td', undefined, c));
      table.append(tr);
      // The notes get their own line under the numbers: a column of prose would squeeze the numbers.
      const why = v ? whyRankK(v, this.className, thresholdK, base.sorted?.[0]) : undefined;
      const notes = v?.unavailable
        ? `n/a: ${v.unavailable}`
        : [why, ...(v?.notes ?? [])].filter(Boolean).join(' ') || (v ? '' : 'computing…');
      if (notes) {
        const nr = el('tr', d === decoderA ? 'notes-row current' : 'notes-row');
        nr.dataset.notesOf = d;
        const td = el('td', 'notes', notes);
        td.colSpan = cols.length;
        nr.append(td);
        table.append(nr);
      }
    }
    const note = el(
      'div',
      'conventions',
      `E[Dice]/E[IoU]: expected scores of each mask if every pixel's label were an independent Bernoulli(p) — no ground truth needed; mean over the ${base.layout.numClasses - 1} foreground classes, per image. ` +
        (hasGt
          ? 'Dice/IoU: against the ground truth, macro over the classes present in the ground truth or the prediction (the threshold row updates live while you drag).'
          : `${noGroundTruth(base)} Dice/IoU against it are hidden; the expected scores are still shown.`),
    );
    this.element.replaceChildren(table, note);
  }
}
