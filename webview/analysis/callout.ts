/**
 * The callout shown when no pixel reaches the threshold. A map whose largest probability is 0.004 (the demo's
 * Dice-axis-bug model) shows an empty heatmap, an empty threshold mask, RankDice's few ranked pixels and a tuned
 * threshold of 0 — each puzzling on its own. The callout says why in one place: the map's maximum, what the ranking
 * decoders do with such a map, and where the cause most likely is — the loss code, with the workspace's lint
 * findings and a link that opens the file at its first finding (the host sends them in the 'explain' event).
 */
import type { LossLintSummary } from '../../src/protocol';
import { el } from '../dom';

/** A probability as the callout writes it: three significant digits (0.00412), never rounded to 0. */
export function probText(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  if (p === 0) return '0';
  return p >= 0.01 ? String(Number(p.toFixed(3))) : String(Number(p.toPrecision(3)));
}

/** Files linked by name in the callout; the rest are counted ("and 12 more files"). */
export const MAX_LINKED_FILES = 3;

/** The callout's sentences (pure, for tests): empty when some pixel reaches the threshold. */
export function calloutParts(
  maxProb: number,
  threshold: number,
  lint: LossLintSummary | undefined,
): { lead: string; lint?: { before: string; files: LossLintSummary['files'] }; after: string } | undefined {
  // The threshold decoder selects p > t: with max ≤ t nothing is selected.
  if (!(maxProb <= threshold)) return undefined;
  const lead =
    `No pixel reaches the threshold ${threshold}: the largest probability in this map is ${probText(maxProb)}. ` +
    'A model this unsure everywhere usually learned from a broken loss.';
  const after =
    'Top-k and RankDice still select their k most probable pixels, and a tuned threshold of 0 selects every pixel: ' +
    'ranks exist even when no probability means "yes".';
  if (!lint) return { lead, after };
  if (lint.findings === 0) {
    return { lead: `${lead} The loss lint found nothing in this workspace's Python files.`, after };
  }
  const n = lint.findings;
  return {
    lead,
    lint: { before: `Look at the loss: ${n} lint finding${n === 1 ? '' : 's'} in`, files: lint.files },
    after,
  };
}

export class ThresholdCallout {
  readonly element = el('div', 'threshold-callout');
  private maxProb: number | undefined;
  private lint: LossLintSummary | undefined;
  private shownFor = '';

  /** `open` asks the host to open a listed file (the analysis 'openLossFile' request). */
  constructor(private readonly open: (uri: string) => void) {
    this.element.hidden = true;
    this.element.setAttribute('role', 'note');
    const s = this.element.style;
    s.border = '1px solid var(--vscode-inputValidation-warningBorder, #b89500)';
    s.background = 'var(--vscode-inputValidation-warningBackground, rgba(184, 149, 0, 0.15))';
    s.padding = '6px 8px';
    s.margin = '4px 0';
    s.borderRadius = '3px';
  }

  /** The host's explanation data for this sample. */
  set(maxProb: number, lint: LossLintSummary | undefined): void {
    this.maxProb = maxProb;
    this.lint = lint;
    this.shownFor = '';
  }

  /** Shows or hides the callout for the threshold on screen (called as the slider moves). */
  update(threshold: number): void {
    const parts = this.maxProb === undefined ? undefined : calloutParts(this.maxProb, threshold, this.lint);
    this.element.hidden = !parts;
    if (!parts) return;
    const key = `${threshold}|${this.maxProb}|${this.lint?.findings}`;
    if (key === this.shownFor) return;
    this.shownFor = key;
    const p = el('p');
    p.style.margin = '0';
    p.append(el('strong', undefined, parts.lead));
    if (parts.lint) {
      p.append(' ', parts.lint.before, ' ');
      const all = parts.lint.files;
      const linked = all.slice(0, MAX_LINKED_FILES);
      const rest = all.length - linked.length;
      linked.forEach((f, i) => {
        if (i > 0) p.append(i === linked.length - 1 && rest === 0 ? ' and ' : ', ');
        const a = el('a', undefined, f.label);
        a.href = '#';
        a.title = `Open ${f.label} at its first finding (line ${f.line + 1})`;
        a.addEventListener('click', (ev) => {
          ev.preventDefault();
          this.open(f.uri);
        });
        p.append(a, all.length > 1 ? ` (${f.findings})` : '');
      });
      if (rest > 0) p.append(` and ${rest} more file${rest === 1 ? '' : 's'}`);
      p.append('.');
    }
    p.append(' ', el('span', 'muted', parts.after));
    this.element.replaceChildren(p);
  }

  clear(): void {
    this.maxProb = undefined;
    this.lint = undefined;
    this.shownFor = '';
    this.element.hidden = true;
    this.element.replaceChildren();
  }
}
