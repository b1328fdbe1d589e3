/**
 * The only way SegLens writes a user's file (docs/architecture.md §8): an explicit export through a save dialog, a question
 * before replacing an existing file, and an atomic write — the bytes go to a temporary sibling first and are
 * renamed over the target, so a crash never leaves a half-written file under the user's name.
 *
 * Tests answer the dialog and the question through hooks they set with the extension's test API (SegLensApi.test,
 * present only under test).
 */
import * as vscode from 'vscode';

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

/** Asks where to save (filters by extension), asks before overwriting, writes atomically. Undefined = cancelled. */
export async function saveWithDialog(
  defaultUri: vscode.Uri,
  filters: Record<string, string[]>,
  bytes: Uint8Array,
): Promise<vscode.Uri | undefined> {
  const hooks = testHooks;
  const target = hooks.saveUri
    ? await hooks.saveUri(defaultUri)
    : await vscode.window.showSaveDialog({ defaultUri, filters, title: 'Export from SegLens' });
  if (!target) return undefined;
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
