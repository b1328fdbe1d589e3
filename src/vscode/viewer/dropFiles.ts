/**
 * What a drop on the viewer panel may open. The webview is untrusted (a compromised page could post anything), so
 * every dropped URI is parsed here without `vscode`, checked against the workspace folders and filtered to the
 * formats SegLens reads before a single byte is read. Plain node: the whole policy is unit-tested, and the host
 * adapter (dropHost) only turns the accepted parts into `vscode.Uri`s.
 */
import { isOpenable } from '../../core/dataset/roles';
import { MAX_DROPPED_FILES, MAX_DROPPED_URI } from '../../protocol';

/** A dropped URI taken apart; `path` is percent-decoded, absolute and free of `.`/`..` segments. */
export interface DroppedFile {
  scheme: 'file' | 'vscode-remote';
  /** Lower-cased; empty for local files. */
  authority: string;
  path: string;
}

export type ParsedDrop = { ok: true; file: DroppedFile } | { ok: false; error: string };

// Controls (and DEL) have no place in a file name a user dragged; refusing them also keeps log lines honest.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const URI = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/;

function quoted(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/**
 * Parses one dropped URI the way VS Code writes them (`file:///abs/path`, `vscode-remote://authority/abs/path`).
 * Queries, fragments, relative paths and dot segments are refused: the explorer never produces them, and a
 * `..` segment would let a path look inside a workspace folder while pointing outside it.
 */
export function parseDroppedUri(text: string): ParsedDrop {
  return parseUri(text, false);
}

/** A workspace folder's URI: like a file's, but the root folder and a trailing slash are allowed. */
export function parseFolderUri(text: string): ParsedDrop {
  return parseUri(text, true);
}

function parseUri(text: string, folder: boolean): ParsedDrop {
  if (text.length > MAX_DROPPED_URI) return { ok: false, error: 'a dropped URI is too long' };
  if (CONTROL.test(text)) return { ok: false, error: `${quoted(text)} contains control characters` };
  const m = URI.exec(text);
  const scheme = m?.[1].toLowerCase();
  if (!m || (scheme !== 'file' && scheme !== 'vscode-remote'))
    return { ok: false, error: `${quoted(text)} is not a file (only file: and vscode-remote: URIs open)` };
  if (m[4] !== undefined || m[5] !== undefined)
    return { ok: false, error: `${quoted(text)} has a query or fragment, not a plain file location` };
  let authority: string;
  let path: string;
  try {
    authority = decodeURIComponent(m[2]).toLowerCase();
    path = decodeURIComponent(m[3]);
  } catch {
    return { ok: false, error: `${quoted(text)} is not a well-formed URI (bad percent-encoding)` };
  }
  if (CONTROL.test(path) || CONTROL.test(authority))
    return { ok: false, error: `${quoted(text)} contains control characters` };
  if (scheme === 'vscode-remote' && authority === '')
    return { ok: false, error: `${quoted(text)} names no remote` };
  if (folder && path.startsWith('/')) path = path.replace(/\/+$/, '') || '/';
  if (!path.startsWith('/') || (path === '/' && !folder))
    return { ok: false, error: `${quoted(text)} does not name a file` };
  const segments = path === '/' ? [] : path.slice(1).split('/');
  if (segments.some((s) => s === '.' || s === '..'))
    return { ok: false, error: `${quoted(text)} contains "." or ".." segments` };
  // An empty segment ("a//b", a trailing "/") is never in an explorer URI; a trailing one names a folder.
  if (segments.some((s) => s === ''))
    return { ok: false, error: `${quoted(text)} does not name a file (empty path segment)` };
  // A Windows path (`/c:/…`) may reach us with either drive-letter case; VS Code writes it lower-case.
  if (/^\/[A-Za-z]:(\/|$)/.test(path)) path = `/${path[1].toLowerCase()}${path.slice(2)}`;
  return { ok: true, file: { scheme, authority, path } };
}

/** Whether `file` lies inside `folder` (same scheme and authority, path equal or below, whole segments only). */
export function isInside(file: DroppedFile, folder: DroppedFile): boolean {
  if (file.scheme !== folder.scheme || file.authority !== folder.authority) return false;
  const base = folder.path === '/' ? '' : folder.path;
  return file.path.startsWith(`${base}/`);
}

/** Where the drop lands: the workspace's folders (their URIs as strings; empty or absent when none is open). */
export interface DropWorkspace {
  folders: readonly string[] | undefined;
}

export type DropPlan =
  | { kind: 'refused'; message: string }
  /** The files to open, in drop order, and the names skipped because SegLens cannot read their format. */
  | { kind: 'open'; files: DroppedFile[]; skipped: string[] };

const HOW_TO =
  'Drag images, masks or probability maps from the VS Code explorer while holding Shift (files from other applications carry no location a webview can read).';

function baseName(f: DroppedFile): string {
  return f.path.slice(f.path.lastIndexOf('/') + 1);
}

/**
 * Decides what a drop opens. Refuses the whole drop (nothing is read) when any URI is malformed, not a file,
 * or — when the workspace has folders — outside all of them; otherwise keeps the openable files.
 */
export function planDrop(msg: { uris: readonly string[]; refused?: string }, ws: DropWorkspace): DropPlan {
  if (msg.refused !== undefined) return { kind: 'refused', message: `Drop refused: ${msg.refused}.` };
  if (msg.uris.length === 0) return { kind: 'refused', message: `The drop carried no files. ${HOW_TO}` };
  if (msg.uris.length > MAX_DROPPED_FILES)
    return {
      kind: 'refused',
      message: `Drop refused: SegLens opens at most ${MAX_DROPPED_FILES} dropped files at once.`,
    };
  const folders: DroppedFile[] = [];
  for (const f of ws.folders ?? []) {
    const parsed = parseFolderUri(f);
    // A folder of another scheme (untitled, virtual) cannot contain a dropped file; it is simply not a match.
    if (parsed.ok) folders.push(parsed.file);
  }
  const hostSeesFiles = folders.length === 0 || folders.some((f) => f.scheme === 'file');
  const files: DroppedFile[] = [];
  for (const text of msg.uris) {
    const parsed = parseDroppedUri(text);
    if (!parsed.ok) return { kind: 'refused', message: `Drop refused: ${parsed.error}.` };
    let file = parsed.file;
    // The workbench (explorer, drag data) writes the files of a remote window as vscode-remote://authority/path,
    // while the extension host that opens them sees the same files as file:///path. Mapping grants nothing new:
    // the folder check below still applies, and with no folder any local path is openable anyway.
    if (file.scheme === 'vscode-remote' && hostSeesFiles)
      file = { scheme: 'file', authority: '', path: file.path };
    if ((ws.folders?.length ?? 0) > 0 && !folders.some((folder) => isInside(file, folder)))
      return {
        kind: 'refused',
        message: `Drop refused: ${file.path} is outside the workspace folders; SegLens opens dropped files only from the open workspace.`,
      };
    if (
      !files.some((f) => f.scheme === file.scheme && f.authority === file.authority && f.path === file.path)
    )
      files.push(file);
  }
  const skipped = files.filter((f) => !isOpenable(f.path)).map(baseName);
  const openable = files.filter((f) => isOpenable(f.path));
  if (openable.length === 0)
    return {
      kind: 'refused',
      message: `Nothing to open: ${skipped.join(', ')} ${skipped.length === 1 ? 'is not a format' : 'are not formats'} SegLens reads (png, jpg, jpeg, tif, tiff, bmp, webp, npy, npz).`,
    };
  return { kind: 'open', files: openable, skipped };
}
