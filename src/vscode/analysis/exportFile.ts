/**
 * The only way SegLens writes a user's file (docs/architecture.md §8): an explicit export through a save dialog, a question
 * before replacing an existing file, and an atomic write — the bytes go to a temporary sibling first and are
 * renamed over the target, so a crash never leaves a half-written file under the user's name.
 *
 * Tests answer the dialog and the question through hooks they set with the extension's test API (SegLensApi.test,
 * present only under test).
 */
import { homedir } from 'node:os';
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { EXPORT_FOLDER } from '../../core/dataset/exports';

export interface ExportTestHooks {
  /** Replaces the save dialog: returns the chosen target (undefined = cancelled). */
  saveUri?: (defaultUri: vscode.Uri) => Promise<vscode.Uri | undefined>;
  /** Replaces the "replace the existing file?" question. */
  confirmOverwrite?: (target: vscode.Uri) => Promise<boolean>;
}

let testHooks: ExportTestHooks = {};

/** Replaces the dialogs (undefined: the real dialogs again). Reached only through the extension's test API. */
export function setExportTestHooks(hooks: ExportTestHooks | undefined): void {
  testHooks = hooks ?? {};
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where an export is offered first: `<folder>/<file name>`, the folder from `seglens.export.folder` (default
 * `seglens-exports`) — an absolute path as it is, a relative one inside the workspace folder of the sample (else
 * the first workspace folder, else beside the sample's own folder). Never the data folder itself, so an exported
 * mask does not become one more image of the dataset.
 */
export function defaultExportUri(sample: vscode.Uri | undefined, fileName: string): vscode.Uri {
  const setting = vscode.workspace.getConfiguration('seglens', sample).get<string>('export.folder');
  const folder = setting?.trim() || EXPORT_FOLDER;
  if (isAbsolute(folder)) return vscode.Uri.joinPath(vscode.Uri.file(folder), fileName);
  const root =
    (sample && vscode.workspace.getWorkspaceFolder(sample)?.uri) ??
    vscode.workspace.workspaceFolders?.[0]?.uri ??
    (sample ? vscode.Uri.joinPath(sample, '..', '..') : vscode.Uri.file(homedir()));
  return vscode.Uri.joinPath(root, folder, fileName);
}

/** Asks where to save (filters by extension), asks before overwriting, writes atomically. Undefined = cancelled. */
export async function saveWithDialog(
  defaultUri: vscode.Uri,
  filters: Record<string, string[]>,
  bytes: Uint8Array,
): Promise<vscode.Uri | undefined> {
  const hooks = testHooks;
  let target: vscode.Uri | undefined;
  if (hooks.saveUri) target = await hooks.saveUri(defaultUri);
  else {
    // The dialog opens in the export folder, so it must exist (an empty folder is all a cancelled export leaves).
    await vscode.workspace.fs
      .createDirectory(vscode.Uri.joinPath(defaultUri, '..'))
      .then(undefined, () => undefined);
    target = await vscode.window.showSaveDialog({ defaultUri, filters, title: 'Export from SegLens' });
  }
  if (!target) return undefined;
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
  if (await exists(target)) {
    const name = target.path.split('/').pop() ?? target.toString();
    const ok = hooks.confirmOverwrite
      ? await hooks.confirmOverwrite(target)
      : (await vscode.window.showWarningMessage(
          `${name} already exists. Replace it?`,
          { modal: true },
          'Replace',
        )) === 'Replace';
    if (!ok) return undefined;
  }
  await writeAtomically(target, bytes);
  return target;
}

export async function writeAtomically(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
  const dir = vscode.Uri.joinPath(target, '..');
  const name = target.path.split('/').pop() ?? 'export';
  const tmp = vscode.Uri.joinPath(dir, `.${name}.seglens-${Date.now().toString(36)}.tmp`);
  await vscode.workspace.fs.writeFile(tmp, bytes);
  try {
    await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
  } catch (e) {
    await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
    throw e;
  }
}
