/**
 * Where the linter's files live inside the installed extension. The build copies the two WebAssembly modules and
 * the rule pages into dist/ (the VSIX ships dist/, not docs/ or the sources); a development checkout that has not
 * been built falls back to node_modules/ and docs/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { LinterWasm } from '../../core/lint/types';

/** Absolute path of a rule page such as `docs/rules/LL101.md` (a Finding's or RuleInfo's `docs`). */
export function ruleDocPath(extensionPath: string, docs: string): string {
  const relative = docs.split('/').filter((p) => p && p !== '..');
  const bundled = path.join(extensionPath, 'dist', ...relative);
  return existsSync(bundled) ? bundled : path.join(extensionPath, ...relative);
}

/** Folders the rule pages may be opened from (used to show them as a preview rather than as text). */
export function ruleDocFolders(extensionPath: string): string[] {
  return [path.join(extensionPath, 'dist', 'docs'), path.join(extensionPath, 'docs')];
}

async function firstReadable(candidates: string[]): Promise<Uint8Array> {
  const tried: string[] = [];
  for (const c of candidates) {
    try {
      return await readFile(c);
    } catch (e) {
      tried.push(`${c} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  throw new Error(`cannot read the Python parser: tried ${tried.join('; ')}`);
}

/** Reads both WebAssembly modules asynchronously, so the first lint does not block the extension host on disk. */
export async function loadLinterWasm(extensionPath: string): Promise<LinterWasm> {
  const [runtime, python] = await Promise.all([
    firstReadable([
      path.join(extensionPath, 'dist', 'tree-sitter.wasm'),
      path.join(extensionPath, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'),
    ]),
    firstReadable([
      path.join(extensionPath, 'dist', 'tree-sitter-python.wasm'),
      path.join(extensionPath, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm'),
    ]),
  ]);
  return { runtime, python };
}
