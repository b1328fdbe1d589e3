/**
 * Whether a file may be read on the strength of a location the host did not choose itself: a URI a restored
 * panel's webview stored, or one a drop on the panel carried (docs/architecture.md §8). A textual check is not
 * enough — `ws/link.png -> /home/me/.ssh/id_rsa` looks inside the workspace — so the file's real path (every
 * symlink resolved) must lie inside a root's real path, or be a file the user explicitly opened this session.
 * Plain node, no vscode: unit-tested with real symlinks in a temporary folder.
 */
import { realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';

/** Where a file may come from. */
export interface AccessRoots {
  /** Folders whose contents may be read (workspace folders, the extension's own storage); resolved here. */
  roots: readonly string[];
  /** Real paths of files the user opened explicitly (a dialog, a command); they may be read wherever they are. */
  opened?: ReadonlySet<string>;
  /** No workspace folder is open (the roots are only the extension's storage): changes the refusal's wording. */
  noFolders?: boolean;
}

export type AccessCheck = { ok: true; real: string } | { ok: false; reason: string };

/** Whether `file` lies strictly below `root` (both absolute, already resolved); whole segments only. */
export function isBelow(file: string, root: string, p: path.PlatformPath = path): boolean {
  const rel = p.relative(root, file);
  return rel !== '' && !rel.startsWith(`..${p.sep}`) && rel !== '..' && !p.isAbsolute(rel);
}

/** The real path of `file`, or undefined when it cannot be resolved (missing, a broken link, no permission). */
export async function realPathOf(file: string): Promise<string | undefined> {
  try {
    return await realpath(file);
  } catch {
    return undefined;
  }
}

async function realRoots(roots: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of roots) {
    const real = await realPathOf(r);
    // A root that does not exist (storage never written) cannot contain anything.
    if (real !== undefined) out.push(real);
  }
  return out;
}

/**
 * Decides whether `file` (an absolute local path) may be read: resolves its real path and accepts it when that
 * lies inside one root's real path or was opened explicitly. The reason of a refusal names the file, and the
 * place its link leads to when the two differ. Nothing is read: only `realpath` and `stat` touch the disk.
 */
export async function checkFileAccess(file: string, access: AccessRoots): Promise<AccessCheck> {
  if (!path.isAbsolute(file)) return { ok: false, reason: `${file} is not an absolute path` };
  const real = await realPathOf(file);
  if (real === undefined) return { ok: false, reason: `${file} cannot be found` };
  try {
    if (!(await stat(real)).isFile()) return { ok: false, reason: `${file} is not a regular file` };
  } catch {
    return { ok: false, reason: `${file} cannot be found` };
  }
  if (access.opened?.has(real)) return { ok: true, real };
  const roots = await realRoots(access.roots);
  if (roots.some((root) => isBelow(real, root))) return { ok: true, real };
  const where =
    access.noFolders || access.roots.length === 0
      ? 'not in an open workspace folder and not a file opened in this session'
      : 'outside the workspace folders';
  return {
    ok: false,
    reason: real === file ? `${file} is ${where}` : `${file} resolves to ${real}, ${where}`,
  };
}
