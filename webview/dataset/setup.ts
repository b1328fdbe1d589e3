/**
 * The pairing preview: what the folder holds (matched samples, files left out and why), and the choices of an
 * evaluation — probability folders (several models allowed), an ONNX model run on every image (at most one), and
 * decoders — with the Evaluate button.
 */
import type { DatasetPreview } from '../../src/protocol/dataset';
import { type Checkbox, button, checkbox, el } from '../dom';

export interface SetupHooks {
  /** `onnx`: the id of the ONNX model to run too (from the preview's `onnxModels`). */
  evaluate(models: string[], decoders: string[], onnx?: string): void;
  replan(): void;
  /** "Other model…": ask the host for an .onnx file. */
  pickModel(): void;
}

/** The ticked names of a set of checkboxes. */
function ticked(map: Map<string, Checkbox>): string[] {
  return [...map].filter(([, c]) => c.checked).map(([n]) => n);
}

function pairsTable(headers: string[], rows: HTMLElement[][]): HTMLTableElement {
  const table = el('table', 'pairs');
  const hr = el('tr');
  for (const h of headers) hr.append(el('th', undefined, h));
  table.append(hr);
  for (const cells of rows) {
    const tr = el('tr');
    tr.append(...cells);
    table.append(tr);
  }
  return table;
}

/** The matched samples, folded: id, image, mask and the folders with a map. */
function matchedList(p: DatasetPreview): HTMLElement {
  const box = document.createElement('vscode-collapsible');
  box.setAttribute('title', `Matched samples (${p.total})`);
  box.append(
    pairsTable(
      ['Id', 'Image', 'Mask', 'Maps'],
      p.items.map((it) => [
        el('td', undefined, it.id),
        el('td', it.image ? undefined : 'missing', it.image || 'none'),
        el('td', it.gt ? undefined : 'missing', it.gt || 'none (expected Dice only)'),
        el('td', undefined, it.models.join(', ') || 'none'),
      ]),
    ),
  );
  if (p.total > p.items.length) box.append(el('div', 'muted', `… and ${p.total - p.items.length} more.`));
  return box;
}

/** The files left out, each with its reason; open when there are any. */
function unmatchedList(p: DatasetPreview): HTMLElement {
  const box = document.createElement('vscode-collapsible');
  box.setAttribute('title', `Left out (${p.unmatchedTotal})`);
  if (p.unmatchedTotal > 0) box.setAttribute('open', '');
  const rows = p.unmatched.map((u) => [el('td', undefined, u.path), el('td', undefined, u.reason)]);
  box.append(
    p.unmatchedTotal
      ? pairsTable(['File', 'Why it was left out'], rows)
      : el('div', 'muted', 'Every file was paired.'),
  );
  if (p.unmatchedTotal > p.unmatched.length)
    box.append(
      el('div', 'muted', `… and ${p.unmatchedTotal - p.unmatched.length} more (see the output log).`),
    );
  return box;
}

export class SetupView {
  readonly element = el('section', 'setup');
  private preview?: DatasetPreview;
  private readonly models = new Map<string, Checkbox>();
  private readonly onnx = new Map<string, Checkbox>();
  private readonly decoders = new Map<string, Checkbox>();
  private readonly note = el('div', 'setup-note');
  private collapsed = false;

  constructor(private readonly hooks: SetupHooks) {}

  show(p: DatasetPreview): void {
    // Keep the user's ticks across a re-listing (a model just picked in the dialog comes ticked).
    const had = this.preview !== undefined;
    const keep = {
      models: new Set(ticked(this.models)),
      onnx: new Set(p.onnxSelected !== undefined ? [p.onnxSelected] : ticked(this.onnx)),
      decoders: new Set(ticked(this.decoders)),
    };
    this.preview = p;
    this.element.replaceChildren(this.head(p), this.choices(p, had, keep), this.actions(), this.lists(p));
    this.validate();
    this.setCollapsed(this.collapsed);
  }

  /** After Evaluate the preview folds to its first lines, so the summary and the table get the room. */
  setCollapsed(collapsed: boolean): void {
    this.collapsed = collapsed;
    this.element.classList.toggle('collapsed', collapsed);
  }

  private head(p: DatasetPreview): HTMLElement {
    const head = el('div', 'setup-head');
    head.append(
      el('h2', undefined, `Pairing preview — ${p.root}`),
      el(
        'span',
        'muted',
        `${p.total} samples matched · ${p.unmatchedTotal} files left out · ${p.models.length} probability folder${p.models.length === 1 ? '' : 's'}`,
      ),
    );
    return head;
  }

