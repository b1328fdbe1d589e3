/**
 * POSIX path helpers for pairing. Pairing sees paths as VS Code's `Uri.path` and the CLI give them (always '/'),
 * and core may not use node:path, so these few operations are spelled out here.
 */

export interface NameParts {
  /** The folder, without a trailing '/' ("/" for a file at the root, "." for a bare name). */
  dir: string;
  /** The file name without its last extension. */
  stem: string;
  /** The last extension, lower-cased, without the dot ("" when there is none). */
  ext: string;
}

export function basename(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export function dirname(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : trimmed.slice(0, slash);
}

export function join(dir: string, name: string): string {
  if (dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

export function splitName(path: string): NameParts {
  const base = basename(path);
  const dot = base.lastIndexOf('.');
  // A leading dot starts a hidden name (".npy"), not an extension.
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  return { dir: dirname(path), stem: dot > 0 ? base.slice(0, dot) : base, ext };
}

/** Folder and suffix names are compared case-insensitively: Masks/ and masks/ are the same rule. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
