/**
 * Suppression comments: `# seglens: ignore[LL101]` on a line (or alone on the line above) silences those rules
 * there; `# seglens: ignore-file[LL101, LL102]` anywhere silences them in the whole file. Without brackets all
 * rules are silenced. Comments come from the syntax tree, so text inside strings never counts.
 */
import type { SyntaxTree } from './syntax';
import { positionAt, textOf } from './syntax';
import type { Finding, TextEdit } from './types';

const PATTERN = /seglens:\s*(ignore-file|ignore)\s*(?:\[([^\]]*)\])?/g;

export interface Suppressions {
  file: Set<string> | 'all' | undefined;
  lines: Map<number, Set<string> | 'all'>;
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}

export function collectSuppressions(tree: SyntaxTree): Suppressions {
  const out: Suppressions = { file: undefined, lines: new Map() };
  for (const node of tree.nodes) {
    if (node.type !== 'comment') continue;
    const text = textOf(tree, node);
    for (const m of text.matchAll(PATTERN)) {
      const ids: Set<string> | 'all' = m[2]
        ? new Set(
            m[2]
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          )
        : 'all';
      if (m[1] === 'ignore-file') {
        out.file = merge(out.file, ids);
        continue;
      }
      const line = positionAt(tree.lineStarts, node.start).line;
      out.lines.set(line, merge(out.lines.get(line), ids));
      // A comment alone on its line also covers the next line.
      const lineStart = tree.lineStarts[line];
      if (tree.text.slice(lineStart, node.start).trim() === '') {
        out.lines.set(line + 1, merge(out.lines.get(line + 1), ids));
      }
    }
  }
  return out;
}

function covers(set: Set<string> | 'all' | undefined, f: Finding): boolean {
  return set === 'all' || (set !== undefined && (set.has(f.rule) || set.has(f.name)));
}

export function applySuppressions(findings: Finding[], s: Suppressions): Finding[] {
  return findings.filter((f) => !covers(s.file, f) && !covers(s.lines.get(f.range.start.line), f));
}

/**
 * The edits behind "Disable LLxxx for this line" and "Disable LLxxx for this file": a trailing
 * `# seglens: ignore[...]` comment on the finding's first line (merged into an existing one), or a
 * `# seglens: ignore-file[...]` line at the top of the file (after a shebang or encoding line). Pure text
 * computations, so the editor side only turns them into a WorkspaceEdit.
 */
export function suppressionEdit(text: string, finding: Finding, scope: 'line' | 'file'): TextEdit {
  const lines = text.split(/\r\n|\r|\n/);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  if (scope === 'file') {
    const existing = lines.findIndex((l) => /#\s*seglens:\s*ignore-file\[[^\]]*\]/.test(l));
    if (existing >= 0) return mergeInto(lines[existing], existing, finding.rule, /ignore-file\[([^\]]*)\]/);
    let line = 0;
    while (line < lines.length && line < 2 && /^#!|^#.*coding[:=]/.test(lines[line])) line++;
    return {
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      newText: `# seglens: ignore-file[${finding.rule}]${eol}`,
    };
  }
  const line = finding.range.start.line;
  const current = lines[line] ?? '';
  if (/#\s*seglens:\s*ignore\[[^\]]*\]/.test(current))
    return mergeInto(current, line, finding.rule, /ignore\[([^\]]*)\]/);
  const end = current.length;
  return {
    range: { start: { line, character: end }, end: { line, character: end } },
    newText: `  # seglens: ignore[${finding.rule}]`,
  };
}

function mergeInto(lineText: string, line: number, rule: string, pattern: RegExp): TextEdit {
  const m = pattern.exec(lineText) as RegExpExecArray;
  const listStart = m.index + m[0].indexOf('[') + 1;
  const listEnd = listStart + m[1].length;
  const ids = m[1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!ids.includes(rule)) ids.push(rule);
  return {
    range: { start: { line, character: listStart }, end: { line, character: listEnd } },
    newText: ids.join(', '),
  };
}
