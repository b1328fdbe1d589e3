/**
 * The "Check Loss at Breakpoint" panel: one static page (lossHtml.ts) per check. The temp folder of the check's
 * arrays lives as long as the panel: a new check replaces the page and removes the previous folder, closing the
 * panel removes the last one.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { TempStore } from '../../node/debug/tempStore';
import { lossHtml, type LossPage } from './lossHtml';

export const LOSS_VIEW_TYPE = 'seglens.debugLoss';

export class LossPanel {
  private static current: LossPanel | undefined;
  private folder: string | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly store: TempStore,
  ) {
    panel.onDidDispose(() => {
      if (this.folder) store.remove(this.folder);
      this.folder = undefined;
      if (LossPanel.current === this) LossPanel.current = undefined;
    });
  }

  /** Shows `page` (in the open panel, or a new one beside the editor); `folder` is removed with the page. */
  static show(store: TempStore, page: LossPage, folder: string): LossPanel {
    let p = LossPanel.current;
    if (!p) {
      const panel = vscode.window.createWebviewPanel(
        LOSS_VIEW_TYPE,
        `Check Loss: ${page.table.functionName}`,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, localResourceRoots: [] },
      );
      p = new LossPanel(panel, store);
      LossPanel.current = p;
    } else {
      p.panel.title = `Check Loss: ${page.table.functionName}`;
      p.panel.reveal(undefined, true);
    }
    if (p.folder && p.folder !== folder) store.remove(p.folder);
    p.folder = folder;
    p.panel.webview.html = lossHtml(page, randomBytes(16).toString('base64'));
    return p;
  }
}
