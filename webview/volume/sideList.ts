/**
 * The volume panel's side list: the files, the grid, the whole-volume metrics per structure (Dice, HD95 in mm,
 * volumes in ml) with a cell per class for the shown axial slice's Dice, jumps to each class's worst slice and to
 * its missed and spurious 3-D objects, the error-map legend and the notes. Built once per header; the page fills
 * the slice cells as the axial slice changes.
 */
import type { VolumeHeader } from '../../src/protocol/volume';
import { ERROR_COLOURS, ERROR_NAMES } from '../../src/core/viewmodel/errorMap';
import { cssColour, defaultClassColour } from '../colors';
import { el } from '../dom';
import { formatMetric, formatVolume } from './format';

/** What the list needs from the page. */
export interface SideListHost {
  /** A class's colour (labels.json), undefined for the default. */
  colour(cls: number): [number, number, number] | undefined;
  /** The crosshair's voxel (i, j, k). */
  cursor(): [number, number, number];
  /** Moves the crosshair (and the slices) to a voxel. */
  jumpTo(voxel: [number, number, number]): void;
}

/** Fills `side` for the header; returns the slice-Dice cells, one per row of `h.rows`. */
export function buildSideList(side: HTMLElement, h: VolumeHeader, host: SideListHost): HTMLElement[] {
  side.replaceChildren();
  const files = el('div', 'vol-files');
  for (const f of h.files) files.append(el('div', undefined, `${f.role}: ${f.name}`));
  if (h.predLabel) files.append(el('div', undefined, `prediction: ${h.predLabel}`));
  const geo = el(
    'div',
    'vol-geometry',
    `${h.dims.join('×')} voxels · ${h.spacing.map((s) => Number(s.toPrecision(4))).join('×')} mm · ${h.orientation}`,
  );
  side.append(files, geo);
  const sliceCells: HTMLElement[] = [];
  if (h.rows.length > 0) {
    const table = el('table', 'vol-metrics');
    const head = el('tr');
    for (const t of ['class', 'Dice', 'HD95 mm', 'GT ml', 'pred ml', 'slice Dice', '⤓'])
      head.append(el('th', undefined, t));
    table.append(head);
    const axial = h.planes.find((p) => p.plane === 'axial') ?? h.planes[0];
    for (const r of h.rows) {
      const tr = el('tr', 'vol-class-row');
      tr.dataset.cls = String(r.cls);
      const name = el('td', 'vol-class');
      const inner = el('span', 'vol-class-inner');
      const sw = el('span', 'vol-swatch');
      sw.style.background = cssColour(host.colour(r.cls) ?? defaultClassColour(r.cls));
      inner.append(sw, el('span', undefined, r.name));
      name.title = r.name;
      name.append(inner);
      const slice = el('td', 'vol-num');
      sliceCells.push(slice);
      const worst = r.worst[axial.normalAxis];
      const jump = el('button', 'vol-jump', '⤓');
      jump.title = `Show the ${axial.plane} slice with the most errors of ${r.name}`;
      jump.disabled = worst < 0;
      jump.addEventListener('click', () => {
        const next: [number, number, number] = [...host.cursor()];
        next[axial.normalAxis] = worst;
        host.jumpTo(next);
      });
      const jumpCell = el('td');
      jumpCell.append(jump);
      tr.append(
        name,
        el('td', 'vol-num', formatMetric(r.dice)),
        el('td', 'vol-num', formatMetric(r.hd95, 2)),
        el('td', 'vol-num', formatVolume(r.gtMm3)),
        el('td', 'vol-num', formatVolume(r.predMm3)),
        slice,
        jumpCell,
      );
      table.append(tr, objectRow(r, host));
    }
    side.append(table);
    if (h.macroDice !== undefined) {
      side.append(el('div', 'vol-macro', `Macro Dice over present classes: ${formatMetric(h.macroDice)}`));
    }
    side.append(
      el(
        'div',
        'vol-hint',
        'Whole-volume metrics with the header spacing (3-D, mm); "slice Dice" is the axial slice shown; ⤓ jumps to the axial slice with the most errors of the class.',
      ),
    );
  } else if (!h.hasGt)
    side.append(el('div', 'vol-hint', 'No ground truth: open one with the volume for metrics.'));
  const legend = el('div', 'vol-error-legend');
  for (const code of [1, 2, 3, 4]) {
    const item = el('span', 'vol-legend-item');
    const sw = el('span', 'vol-swatch');
    const c = ERROR_COLOURS[code];
    sw.style.background = `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
    item.append(sw, el('span', undefined, ERROR_NAMES[code]));
    legend.append(item);
  }
  side.append(legend);
  if (h.notes.length) {
    const notes = el('ul', 'vol-notes');
    for (const n of h.notes) notes.append(el('li', undefined, n));
    side.append(notes);
  }
  return sliceCells;
}

/** A row under a class: its missed and spurious 3-D objects; each button steps the crosshair to the next one. */
function objectRow(r: VolumeHeader['rows'][number], host: SideListHost): HTMLElement {
  const tr = el('tr', 'vol-objects');
  tr.dataset.cls = String(r.cls);
  const td = el('td');
  td.colSpan = 7;
  for (const [kind, list] of [
    ['missed', r.missed],
    ['spurious', r.spurious],
  ] as const) {
    const b = el('button', `vol-object-jump ${kind}`, `${list.length} ${kind}${list.length ? ' ⤓' : ''}`);
    b.dataset.kind = kind;
    b.disabled = list.length === 0;
    b.title = `${kind === 'missed' ? 'Ground-truth objects no prediction touches' : 'Predicted objects on no ground truth'} (3-D, 26-connected), largest first: click to step through them`;
    let next = 0;
    b.addEventListener('click', () => {
      const o = list[next % list.length];
      b.textContent = `${kind} ${(next % list.length) + 1}/${list.length} (${o.size} voxels) ⤓`;
      next++;
      host.jumpTo([...o.voxel]);
    });
    td.append(b);
  }
  tr.append(td);
  return tr;
}
