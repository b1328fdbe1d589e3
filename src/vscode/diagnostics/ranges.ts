/**
 * Range helpers between the linter's plain positions and a document. Findings must never point outside the
 * document (VS Code would throw on an invalid range, or draw at a wrong place), so every range is clamped to the
 * text it is shown in, and empty ranges are widened to a visible squiggle.
 */
import type { Range, TextEdit } from '../../core/lint/types';

/** What clamping needs to know about a document: its line count and the length of each line (no EOL). */
export interface LineShape {
  lineCount: number;
  lineLength(line: number): number;
}

/** The shape of a text, for tests and for the notebook path where there is no TextDocument yet. */
export function shapeOf(text: string): LineShape {
  const lengths = text.split(/\r\n|\r|\n/).map((l) => l.length);
  return { lineCount: lengths.length, lineLength: (line) => lengths[line] ?? 0 };
}

function clampPosition(
  shape: LineShape,
  line: number,
  character: number,
): { line: number; character: number } {
  const last = Math.max(0, shape.lineCount - 1);
  if (!Number.isFinite(line) || line < 0) return { line: 0, character: 0 };
  if (line > last) return { line: last, character: shape.lineLength(last) };
  const len = shape.lineLength(line);
  const ch = Number.isFinite(character) ? Math.min(Math.max(0, Math.floor(character)), len) : 0;
  return { line: Math.floor(line), character: ch };
}

/**
 * Clamps `r` into the document and orders its ends. An empty range is widened to the rest of its line (or the
 * whole line when it sits at the end), so a finding at a point is still visible as a squiggle.
 */
export function clampRange(shape: LineShape, r: Range): Range {
  let start = clampPosition(shape, r.start.line, r.start.character);
  let end = clampPosition(shape, r.end.line, r.end.character);
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) {
    [start, end] = [end, start];
  }
  if (start.line === end.line && start.character === end.character) {
    const len = shape.lineLength(start.line);
    if (start.character < len) end = { line: start.line, character: len };
    else if (len > 0) start = { line: start.line, character: 0 };
  }
  return { start, end };
}

/** True when `r` lies inside the document as it is (used to drop stale fixes rather than apply them wrongly). */
export function rangeInside(shape: LineShape, r: Range): boolean {
  const ok = (p: { line: number; character: number }): boolean =>
    Number.isInteger(p.line) &&
    Number.isInteger(p.character) &&
    p.line >= 0 &&
    p.line < shape.lineCount &&
    p.character >= 0 &&
    p.character <= shape.lineLength(p.line);
  return ok(r.start) && ok(r.end) && comparePositions(r.start, r.end) <= 0;
}

export function comparePositions(
  a: { line: number; character: number },
  b: { line: number; character: number },
): number {
  return a.line - b.line || a.character - b.character;
}

export function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}

/** True when `pos` is inside `r`, ends included (how hovers hit a squiggle). */
export function rangeContains(r: Range, pos: { line: number; character: number }): boolean {
  return comparePositions(r.start, pos) <= 0 && comparePositions(pos, r.end) <= 0;
}

/** True when two sets of edits touch overlapping text (they could not be applied in one workspace edit). */
export function editsOverlap(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => comparePositions(a.range.start, b.range.start));
  for (let i = 1; i < sorted.length; i++) {
    if (comparePositions(sorted[i - 1].range.end, sorted[i].range.start) > 0) return true;
  }
  return false;
}