  private choices(
    p: DatasetPreview,
    had: boolean,
    keep: { models: Set<string>; onnx: Set<string>; decoders: Set<string> },
  ): HTMLElement {
    const choices = el('div', 'choices');
    choices.append(
      this.folderChoice(p, had ? keep.models : undefined),
      this.onnxChoice(p, keep.onnx),
      this.decoderChoice(p, had ? keep.decoders : undefined),
      this.classChoice(p),
    );
    return choices;
  }

  private folderChoice(p: DatasetPreview, keep: Set<string> | undefined): HTMLElement {
    this.models.clear();
    const box = el('fieldset', 'choice');
    box.append(el('legend', undefined, 'Probability folders (models)'));
    if (p.models.length === 0)
      box.append(
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
      c.checked = keep ? keep.has(m.name) : true;
      this.models.set(m.name, c);
      box.append(c);
    }
    return box;
  }

  /** At most one ONNX model, run on every image with an image file: ticking one unticks the others. */
  private onnxChoice(p: DatasetPreview, keep: Set<string>): HTMLElement {
    this.onnx.clear();
    const box = el('fieldset', 'choice onnx');
    box.append(el('legend', undefined, 'ONNX model (runs on every image)'));
    for (const m of p.onnxModels) {
      const c = checkbox(`${m.label}${m.configured ? ' (seglens.model.path)' : ''}`, (on) => {
        if (on) for (const [id, other] of this.onnx) if (id !== m.id) other.checked = false;
        this.validate();
      });
      c.removeAttribute('label');
      c.dataset.onnx = m.label;
      c.checked = keep.has(m.id);
      this.onnx.set(m.id, c);
      box.append(c);
    }
    box.append(
      el(
        'div',
        'muted',
        p.withImages === p.total
          ? `Runs on the ${p.total} images, each scored as soon as its map exists.`
          : `${p.withImages} of ${p.total} samples have an image; the others become skipped rows of the model.`,
      ),
      button('file-add', 'Other model…', () => this.hooks.pickModel()),
    );
    return box;
  }

  private decoderChoice(p: DatasetPreview, keep: Set<string> | undefined): HTMLElement {
    this.decoders.clear();
    const box = el('fieldset', 'choice');
    box.append(el('legend', undefined, 'Decoders (the first ticked is the table’s primary one)'));
    for (const d of p.decoders) {
      const c = checkbox(d.label, () => this.validate());
      c.removeAttribute('label');
      c.title = d.description;
      c.dataset.decoder = d.name;
      c.checked = keep ? keep.has(d.name) : p.defaultDecoders.includes(d.name);
      this.decoders.set(d.name, c);
      box.append(c);
    }
    return box;
  }

  private classChoice(p: DatasetPreview): HTMLElement {
    const box = el('fieldset', 'choice');
    box.append(el('legend', undefined, 'Classes'), el('div', 'muted', p.classesNote));
    if (p.classes.length)
      box.append(el('div', undefined, p.classes.map((c) => `${c.index} ${c.name}`).join(' · ')));
    return box;
  }

  private actions(): HTMLElement {
    const go = button('play', 'Evaluate', () => {
      if (!this.validate()) return;
      const onnx = ticked(this.onnx)[0];
      this.hooks.evaluate(ticked(this.models), ticked(this.decoders), onnx);
    });
    go.classList.add('evaluate');
    const actions = el('div', 'actions');
    actions.append(
      go,
      button('refresh', 'List again', () => this.hooks.replan()),
      this.note,
    );
    return actions;
  }

  private lists(p: DatasetPreview): HTMLElement {
    const lists = el('div', 'lists');
    lists.append(matchedList(p), unmatchedList(p));
    return lists;
  }

  private validate(): boolean {
    const p = this.preview;
    if (!p) return false;
    const withModel = ticked(this.onnx).length > 0;
    let msg = '';
    if (p.total === 0) msg = 'Nothing to evaluate: no sample has a probability map or an image.';
    else if (ticked(this.models).length === 0 && !withModel)
      msg = 'Tick at least one probability folder or an ONNX model.';
    else if (ticked(this.decoders).length === 0) msg = 'Tick at least one decoder.';
    this.note.textContent = msg;
    return msg === '';
  }
}
