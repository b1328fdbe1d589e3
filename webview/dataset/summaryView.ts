/**
 * The summary above the table: per (model, decoder) the per-image mean ± sd and median of Dice, pooled Dice and
 * pixel accuracy side by side with the sentence explaining their gap on this set, a Dice histogram; the per-class
 * table; paired comparisons (decoder A vs B, model A vs B) with wins/ties/losses and the bootstrap interval; the
 * label-free ranking check (Spearman ρ of expected vs true Dice, with a scatter plot); the tuned threshold labelled
 * optimistic; the label-error candidates ("check this label"), each opening its image.
 */
import type { DatasetSummary, DecoderSummary } from '../../src/protocol/dataset';
import { el } from '../dom';
import { formatNullable, formatPercent, formatSigned } from './format';

export interface SummaryHooks {
  /** A "check this label" candidate (its index in the summary, and its table row) was clicked. */
  openCandidate(index: number, row: number): void;
  /** A confusion-matrix cell was clicked: show its images in the table. */
  cell(model: string, decoder: string, gt: number, pred: number): void;
  /** Expected and true Dice of a (model, decoder) for the scatter plot, by row. */
  scatter(model: string, decoder: string): { expected: number[]; truth: number[] };
}

function spreadText(s: { mean: number | null; sd: number | null; n: number }): string {
  if (s.mean === null) return '—';
  return `${s.mean.toFixed(3)}${s.sd !== null ? ` ± ${s.sd.toFixed(3)}` : ''}`;
}

function table(headers: string[], rows: (string | HTMLElement)[][], className = 'stats'): HTMLTableElement {
  const t = el('table', className);
  const hr = el('tr');
  for (const h of headers) hr.append(el('th', undefined, h));
  t.append(hr);
  for (const r of rows) {
    const tr = el('tr');
    for (const c of r) {
      const td = el('td');
      if (typeof c === 'string') td.textContent = c;
      else td.append(c);
      tr.append(td);
    }
    t.append(tr);
  }
  return t;
}

function histogramEl(h: number[]): HTMLElement {
  const box = el('div', 'histogram');
  box.title = 'Per-image Dice in ten bins from 0 (left) to 1 (right)';
  const max = Math.max(1, ...h);
  h.forEach((count, i) => {
    const bar = el('div', 'bar');
    bar.style.height = `${Math.round((count / max) * 100)}%`;
    bar.title = `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}: ${count} images`;
    box.append(bar);
  });
  return box;
}

