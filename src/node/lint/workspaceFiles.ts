/**
 * The files a whole-workspace loss lint looks at (issue 15, "whole-workspace first pass"): every `*.py` and
 * `*.ipynb` under the workspace roots, without the folders that hold other people's code (virtual environments,
 * site-packages, node_modules, version-control and tool caches) and without files over the lint's size limit.
 *
 * The walk is asynchronous, one directory read at a time, so the extension host that runs it is never held; it
 * does not follow symbolic links (a link back to a parent would loop, and a linked environment is not the
 * project's code).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Folder names never entered: installed packages, environments, caches and version control. */
export const EXCLUDED_DIRS: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'site-packages',
  'dist-packages',
  '__pycache__',
  '.venv',
  'venv',
  '.conda',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.ipynb_checkpoints',
  '.eggs',
]);

/**
 * What an environment has at its top: `pyvenv.cfg` (venv, virtualenv, uv), `conda-meta/` (conda). Such a folder is
 * skipped whatever its name; a project folder merely called `env/` (common in reinforcement learning) is not.
 */
const ENV_MARKERS = new Set(['pyvenv.cfg', 'conda-meta']);

export interface FindOptions {
  /** Files longer than this many bytes are left out (reported in `tooLarge`). @default 1,000,000 */
  maxBytes?: number;
  /** At most this many files are returned; the rest are counted in `truncated`. @default 5000 */
  maxFiles?: number;
  /** Checked between directories: when it returns true the walk stops with what it found so far. */
  cancelled?: () => boolean;
}

export interface FoundFiles {
  /** Absolute paths: a folder's own files (by name), then its subfolders depth first (by name). */
  files: string[];
  /** Files left out for their size. */
  tooLarge: string[];
  /** Files beyond `maxFiles` that were not listed. */
  truncated: number;
}

export function isLintableName(name: string): boolean {
  return name.endsWith('.py') || name.endsWith('.ipynb');
}

/** Lists the lintable files under `roots` (duplicates and nested roots are listed once). */
export async function findWorkspaceFiles(
  roots: readonly string[],
  options: FindOptions = {},
): Promise<FoundFiles> {
  const maxBytes = options.maxBytes ?? 1_000_000;
  const maxFiles = options.maxFiles ?? 5000;
  const out: FoundFiles = { files: [], tooLarge: [], truncated: 0 };
  const seen = new Set<string>();
  const pending = [...new Set(roots.map((r) => path.resolve(r)))];
  while (pending.length) {
    if (options.cancelled?.()) break;
    const dir = pending.shift() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      // An unreadable folder (permissions, removed meanwhile) holds nothing we can lint.
      continue;
    }
    if (entries.some((e) => ENV_MARKERS.has(e.name))) continue;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!EXCLUDED_DIRS.has(e.name)) subdirs.push(full);
      } else if (e.isFile() && isLintableName(e.name)) {
        let size: number;
        try {
          size = (await fs.stat(full)).size;
        } catch {
          continue;
        }
        if (size > maxBytes) out.tooLarge.push(full);
        else if (out.files.length >= maxFiles) out.truncated++;
        else out.files.push(full);
      }
    }
    // Depth first in name order, so the listing (and the progress) follows the tree.
    pending.unshift(...subdirs);
  }
  return out;
}
