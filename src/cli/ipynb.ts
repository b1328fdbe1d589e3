/**
 * The code cells of a Jupyter notebook (.ipynb, nbformat 4), for `seglens lint`. The editor gets cells from VS
 * Code's notebook API; the CLI reads the JSON itself so that a notebook is linted cell by cell exactly like in the
 * editor, instead of its JSON being parsed as Python (which finds nothing).
 */
import { InputError } from '../core/errors';

export interface NotebookCode {
  /** Source of each code cell, in order. */
  cells: string[];
  /** 1-based position of each code cell among all cells of the notebook (what Jupyter shows). */
  cellNumbers: number[];
  /** The kernel language when it is not Python (then there is nothing to lint), else undefined. */
  otherLanguage?: string;
}

export function notebookCode(text: string, source: string): NotebookCode {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `not a notebook: invalid JSON (${e instanceof Error ? e.message : String(e)})`,
      source,
    );
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { cells?: unknown }).cells)) {
    throw new InputError('not a notebook: no "cells" list (nbformat 4 is supported)', source);
  }
  const nb = doc as { cells: unknown[]; metadata?: Record<string, unknown> };
  const meta = nb.metadata ?? {};
  const lang =
    stringAt(meta, 'kernelspec', 'language') ?? stringAt(meta, 'language_info', 'name') ?? 'python';
  const cells: string[] = [];
  const cellNumbers: number[] = [];
  nb.cells.forEach((c, i) => {
    if (typeof c !== 'object' || c === null) return;
    const cell = c as { cell_type?: unknown; source?: unknown };
    if (cell.cell_type !== 'code') return;
    const src = cell.source;
    const text =
      typeof src === 'string'
        ? src
        : Array.isArray(src)
          ? src.filter((s) => typeof s === 'string').join('')
          : '';
    cells.push(text);
    cellNumbers.push(i + 1);
  });
  return { cells, cellNumbers, otherLanguage: lang.toLowerCase() === 'python' ? undefined : lang };
}

function stringAt(o: Record<string, unknown>, a: string, b: string): string | undefined {
  const inner = o[a];
  if (typeof inner !== 'object' || inner === null) return undefined;
  const v = (inner as Record<string, unknown>)[b];
  return typeof v === 'string' ? v : undefined;
}
