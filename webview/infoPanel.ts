/**
 * The text around the picture: problems (errors, warnings, notes) above it, and below it one line per layer —
 * name, size, dtype, range — with the class legend and the heatmap's colour bar, then the pairing notes.
 */
import type { Layer, LayerRole, Problem } from '../src/protocol';
import { classColour, colourMapGradient, cssColour, isColourful, type Rgb } from './colors';
import { el, icon } from './dom';
import { ViewModel, classNames, colourOverrides, describeLayer, isClassVisible } from './viewModel';

const ROLE_TAGS: Record<LayerRole, string> = { image: 'Image', gt: 'GT', pred: 'Pred', prob: 'Prob' };

export function renderProblems(box: HTMLElement, problems: Problem[]): void {
  box.replaceChildren(
    ...problems.map((p) => {
      const row = el('div', `problem ${p.severity}`);
      row.setAttribute('role', p.severity === 'error' ? 'alert' : 'status');
      row.append(icon(p.severity === 'info' ? 'info' : p.severity), el('span', 'text', p.message));
      return row;
    }),
  );
}

/** Called when the user clicks a class in the legend (to hide or show it). */
export type ClassToggle = (k: number) => void;

function legend(l: Layer, m: ViewModel, onToggle: ClassToggle): HTMLElement {
  const box = el('div', 'legend');
  const classes = l.classes ?? [];
  const palette = l.palette as Rgb[] | undefined;
  const names = classNames(m);
  const overrides = colourOverrides(m);
  const useFile = isColourful(palette, classes);
  const labelled = classes.filter((c) => c > 0);
  for (const k of labelled.slice(0, 64)) {
    // Each entry is a toggle button, so classes can be hidden with the keyboard as well as the mouse.
    const item = el('button', 'legend-item');
    const shown = isClassVisible(m, k);
    item.setAttribute('aria-pressed', String(shown));
    item.classList.toggle('off', !shown);
    const name = names.get(k);
    item.title = `${shown ? 'Hide' : 'Show'} class ${k}${name ? ` (${name})` : ''}`;
    const sw = el('span', 'swatch');
    sw.style.backgroundColor = cssColour(classColour(k, palette, useFile, overrides));
    item.append(sw, el('span', undefined, name ? `${k} ${name}` : String(k)));
    item.addEventListener('click', () => onToggle(k));
    box.append(item);
  }
  if (labelled.length > 64) box.append(el('span', 'muted', `… and ${labelled.length - 64} more`));
  if (labelled.length === 0) box.append(el('span', 'muted', 'mask is empty (only label 0)'));
  return box;
}

/** The heatmap's colour bar: 0 … 1 with the colour map between (alpha follows the value too). */
function colourBar(): HTMLElement {
  const box = el('span', 'colour-bar');
  const bar = el('span', 'bar');
  bar.style.background = colourMapGradient();
  box.append(el('span', undefined, '0'), bar, el('span', undefined, '1'));
  return box;
}

export function renderInfo(box: HTMLElement, m: ViewModel, onToggle: ClassToggle): void {
  const rows: HTMLElement[] = [];
  const p = m.preview;
  if (p?.previewOf) {
    // A large image on its way: what is drawn meanwhile is its preview (ViewModel.preview).
    const row = el('div', 'layer-info image');
    const { width, height } = p.previewOf;
    row.append(
      el('span', 'role', ROLE_TAGS.image),
      el(
        'span',
        'desc',
        `${p.name} · ${width}×${height} · arriving; drawn from a ${p.raster.width}×${p.raster.height} preview meanwhile`,
      ),
    );
    rows.push(row);
  }
  for (const l of m.layers) {
    const row = el('div', `layer-info ${l.role}`);
    // The role picker finds its layer's row by this (rolePicker.ts).
    row.dataset.role = l.role;
    row.append(el('span', 'role', ROLE_TAGS[l.role]), el('span', 'desc', describeLayer(l)));
    if (l.role === 'gt') row.append(legend(l, m, onToggle));
    if (l.role === 'prob') row.append(colourBar());
    rows.push(row);
  }
  for (const n of m.notes) rows.push(el('div', 'note', n));
  box.replaceChildren(...rows);
}
