/**
 * The dataset view's rows of the command table: "Evaluate Folder…" (explorer folders, palette, the viewer's title
 * bar) and next/previous worst (keys that work while the viewer or the table has the focus).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandsOf } from '../commands/ids';
import type { CommandHandlers } from '../commands/table';
import type { ViewerContext } from '../viewer/context';
import { ViewerPanel } from '../viewer/viewerPanel';
import { DatasetPanel, datasetRoot } from './datasetPanel';

function isUri(x: unknown): x is vscode.Uri {
  return x instanceof vscode.Uri;
}

/** The folder to evaluate: the clicked one, else the folder of the active viewer's sample, else one picked. */
async function folderToEvaluate(ctx: ViewerContext, clicked: unknown): Promise<vscode.Uri | undefined> {
  if (isUri(clicked)) {
    const stat = await vscode.workspace.fs.stat(clicked);
    return stat.type & vscode.FileType.Directory ? clicked : vscode.Uri.joinPath(clicked, '..');
  }
  const viewer =
    ViewerPanel.open.find((p) => p.panel.active) ?? ViewerPanel.open[ViewerPanel.open.length - 1];
  const shown = viewer?.currentSample.image ?? viewer?.currentSample.gt;
  if (shown) return vscode.Uri.joinPath(vscode.Uri.parse(shown), '..');
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Evaluate',
    title: 'SegLens: pick a dataset folder (images/, masks/, probs/<model>/)',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

async function evaluateFolder(ctx: ViewerContext, clicked: unknown): Promise<void> {
  const folder = await folderToEvaluate(ctx, clicked);
  if (!folder) {
    void vscode.window.setStatusBarMessage('SegLens: no folder picked.', 3000);
    return;
  }
  if (folder.scheme !== 'file') {
    void vscode.window.showErrorMessage(
      `SegLens: the dataset view evaluates folders on this machine's disk; ${folder.toString(true)} is not one.`,
    );
    return;
  }
  const rules = ctx.settings(folder).pairing;
  const roleFolders = [
    ...rules.imageFolders,
    ...rules.maskFolders,
    ...rules.probFolders,
    ...(rules.predFolders ?? []),
  ];
  const root = datasetRoot(folder.fsPath, roleFolders, [...rules.probFolders, ...(rules.predFolders ?? [])]);
  DatasetPanel.show(ctx, vscode.Uri.file(path.resolve(root)));
}

function activePanel(): DatasetPanel | undefined {
  return DatasetPanel.open.find((p) => p.panel.active) ?? DatasetPanel.open[DatasetPanel.open.length - 1];
}

async function step(delta: 1 | -1): Promise<void> {
  const panel = activePanel();
  if (!panel) {
    const pick = await vscode.window.showInformationMessage(
      'SegLens: no dataset is open. Evaluate a folder first.',
      'Evaluate Folder…',
    );
    if (pick) await vscode.commands.executeCommand('seglens.dataset.evaluateFolder');
    return;
  }
  await panel.step(delta);
}

export function datasetCommands(ctx: ViewerContext): CommandHandlers<CommandsOf<'dataset'>> {
  return {
    'seglens.dataset.evaluateFolder': { run: (clicked) => evaluateFolder(ctx, clicked) },
    'seglens.dataset.evaluateFolderFromExplorer': { run: (clicked) => evaluateFolder(ctx, clicked) },
    'seglens.dataset.nextWorst': { run: () => step(1) },
    'seglens.dataset.previousWorst': { run: () => step(-1) },
  };
}
