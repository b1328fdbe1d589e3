/**
 * The pairing preview: what the folder holds (matched samples, files left out and why), and the choices of an
 * evaluation — probability folders (several models allowed) and decoders — with the Evaluate button.
 */
import type { DatasetPreview } from '../../src/protocol/dataset';
import { type Checkbox, button, checkbox, el } from '../dom';

export interface SetupHooks {
  evaluate(models: string[], decoders: string[]): void;
  replan(): void;
}

export class SetupView {
  readonly element = el('section', 'setup');
  private preview?: DatasetPreview;
  private readonly models = new Map<string, Checkbox>();
  private readonly decoders = new Map<string, Checkbox>();
  private readonly note = el('div', 'setup-note');
  private collapsed = false;

  constructor(private readonly hooks: SetupHooks) {}

  show(p: DatasetPreview): void {
    // Keep the user's ticks across a re-listing.
    const keepModels = new Set([...this.models].filter(([, c]) => c.checked).map(([n]) => n));
    const keepDecoders = new Set([...this.decoders].filter(([, c]) => c.checked).map(([n]) => n));
    const had = this.preview !== undefined;
    this.preview = p;
    this.models.clear();
    this.decoders.clear();
    const e = this.element;
    e.replaceChildren();
    const head = el('div', 'setup-head');
    head.append(
      el('h2', undefined, `Pairing preview — ${p.root}`),
      el(
        'span',
        'muted',
        `${p.total} samples matched · ${p.unmatchedTotal} files left out · ${p.models.length} probability folder${p.models.length === 1 ? '' : 's'}`,
      ),
    );
    e.append(head);

    const choices = el('div', 'choices');
    const modelBox = el('fieldset', 'choice');
    modelBox.append(el('legend', undefined, 'Probability folders (models)'));
    if (p.models.length === 0)
      modelBox.append(
        el(
          'div',
          'muted',
          'No probability maps found (expected probs/<model>/<stem>.npy or probs/<stem>.npy).',
        ),
      );
    for (const m of p.models) {
      const c = checkbox(`${m.name} — ${m.count} of ${p.total} maps`, () => this.validate());
      c.removeAttribute('label');
      c.dataset.model = m.name;
      c.checked = had ? keepModels.has(m.name) : true;
      this.models.set(m.name, c);
      modelBox.append(c);
    }
    const decoderBox = el('fieldset', 'choice');
    decoderBox.append(el('legend', undefined, 'Decoders (the first ticked is the table’s primary one)'));
    for (const d of p.decoders) {
      const c = checkbox(d.label, () => this.validate());
      c.removeAttribute('label');
      c.title = d.description;
      c.dataset.decoder = d.name;
      c.checked = had ? keepDecoders.has(d.name) : p.defaultDecoders.includes(d.name);
      this.decoders.set(d.name, c);
      decoderBox.append(c);
    }
    const classBox = el('fieldset', 'choice');
    classBox.append(el('legend', undefined, 'Classes'));
    classBox.append(el('div', 'muted', p.classesNote));
    if (p.classes.length)
      classBox.append(el('div', undefined, p.classes.map((c) => `${c.index} ${c.name}`).join(' · ')));
    choices.append(modelBox, decoderBox, classBox);
    e.append(choices);

    const actions = el('div', 'actions');
    const go = button('play', 'Evaluate', () => {
      const models = this.ticked(this.models);
      const decoders = this.ticked(this.decoders);
      if (this.validate()) this.hooks.evaluate(models, decoders);
    });
    go.classList.add('evaluate');
    actions.append(
      go,
      button('refresh', 'List again', () => this.hooks.replan()),
      this.note,
    );
    e.append(actions);

    const lists = el('div', 'lists');
    const matched = document.createElement('vscode-collapsible');
    matched.setAttribute('title', `Matched samples (${p.total})`);
    const table = el('table', 'pairs');
    const hr = el('tr');
    for (const h of ['Id', 'Image', 'Mask', 'Maps']) hr.append(el('th', undefined, h));
    table.append(hr);
    for (const it of p.items) {
      const tr = el('tr');
      tr.append(
        el('td', undefined, it.id),
        el('td', it.image ? undefined : 'missing', it.image || 'none'),
        el('td', it.gt ? undefined : 'missing', it.gt || 'none (expected Dice only)'),
        el('td', undefined, it.models.join(', ') || 'none'),
      );
      table.append(tr);
    }
    matched.append(table);
    if (p.total > p.items.length)
      matched.append(el('div', 'muted', `… and ${p.total - p.items.length} more.`));
    const unmatched = document.createElement('vscode-collapsible');
    unmatched.setAttribute('title', `Left out (${p.unmatchedTotal})`);
    if (p.unmatchedTotal > 0) unmatched.setAttribute('open', '');
    const ul = el('table', 'pairs');
    const uh = el('tr');
    uh.append(el('th', undefined, 'File'), el('th', undefined, 'Why it was left out'));
    ul.append(uh);
    for (const u of p.unmatched) {
      const tr = el('tr');
      tr.append(el('td', undefined, u.path), el('td', undefined, u.reason));
      ul.append(tr);
    }
    unmatched.append(p.unmatchedTotal ? ul : el('div', 'muted', 'Every file was paired.'));
    if (p.unmatchedTotal > p.unmatched.length)
      unmatched.append(
        el('div', 'muted', `… and ${p.unmatchedTotal - p.unmatched.length} more (see the output log).`),
      );
    lists.append(matched, unmatched);
    e.append(lists);
    this.validate();
    this.setCollapsed(this.collapsed);
  }

  /** After Evaluate the preview folds to its first lines, so the summary and the table get the room. */
  setCollapsed(collapsed: boolean): void {
    this.collapsed = collapsed;
    this.element.classList.toggle('collapsed', collapsed);
  }

  private ticked(map: Map<string, Checkbox>): string[] {
    return [...map].filter(([, c]) => c.checked).map(([n]) => n);
  }

  private validate(): boolean {
    const p = this.preview;
    if (!p) return false;
    let msg = '';
    if (p.total === 0) msg = 'Nothing to evaluate: no sample has a probability map.';
    else if (this.ticked(this.models).length === 0) msg = 'Tick at least one probability folder.';
    else if (this.ticked(this.decoders).length === 0) msg = 'Tick at least one decoder.';
    this.note.textContent = msg;
    return msg === '';
  }
}
