/**
 * Workspace imports for the loss lint (issue 15, multi-file analysis): the project modules a Python file imports
 * (`from utils.metrics import soft_dice`, `from .terms import region`, `import models`), found as files next to it
 * or under its workspace roots, read and handed to the linter as LintOptions.modules — so a loss in losses.py is
 * checked against the helper in utils/metrics.py it calls. Modules imported by those modules are followed too, a
 * few levels deep (the engine follows calls three deep), within a bounded number of files.
 *
 * Used by the editor (src/vscode/diagnostics/lintService.ts, with open documents' unsaved text) and by
 * `seglens lint FILE` (src/cli/commands/lint.ts). Reads are asynchronous and cached by modification time.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** The text of one module and a version that changes when the text does (mtime, or an open document's version). */
export interface ModuleSource {
  text: string;
  version: string;
}

/** Reads a module file; undefined when it does not exist or cannot be read. */
export type ReadModule = (file: string) => Promise<ModuleSource | undefined>;

export interface ResolveOptions {
  /** Folders imports may be resolved from besides the file's own folder and its parents (workspace roots). */
  roots: readonly string[];
  read: ReadModule;
  /** At most this many module files are read. @default 40 */
  maxFiles?: number;
  /** Imports of imported modules are followed this deep (1: only the file's own imports). @default 3 */
  depth?: number;
}

export interface ResolvedModules {
  /** Dotted module name (without leading dots, as the linter looks them up) → source text. */
  modules: Record<string, string>;
  /** The files read, with their versions: the dependencies of the lint. */
  files: Map<string, string>;
}

/** Names no project module is likely to shadow: never looked up on disk. */
const LIBRARIES = new Set([
  'torch',
  'tensorflow',
  'tf',
  'keras',
  'numpy',
  'np',
  'scipy',
  'monai',
  'segmentation_models_pytorch',
  'os',
  'sys',
  'math',
  'typing',
  'collections',
  'functools',
  'itertools',
  'warnings',
  'abc',
  'dataclasses',
  'pathlib',
  '__future__',
]);

/** One imported module as written: its dotted name, the number of leading dots, and names imported from it. */
export interface ImportRef {
  name: string;
  dots: number;
  names: string[];
}

/** The imports of a Python text (top-level or indented `import` / `from … import` statements, `\`-free forms). */
export function importsOf(text: string): ImportRef[] {
  const out: ImportRef[] = [];
  const from = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^)#\n]*)/gm;
  for (let m = from.exec(text); m; m = from.exec(text)) {
    const names = m[3]
      .split(',')
      .map((s) => s.trim().split(/\s+as\s+/)[0])
      .filter((s) => /^\w+$/.test(s));
    out.push({ name: m[2], dots: m[1].length, names });
  }
  const plain =
    /^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)/gm;
  for (let m = plain.exec(text); m; m = plain.exec(text)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (name) out.push({ name, dots: 0, names: [] });
    }
  }
  return out;
}

/** Candidate files of a module: `a/b.py` or `a/b/__init__.py` under each base folder. */
function candidates(bases: readonly string[], dotted: string): string[] {
  const rel = dotted.split('.');
  const out: string[] = [];
  for (const base of bases) {
    out.push(path.join(base, ...rel) + '.py', path.join(base, ...rel, '__init__.py'));
  }
  return out;
}

/** The folders an absolute import may start from: the file's folder, its parents inside a root, the roots. */
function searchBases(file: string, roots: readonly string[]): string[] {
  const bases: string[] = [];
  const inside = roots.find((r) => {
    const rel = path.relative(r, file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
  let dir = path.dirname(file);
  bases.push(dir);
  // Up to the enclosing root (packages are imported from the project root), at most eight levels.
  for (let i = 0; inside && i < 8 && dir !== inside; i++) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
    bases.push(dir);
  }
  for (const r of roots) if (!bases.includes(r)) bases.push(r);
  return bases;
}

/**
 * The project modules `text` (the file `file`) imports, and theirs, read through `options.read`. Names are keyed
 * as the linter resolves them: the dotted path without leading dots (`.terms` → "terms", `pkg.losses` →
 * "pkg.losses"), and for `from pkg import sub` also "pkg.sub" when that is a module of its own.
 */
export async function resolveModules(
  file: string,
  text: string,
  options: ResolveOptions,
): Promise<ResolvedModules> {
  const maxFiles = options.maxFiles ?? 40;
  const depth = options.depth ?? 3;
  const modules: Record<string, string> = {};
  const files = new Map<string, string>();
  const missing = new Set<string>();
  let frontier: Array<{ file: string; text: string }> = [{ file, text }];
  for (let level = 0; level < depth && frontier.length; level++) {
    const next: Array<{ file: string; text: string }> = [];
    for (const source of frontier) {
      for (const ref of importsOf(source.text)) {
        const head = ref.name.split('.')[0];
        if (ref.dots === 0 && LIBRARIES.has(head)) continue;
        const wanted = [ref.name, ...ref.names.map((n) => (ref.name ? `${ref.name}.${n}` : n))];
        for (const dotted of wanted) {
          if (!dotted || dotted in modules || files.size >= maxFiles) continue;
          const bases =
            ref.dots > 0
              ? [path.resolve(path.dirname(source.file), ...Array<string>(ref.dots - 1).fill('..'))]
              : searchBases(source.file, options.roots);
          for (const candidate of candidates(bases, dotted)) {
            if (candidate === file || missing.has(candidate)) continue;
            const known = files.has(candidate);
            const read = known ? undefined : await options.read(candidate);
            if (!known && !read) {
              missing.add(candidate);
              continue;
            }
            if (read) {
              files.set(candidate, read.version);
              next.push({ file: candidate, text: read.text });
              modules[dotted] = read.text;
            }
            break;
          }
        }
      }
    }
    frontier = next;
  }
  return { modules, files };
}

/** Module files larger than this are not read: they are generated code or data, not helpers of a loss. */
export const MAX_MODULE_BYTES = 512 * 1024;

/**
 * A ReadModule over the file system, cached by modification time: an unchanged file is read once, also when it is
 * asked for again while its first read is still running. Files over MAX_MODULE_BYTES and non-files read as missing.
 */
export function diskReader(): ReadModule {
  const cache = new Map<string, { mtimeMs: number; text: string }>();
  // Reads in progress: the whole-workspace pass lints two files at once, and both may import the same helper
  // before either read has filled the cache; they share one read.
  const reading = new Map<string, Promise<ModuleSource | undefined>>();
  const readOnce: ReadModule = async (file) => {
    let st;
    try {
      st = await fs.stat(file);
    } catch {
      return undefined;
    }
    if (!st.isFile() || st.size > MAX_MODULE_BYTES) return undefined;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs) return { text: hit.text, version: String(st.mtimeMs) };
    try {
      const text = new TextDecoder('utf-8', { fatal: true })
        .decode(await fs.readFile(file))
        .replace(/^\uFEFF/, '');
      if (cache.size > 2000) cache.clear();
      cache.set(file, { mtimeMs: st.mtimeMs, text });
      return { text, version: String(st.mtimeMs) };
    } catch {
      return undefined;
    }
  };
  return (file) => {
    const pending = reading.get(file);
    if (pending) return pending;
    const p = readOnce(file).finally(() => reading.delete(file));
    reading.set(file, p);
    return p;
  };
}
