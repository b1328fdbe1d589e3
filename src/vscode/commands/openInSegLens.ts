/**
 * "Open in SegLens" (explorer context menu): opens the clicked file with its paired partner. VS Code passes the
 * clicked URI and, with a multi-selection, all selected URIs; selecting an image and its mask together opens
 * exactly those two. Invoked without a file (e.g. from a keybinding), it falls back to the active editor's file.
 */
import * as vscode from 'vscode';
import { rememberOpened } from '../viewer/access';
import type { ViewerContext } from '../viewer/context';
import { classifyFiles, displayName } from '../viewer/sampleLoader';
import { ViewerPanel } from '../viewer/viewerPanel';
import type { CommandHandler } from './table';

function isUri(x: unknown): x is vscode.Uri {
  return x instanceof vscode.Uri;
}

function activeFile(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input && typeof input === 'object' && 'uri' in input && isUri(input.uri)) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

export function openInSegLensCommand(ctx: ViewerContext): CommandHandler {
  return {
    async run(clicked?: unknown, selected?: unknown) {
      let files: vscode.Uri[] = [];
      if (Array.isArray(selected) && selected.length > 1) files = selected.filter(isUri);
      else if (isUri(clicked)) files = [clicked];
      else {
        const active = activeFile();
        if (active) files = [active];
      }
      if (files.length === 0) {
        const pick = await vscode.window.showInformationMessage(
          'SegLens: right-click an image or mask in the explorer, or pick files to open.',
          'Open Files…',
        );
        if (pick) await ctx.openFiles();
        return;
      }
      const settings = ctx.settings(files[0]);
      const { uris, notes, problems } = await classifyFiles(files, settings.pairing);
      if (!uris.image && !uris.gt && !uris.prob) {
        const names = files.map(displayName).join(', ');
        void vscode.window.showErrorMessage(
          problems.length ? `SegLens: ${problems[0].message}` : `SegLens: nothing to open in ${names}.`,
        );
        return;
      }
      await rememberOpened(uris); // chosen by the user: may be reopened from a drop or a restored panel
      await ViewerPanel.reuseOrCreate(ctx).load(uris, notes, problems);
    },
  };
}
