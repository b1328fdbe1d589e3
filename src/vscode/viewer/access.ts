/**
 * Which files a viewer panel may read when the location came from somewhere the host does not control: a state a
 * restored panel's webview stored, or a drop on the panel (docs/architecture.md §8). Local files must resolve —
 * symlinks followed — inside a workspace folder's real path, the extension's own storage (model-run maps), or be
 * files the user opened explicitly this session through a dialog or a command. The decision for a local path is
 * node/fs/workspacePath (unit-tested with real symlinks); this adapter supplies the folders and the session's list.
 */
import * as vscode from 'vscode';
import { checkFileAccess, realPathOf } from '../../node/fs/workspacePath';
import { isInside, parseDroppedUri, parseFolderUri } from './dropFiles';
import type { SampleUris } from './sampleLoader';

/** Real paths of files opened through a dialog or a command in this extension host's life. */
const opened = new Set<string>();
/** Folders the extension itself writes (model-run maps); set once at activation. */
let storageRoots: string[] = [];

export function allowStorageRoots(roots: readonly (vscode.Uri | undefined)[]): void {
  storageRoots = roots.filter((r): r is vscode.Uri => r?.scheme === 'file').map((r) => r.fsPath);
}

function filesOf(uris: SampleUris): vscode.Uri[] {
  return [uris.image, uris.gt, uris.prob].filter((u): u is vscode.Uri => u !== undefined);
}

/** Records the files of a sample the user opened explicitly (the open dialog, "Open in SegLens"). */
export async function rememberOpened(uris: SampleUris): Promise<void> {
  for (const uri of filesOf(uris)) {
    if (uri.scheme !== 'file') continue;
    const real = await realPathOf(uri.fsPath);
    if (real !== undefined) opened.add(real);
  }
}

/**
 * Why `uri` may not be read, or undefined when it may. A file of another scheme (a remote or virtual folder)
 * cannot be resolved through node; it must lie textually inside a workspace folder of the same scheme, with no
 * dot segments — the best that scheme's provider lets us check.
 */
export async function refusalOf(uri: vscode.Uri): Promise<string | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (uri.scheme === 'file') {
    const roots = [
      ...folders.filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      ...storageRoots,
    ];
    const check = await checkFileAccess(uri.fsPath, {
      roots,
      opened,
      noFolders: !folders.some((f) => f.uri.scheme === 'file'),
    });
    return check.ok ? undefined : check.reason;
  }
  const parsed = parseDroppedUri(uri.toString());
  if (!parsed.ok) return parsed.error;
  const inside = folders.some((f) => {
    const folder = parseFolderUri(f.uri.toString());
    return folder.ok && isInside(parsed.file, folder.file);
  });
  return inside ? undefined : `${uri.toString(true)} is outside the workspace folders`;
}

/** Splits a sample into the files that may be read and the reasons for the ones that may not. */
export async function checkSample(uris: SampleUris): Promise<{ allowed: SampleUris; refused: string[] }> {
  const allowed: SampleUris = {};
  const refused: string[] = [];
  for (const role of ['image', 'gt', 'prob'] as const) {
    const uri = uris[role];
    if (!uri) continue;
    const reason = await refusalOf(uri);
    if (reason === undefined) allowed[role] = uri;
    else refused.push(reason);
  }
  return { allowed, refused };
}
