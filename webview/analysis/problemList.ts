/** The analysis problems under the controls, each with the fixes the user may accept (never applied silently). */
import type { AnalysisConsent } from '../../src/protocol';
import { el } from '../dom';

const OFFER_LABELS: Record<AnalysisConsent, string> = {
  resize: 'Resize the probability map',
  sigmoid: 'Convert with sigmoid',
  softmax: 'Convert with softmax',
};

export class ProblemList {
  readonly element = el('div', 'problems-list');

  constructor(private readonly onConsent: (c: AnalysisConsent) => void) {}

  clear(): void {
    this.element.replaceChildren();
  }

  /** One problem with a button per accepted fix; `alert` announces it to screen readers. */
  add(message: string, offers: readonly AnalysisConsent[], alert = true): void {
    const row = el('div', 'row problem');
    if (alert) row.setAttribute('role', 'alert');
    row.append(el('span', undefined, message));
    for (const o of offers) {
      const b = el('button', 'act', OFFER_LABELS[o]);
      b.addEventListener('click', () => this.onConsent(o));
      row.append(b);
    }
    this.element.append(row);
  }
}
