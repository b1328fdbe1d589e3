/**
 * Notebooks: the cells of a notebook share one namespace (imports in the first cell, the loss in a later one,
 * `model.compile(loss=...)` in another), so they are linted as one text and the findings are mapped back to the
 * cell they start in. IPython magics (`%timeit`, `!pip install`) are blanked to comments of the same length so
 * positions do not move.
 */
import type { Finding, Linter, LintOptions, Position, Range } from './types';

export interface CellFindings {
  /** Index of the cell in the input array. */
  cell: number;
  findings: Finding[];
}

function blankMagics(cell: string): string {
  return cell.replace(/^([ \t]*)([%!])/gm, (_m, indent: string) => `${indent}#`);
}

/** Lints notebook cells together; returns one entry per cell (positions relative to that cell). */
export function lintNotebookCells(
  linter: Linter,
  cells: readonly string[],
  options?: LintOptions,
): CellFindings[] {
  const texts = cells.map(blankMagics);
  const firstLine: number[] = [];
  let line = 0;
  for (const t of texts) {
    firstLine.push(line);
    line += t.split(/\r\n|\r|\n/).length;
  }
  const { findings, tree } = linter.lint(texts.join('\n'), options);
  tree.dispose();
  const out: CellFindings[] = cells.map((_, cell) => ({ cell, findings: [] }));
  const cellOf = (l: number): number => {
    let c = 0;
    while (c + 1 < firstLine.length && firstLine[c + 1] <= l) c++;
    return c;
  };
  for (const f of findings) {
    const cell = cellOf(f.range.start.line);
    const base = firstLine[cell];
    const lastLine = (cell + 1 < firstLine.length ? firstLine[cell + 1] : line) - 1 - base;
    const move = (p: Position): Position =>
      p.line - base > lastLine
        ? { line: lastLine, character: 0 }
        : { line: p.line - base, character: p.character };
    const moveRange = (r: Range): Range => ({ start: move(r.start), end: move(r.end) });
    // Fixes whose edits leave the cell cannot be applied to it; they are dropped.
    const fixes = f.fixes?.filter((x) =>
      x.edits.every((e) => cellOf(e.range.start.line) === cell && cellOf(e.range.end.line) === cell),
    );
    const moved: Finding = { ...f, range: moveRange(f.range) };
    if (fixes && fixes.length)
      moved.fixes = fixes.map((x) => ({
        ...x,
        edits: x.edits.map((e) => ({ ...e, range: moveRange(e.range) })),
      }));
    else delete moved.fixes;
    out[cell].findings.push(moved);
  }
  return out;
}
