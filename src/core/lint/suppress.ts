/**
 * Suppression comments: `# seglens: ignore[LL101]` on a line (or alone on the line above) silences those rules
 * there; `# seglens: ignore-file[LL101, LL102]` anywhere silences them in the whole file. Without brackets all
 * rules are silenced. Comments come from the syntax tree, so text inside strings never counts.
 */
import type { SyntaxTree } from './syntax';
import { positionAt, textOf } from './syntax';
import type { Finding } from './types';

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
