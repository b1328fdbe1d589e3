/**
 * "Open Image/Mask/Probability Files…" (palette): a file dialog for one sample. A single file is paired like the
 * explorer command; several files are sorted into image and mask by folder and suffix.
 */
import * as vscode from 'vscode';
import { OPENABLE_EXTENSIONS } from '../../node/io/pairing';
import { rememberOpened } from '../viewer/access';
import type { ViewerContext } from '../viewer/context';
import { classifyFiles } from '../viewer/sampleLoader';
import { ViewerPanel } from '../viewer/viewerPanel';
import type { CommandHandler } from './table';

export async function pickAndOpen(ctx: ViewerContext): Promise<void> {
  const files = await vscode.window.showOpenDialog({
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: false,
    openLabel: 'Open in SegLens',
    title: 'SegLens: pick an image (and optionally its mask)',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { 'Images, masks and arrays': [...OPENABLE_EXTENSIONS], 'All files': ['*'] },
  });
  if (!files || files.length === 0) {
    void vscode.window.setStatusBarMessage('SegLens: no file picked.', 3000);
    return;
  }
  const settings = ctx.settings(files[0]);
  const { uris, notes, problems } = await classifyFiles(files, settings.pairing);
  if (!uris.image && !uris.gt && !uris.prob) {
    void vscode.window.showErrorMessage(`SegLens: ${problems[0]?.message ?? 'nothing to open.'}`);
    return;
  }
  // Picked in a dialog: the user chose these files, wherever they are, so a later drop of them may open too.
  await rememberOpened(uris);
  await ViewerPanel.reuseOrCreate(ctx).load(uris, notes, problems);
}

export function openFilesCommand(ctx: ViewerContext): CommandHandler {
  return { run: () => pickAndOpen(ctx) };
}