function scatterEl(points: { expected: number[]; truth: number[] }, rho: number | null): HTMLElement {
  const size = 150;
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  c.className = 'scatter';
  c.title = `Expected Dice (x) against true Dice (y), one dot per image; Spearman ρ = ${formatNullable(rho, 2)}`;
  const g = c.getContext('2d');
  if (!g) return c;
  const style = getComputedStyle(document.body);
  const fg = style.getPropertyValue('--vscode-foreground').trim() || '#888';
  const accent = style.getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
  g.strokeStyle = fg;
  g.globalAlpha = 0.4;
  g.strokeRect(0.5, 0.5, size - 1, size - 1);
  g.beginPath();
  g.moveTo(0, size);
  g.lineTo(size, 0);
  g.stroke();
  g.globalAlpha = 0.8;
  g.fillStyle = accent;
  for (let i = 0; i < points.expected.length; i++) {
    const x = points.expected[i];
    const y = points.truth[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    g.fillRect(x * (size - 4) + 1, (1 - y) * (size - 4) + 1, 3, 3);
  }
  return c;
}

/** A titled block of the summary. */
function block(title: string, className = 'block'): HTMLElement {
  const box = el('div', className);
  box.append(el('h3', undefined, title));
  return box;
}

function headLine(s: DatasetSummary): HTMLElement {
  const head = el('div', 'summary-head');
  head.append(
    el(
      'span',
      undefined,
      `${s.evaluated} of ${s.images} images evaluated${s.skipped ? ` · ${s.skipped} skipped (flag "skipped"; hover for why)` : ''} · ${s.withGt} with ground truth`,
    ),
  );
  return head;
}

/** Per class: the first (model, decoder) in full and the others' Dice beside it. */
function perClassBlock(s: DatasetSummary, decoderLabel: (d: string) => string): HTMLElement | undefined {
  const first = s.perDecoder[0];
  if (!first || first.perClass.length === 0) return undefined;
  const others = s.perDecoder.slice(1);
  const headers = [
    'Class',
    'Images with it',
    `Dice (${decoderLabel(first.decoder)})`,
    'median',
    'pooled',
    'IoU',
    'HD95',
    ...others.map((o) => `Dice ${decoderLabel(o.decoder)}${o.model !== first.model ? ` · ${o.model}` : ''}`),
  ];
  const rows = first.perClass.map((c, i) => [
    c.name,
    String(c.imagesWithClass),
    spreadText(c.dice),
    formatNullable(c.dice.median),
    formatNullable(c.pooledDice),
    spreadText(c.iou),
    formatNullable(c.hd95.mean, 1),
    ...others.map((o) => spreadText(o.perClass[i]?.dice ?? { mean: null, sd: null, n: 0 })),
  ]);
  const box = block(`Per class${s.perDecoder.length > 1 ? ` — ${first.model}` : ''}`);
  box.append(table(headers, rows));
  return box;
}

function comparisonsBlock(s: DatasetSummary): HTMLElement | undefined {
  if (!s.comparisons.length) return undefined;
  const box = block('Paired comparisons (per-image Dice, A − B)');
  box.append(
    table(
      ['A vs B', 'wins', 'ties', 'losses', 'mean difference', '95 % bootstrap interval', 'images'],
      s.comparisons.map((c) => {
        const verdict = el('span', undefined, formatSigned(c.meanDiff));
        if (c.ci && (c.ci[0] > 0 || c.ci[1] < 0)) verdict.classList.add(c.ci[0] > 0 ? 'better' : 'worse');
        return [
          c.label,
          String(c.wins),
          String(c.ties),
          String(c.losses),
          verdict,
          c.ci ? `[${formatSigned(c.ci[0])}, ${formatSigned(c.ci[1])}] (${c.resamples} resamples)` : '—',
          String(c.n),
        ];
      }),
    ),
    el(
      'div',
      'muted',
      'Wins: images where A’s Dice is higher than B’s by more than 1e-9. The interval resamples the images with their pairs (seeded); an interval that excludes 0 is a difference on this set, not a fluke of a few images.',
    ),
  );
  return box;
}

function tunedBlock(s: DatasetSummary): HTMLElement | undefined {
  if (!s.tuned.length) return undefined;
  const box = block('Threshold tuned on this set (optimistic)');
  box.append(
    table(
      ['Model', 'Class', 'Threshold', 'Dice at it', 'Dice at 0.5'],
      s.tuned.map((t) => [
        t.model,
        t.className,
        t.threshold.toFixed(2),
        formatNullable(t.dice),
        formatNullable(t.atHalf),
      ]),
    ),
    el(
      'div',
      'muted',
      'Tuned and scored on the same images, so its score is optimistic: tune on one split, report on another.',
    ),
  );
  return box;
}

export class SummaryView {
  readonly element = el('section', 'summary');

  constructor(private readonly hooks: SummaryHooks) {}

  clear(text = ''): void {
    this.element.replaceChildren();
    if (text) this.element.append(el('div', 'muted', text));
  }

  show(s: DatasetSummary, decoderLabel: (d: string) => string): void {
    const withModel = s.perDecoder.length > 2 || new Set(s.perDecoder.map((x) => x.model)).size > 1;
    const cards = el('div', 'cards');
    for (const d of s.perDecoder) cards.append(this.card(d, decoderLabel, withModel));
    const sections = [
      headLine(s),
      cards,
      perClassBlock(s, decoderLabel),
      this.confusionBlock(s, decoderLabel),
      comparisonsBlock(s),
      this.rankingBlock(s, decoderLabel),
      tunedBlock(s),
      this.labelErrorsBlock(s),
    ];
    this.element.replaceChildren(...sections.filter((x): x is HTMLElement => x !== undefined));
  }

  /** Class confusion: pixels per (GT class, predicted class); a cell lists its images in the table. */
  private confusionBlock(s: DatasetSummary, decoderLabel: (d: string) => string): HTMLElement | undefined {
    const matrices = s.perDecoder.filter((d) => d.confusion);
    if (!matrices.length) return undefined;
    const box = block(
      'Class confusion (pixels, ground truth × prediction) — click a cell to list its images',
    );
    const row = el('div', 'plots');
    for (const d of matrices) {
      const fig = el('figure');
      fig.append(this.confusion(d, s.classNames));
      fig.append(el('figcaption', undefined, `${decoderLabel(d.decoder)} · ${d.model}`));
      row.append(fig);
    }
    box.append(row);
    return box;
  }

  /** Label-free ranking: how far to trust expected Dice where there are no labels. */
  private rankingBlock(s: DatasetSummary, decoderLabel: (d: string) => string): HTMLElement {
    const rank = block('Ranking without labels: expected Dice vs true Dice', 'block ranking');
    const plots = el('div', 'plots');
    const severalModels = s.perDecoder.some((x) => x.model !== s.perDecoder[0]?.model);
    for (const d of s.perDecoder) {
      const fig = el('figure');
      fig.append(scatterEl(this.hooks.scatter(d.model, d.decoder), d.ranking.rho));
      fig.append(
        el(
          'figcaption',
          undefined,
          `${decoderLabel(d.decoder)}${severalModels ? ` · ${d.model}` : ''}: ρ = ${formatNullable(d.ranking.rho, 2)} (${d.ranking.n} images)`,
        ),
      );
      plots.append(fig);
    }
    rank.append(
      plots,
      el(
        'div',
        'muted',
        'Spearman ρ near 1: sorting unlabelled images by expected Dice (column E[Dice]) finds the bad ones; near 0: it does not on this kind of data.',
      ),
    );
    return rank;
  }

  /** "Check these labels": each candidate opens its image zoomed to the region, with the error map. */
  private labelErrorsBlock(s: DatasetSummary): HTMLElement {
    const errs = block(`Check these labels (${s.labelErrors.length})`, 'block label-errors');
    if (s.labelErrors.length === 0) {
      errs.append(el('div', 'muted', 'No confident disagreement with the ground truth.'));
      return errs;
    }
    const list = el('ol');
    s.labelErrors.slice(0, 50).forEach((c, index) => {
      const li = el('li');
      const a = el('a', undefined, `${c.id} · ${c.className}`);
      a.href = '#';
      a.title = c.region
        ? `Open this image in the viewer at the region (x ${c.region.x}, y ${c.region.y}, ${c.region.width} × ${c.region.height} px)`
        : 'Open this image in the viewer';
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        this.hooks.openCandidate(index, c.row);
      });
      li.append(
        a,
        el('span', 'score', ` score ${c.score.toFixed(2)}`),
        el('span', 'muted', ` — ${c.detail} (${c.model})`),
      );
      list.append(li);
    });
    errs.append(
      list,
      el(
        'div',
        'muted',
        'Score: the mean confidence of the model over the largest-scoring connected region where it disagrees with the label (1 − p over missed pixels, p over spurious ones); regions under 10 px are ignored. Listed by score × the model’s mean Dice on this set, so a model that disagrees with every label does not crowd out one that mostly agrees. A click opens the image zoomed to that region with the error map.',
      ),
    );
    return errs;
  }

  private confusion(d: DecoderSummary, names: string[]): HTMLElement {
    const m = d.confusion ?? [];
    const t = el('table', 'stats confusion');
    const head = el('tr');
    head.append(el('th', undefined, 'GT \\ pred'));
    m.forEach((_, p) => head.append(el('th', undefined, names[p] ?? String(p))));
    t.append(head);
    m.forEach((counts, g) => {
      const tr = el('tr');
      tr.append(el('th', undefined, names[g] ?? String(g)));
      const total = counts.reduce((a, b) => a + b, 0);
      counts.forEach((n, p) => {
        const td = el(
          'td',
          'num',
          n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : String(n),
        );
        const share = total > 0 ? n / total : 0;
        td.classList.add(g === p ? 'diag' : 'off');
        td.style.setProperty('--share', String(share));
        td.title = `${n} pixels of ${names[g] ?? g} predicted as ${names[p] ?? p} (${(share * 100).toFixed(1)} % of the class's GT pixels)`;
        if (n > 0) {
          td.classList.add('link');
          td.addEventListener('click', () => this.hooks.cell(d.model, d.decoder, g, p));
        }
        tr.append(td);
      });
      t.append(tr);
    });
    return t;
  }

  private card(d: DecoderSummary, decoderLabel: (d: string) => string, withModel: boolean): HTMLElement {
    const c = el('div', 'card');
    c.append(el('h3', undefined, `${decoderLabel(d.decoder)}${withModel ? ` · ${d.model}` : ''}`));
    const grid = el('div', 'numbers');
    const cell = (label: string, value: string, title: string) => {
      const b = el('div', 'number');
      b.title = title;
      b.append(el('div', 'value', value), el('div', 'label', label));
      grid.append(b);
    };
    cell(
      'per-image Dice (mean ± sd)',
      spreadText(d.dice),
      `Mean over ${d.dice.n} images of each image's Dice`,
    );
    cell('median', formatNullable(d.dice.median), 'Half the images score below this');
    cell(
      'pooled Dice',
      formatNullable(d.pooledDice),
      'Dice of all pixels of all images and classes pooled (micro)',
    );
    cell(
      'pixel accuracy',
      formatPercent(d.pixelAccuracy),
      'Correct pixels over all pixels, background included',
    );
    c.append(grid, histogramEl(d.histogram), el('p', 'gap', d.gapSentence));
    return c;
  }
}
