// Shared by the diagnostics unit tests: one real linter (the core, with the real grammar) per test process, the
// demo files, and a plain-text edit applier written independently of the code under test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from '../../../../src/core/lint';
import type { Linter, LinterWasm, TextEdit } from '../../../../src/core/lint/types';
import { REPO } from '../../../support/repo';
export { REPO };

export function wasmBytes(): LinterWasm {
  return {
    runtime: readFileSync(join(REPO, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm')),
    python: readFileSync(join(REPO, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm')),
  };
}

let shared: Promise<Linter> | undefined;
export function sharedLinter(): Promise<Linter> {
  shared ??= createLinter({ wasm: wasmBytes() });
  return shared;
}

export const kerasDemo = (): string => readFileSync(join(REPO, 'demo', 'losses', 'dice_keras.py'), 'utf8');
export const torchDemo = (): string =>
  readFileSync(join(REPO, 'demo', 'losses', 'dice_torch_correct.py'), 'utf8');

/** Applies non-overlapping edits to `text` (lines split on \n), last edit first so earlier offsets stay valid. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number => {
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
