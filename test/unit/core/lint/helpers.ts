/**
 * Shared test helpers: one linter per test process (the grammar loads once), and the fixture-marker parser.
 * Fixture lines carry their expected findings as `# expect: LL101 error @ <code snippet> | ...`; the snippet's
 * position in the code part of that line gives the expected range, so expectations are written by hand and
 * independent of the linter.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createLinter } from '../../../../src/core/lint';
import { lineStartsOf } from '../../../../src/core/lint/syntax';
import type { Linter, TextEdit } from '../../../../src/core/lint/types';

const requireHere = createRequire(__filename);
let linter: Promise<Linter> | undefined;

export function wasmPaths(): { runtime: string; python: string } {
  return {
    runtime: requireHere.resolve('web-tree-sitter/tree-sitter.wasm'),
    python: requireHere.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  };
}

export function wasmBytes(): { runtime: Uint8Array; python: Uint8Array } {
  const p = wasmPaths();
  return { runtime: readFileSync(p.runtime), python: readFileSync(p.python) };
}

export function getLinter(): Promise<Linter> {
  linter ??= createLinter({ wasm: wasmBytes() });
  return linter;
}

export interface Expected {
  rule: string;
  severity: string;
  /** 0-based line and UTF-16 columns. */
  line: number;
  start: number;
  end: number;
}

export function parseExpectations(text: string): Expected[] {
  const out: Expected[] = [];
  text.split('\n').forEach((lineText, line) => {
    const at = lineText.indexOf('# expect:');
    if (at < 0) return;
    const code = lineText.slice(0, at);
    const used = new Map<string, number>();
    for (const item of lineText.slice(at + '# expect:'.length).split(' | ')) {
      const m = /^\s*(LL\d{3})\s+(error|warning|info)\s+@\s+(.+?)\s*$/.exec(item);
      if (!m) throw new Error(`bad expectation on line ${line + 1}: ${item}`);
      const snippet = m[3];
      // A snippet repeated for the same rule matches successive occurrences on the line.
      const usedKey = `${m[1]} ${snippet}`;
      const from = used.get(usedKey) ?? 0;
      const start = code.indexOf(snippet, from);
      if (start < 0) throw new Error(`snippet not found on line ${line + 1}: ${snippet}`);
      used.set(usedKey, start + 1);
      out.push({ rule: m[1], severity: m[2], line, start, end: start + snippet.length });
    }
  });
  return out;
}

export function key(e: Expected): string {
  return `${e.rule} ${e.severity} ${e.line + 1}:${e.start + 1}-${e.end + 1}`;
}

/** Applies non-overlapping edits (0-based line/UTF-16 character ranges) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStartsOf(text);
  const offset = (p: { line: number; character: number }): number => starts[p.line] + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
