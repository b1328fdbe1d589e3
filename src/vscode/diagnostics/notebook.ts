/**
 * Notebook cells are linted together, as one module, because a loss is often defined in one cell and passed to
 * `compile(loss=...)` in another: role inference needs both. The cells are joined with newlines, IPython magics
 * are turned into comments (they are not Python and would make the parser recover around them), and findings are
 * mapped back to the cell they fall in.
 */
import type { Finding, Fix, Range, TextEdit } from '../../core/lint/types';

export interface JoinedCells {
  text: string;
  /** First line of each cell in the joined text. */
  firstLines: number[];
  /** Line count of each cell. */
  lineCounts: number[];
}

/**
 * Replaces IPython syntax by comments of the same length, so columns stay exact: a cell magic (`%%time`) makes the
 * whole cell non-Python; a line magic or shell escape (`%matplotlib`, `!pip`) only its own line.
 */
export function neutraliseMagics(cell: string): string {
  const lines = cell.split('\n');
  if (/^\s*%%/.test(lines[0] ?? '')) {
    return lines.map((l) => l.replace(/^(\s*)\S/, '$1#')).join('\n');
  }
  return lines.map((l) => l.replace(/^(\s*)[%!]/, '$1#')).join('\n');
}

export function joinCells(cells: readonly string[]): JoinedCells {
  const firstLines: number[] = [];
  const lineCounts: number[] = [];
  const parts: string[] = [];
  let line = 0;
  for (const cell of cells) {
    // VS Code cells use \n internally, but be safe with pasted \r\n: a lone \r would be counted as a line break by
    // the parser and shift every later line.
    const normalised = neutraliseMagics(cell.replace(/\r\n?/g, '\n'));
    const count = normalised.split('\n').length;
    firstLines.push(line);
    lineCounts.push(count);
    parts.push(normalised);
    line += count;
  }
  return { text: parts.join('\n'), firstLines, lineCounts };
}

/** The cell a line of the joined text belongs to, or -1 when there is none. */
export function cellOfLine(joined: JoinedCells, line: number): number {
  let lo = 0;
  let hi = joined.firstLines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (joined.firstLines[mid] > line) hi = mid - 1;
    else if (line >= joined.firstLines[mid] + joined.lineCounts[mid]) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Moves a range of the joined text into cell `cell`; a range that ends in a later cell is cut at the end of its
 * first cell (a squiggle cannot span cells). Returns undefined when the range does not start in `cell`.
 */
export function rangeInCell(joined: JoinedCells, cell: number, r: Range): Range | undefined {
  if (cellOfLine(joined, r.start.line) !== cell) return undefined;
  const first = joined.firstLines[cell];
  const lastLine = joined.lineCounts[cell] - 1;
  const start = { line: r.start.line - first, character: r.start.character };
  const endLine = r.end.line - first;
  const end =
    endLine > lastLine
      ? { line: lastLine, character: Number.MAX_SAFE_INTEGER }
      : { line: endLine, character: r.end.character };
  return { start, end };
}

/**
 * Splits the findings of the joined text by cell. A finding's fixes are kept only when all their edits fall inside
 * the finding's own cell, so a quick fix never edits a cell other than the one it is offered in.
 */
export function findingsByCell(joined: JoinedCells, findings: readonly Finding[]): Finding[][] {
  const out: Finding[][] = joined.firstLines.map(() => []);
  for (const f of findings) {
    const cell = cellOfLine(joined, f.range.start.line);
    if (cell < 0) continue;
    const range = rangeInCell(joined, cell, f.range);
    if (!range) continue;
    const fixes: Fix[] = [];
    for (const fix of f.fixes ?? []) {
      const edits: TextEdit[] = [];
      for (const e of fix.edits) {
        const moved = rangeInCell(joined, cell, e.range);
        // An edit ending past the cell would be cut by rangeInCell; such a fix is dropped instead.
        if (!moved || e.range.end.line - joined.firstLines[cell] >= joined.lineCounts[cell]) break;
        edits.push({ range: moved, newText: e.newText });
      }
      if (edits.length === fix.edits.length) fixes.push({ ...fix, edits });
    }
    out[cell].push({ ...f, range, fixes });
  }
  return out;
}
