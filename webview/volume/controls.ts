/** The volume panel's small DOM pieces: labelled native controls and the grid-mismatch view. */
import type { ToVolumeWebview } from '../../src/protocol/volume';
import { el } from '../dom';

/** A control with its label in front. */
export function labelled(text: string, control: HTMLElement): HTMLElement {
  const l = el('label', 'vol-control');
  l.append(el('span', undefined, text), control);
  return l;
}

/** A native select of (value, label) options. */
export function select<T extends string>(
  options: { value: T; label: string }[],
  value: T,
  onChange: (v: T) => void,
): HTMLSelectElement {
  const s = el('select');
  for (const o of options) {
    const opt = el('option', undefined, o.label);
    opt.value = o.value;
    s.append(opt);
  }
  s.value = value;
  s.addEventListener('change', () => onChange(s.value as T));
  return s;
}

/** A native range slider. */
export function range(
  min: number,
  max: number,
  step: number,
  value: number,
  onInput: (v: number) => void,
): HTMLInputElement {
  const r = el('input');
  r.type = 'range';
  r.min = String(min);
  r.max = String(max);
  r.step = String(step);
  r.value = String(value);
  r.addEventListener('input', () => onInput(Number(r.value)));
  return r;
}

/** Volumes on different grids: a table of each differing property with both files' values, and the full message. */
export function mismatchView(m: Extract<ToVolumeWebview, { type: 'mismatch' }>): HTMLElement {
  const box = el('div', 'vol-mismatch');
  box.setAttribute('role', 'alert');
  box.append(
    el('h2', undefined, 'These volumes are not on the same voxel grid'),
    el('p', undefined, 'SegLens does not resample: resample one volume onto the other and open them again.'),
  );
  const table = el('table');
  const head = el('tr');
  head.append(
    el('th', undefined, 'property'),
    el('th', undefined, m.files[0]),
    el('th', undefined, m.files[1]),
  );
  table.append(head);
  for (const d of m.differences) {
    const tr = el('tr');
    tr.append(el('td', undefined, d.property), el('td', undefined, d.a), el('td', undefined, d.b));
    table.append(tr);
  }
  box.append(table, el('p', 'vol-detail', m.message));
  return box;
}
