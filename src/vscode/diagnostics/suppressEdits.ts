/**
 * The text edits behind "Disable LLxxx for this line" and "Disable LLxxx for this file". They write the comments
 * the core's suppression pass reads (`# seglens: ignore[LL101]`, `# seglens: ignore-file[LL101]`) and extend an
 * existing comment of the same kind instead of stacking a second one.
 */
import type { TextEdit } from '../../core/lint/types';

const LINE_COMMENT = /#\s*seglens:\s*ignore\s*\[([^\]]*)\]/;
const FILE_COMMENT = /#\s*seglens:\s*ignore-file\s*\[([^\]]*)\]/;

function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Adds `rule` to the bracket list of a suppression comment found by `pattern` on `lineText`, if any. */
function extendList(lineText: string, line: number, pattern: RegExp, rule: string): TextEdit | undefined {
  const m = pattern.exec(lineText);
  if (!m) return undefined;
  const listStart = m.index + m[0].length - 1 - m[1].length;
  const listEnd = m.index + m[0].length - 1;
  const ids = m[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.includes(rule)) return undefined;
  return {
    range: { start: { line, character: listStart }, end: { line, character: listEnd } },
    newText: [...ids, rule].join(', '),
  };
}

/**
 * Suppresses `rule` on `line`. The comment goes at the end of the line; when the line continues with a backslash
 * (a comment there would end the statement) it goes alone on the line above, which the core also reads.
 */
export function disableForLineEdit(text: string, line: number, rule: string, eol = '\n'): TextEdit {
  const lines = linesOf(text);
  const lineText = lines[line] ?? '';
  const existing = extendList(lineText, line, LINE_COMMENT, rule);
  if (existing) return existing;
  if (LINE_COMMENT.test(lineText)) {
    // Already listed: an empty edit keeps the action harmless.
    return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: '' };
  }
  const content = lineText.replace(/\s+$/, '');
  if (content.endsWith('\\')) {
    const indent = /^\s*/.exec(lineText)?.[0] ?? '';
    const above = line > 0 ? extendList(lines[line - 1], line - 1, LINE_COMMENT, rule) : undefined;
    if (above && /^\s*#/.test(lines[line - 1])) return above;
    return {
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      newText: `${indent}# seglens: ignore[${rule}]${eol}`,
    };
  }
  return {
    range: { start: { line, character: content.length }, end: { line, character: lineText.length } },
    newText: `  # seglens: ignore[${rule}]`,
  };
}

/**
 * Suppresses `rule` in the whole file: extends an existing `ignore-file` comment, or inserts one at the top, after
 * a shebang and an encoding declaration (which must stay on the first two lines to keep their meaning).
 */
export function disableForFileEdit(text: string, rule: string, eol = '\n'): TextEdit {
  const lines = linesOf(text);
  for (let i = 0; i < lines.length; i++) {
    const edit = extendList(lines[i], i, FILE_COMMENT, rule);
    if (edit) return edit;
    if (FILE_COMMENT.test(lines[i])) {
      // Already listed: an empty edit keeps the action harmless.
      return { range: { start: { line: i, character: 0 }, end: { line: i, character: 0 } }, newText: '' };
    }
  }
  let at = 0;
  if (lines[0]?.startsWith('#!')) at = 1;
  if (at < 2 && /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/.test(lines[at] ?? '')) at++;
  if (at >= lines.length) {
    // The file is only a shebang/encoding line without a final newline: append after it.
    const last = lines.length - 1;
    const end = { line: last, character: lines[last].length };
    return { range: { start: end, end }, newText: `${eol}# seglens: ignore-file[${rule}]` };
  }
  return {
    range: { start: { line: at, character: 0 }, end: { line: at, character: 0 } },
    newText: `# seglens: ignore-file[${rule}]${eol}`,
  };
}
