/**
 * The "Check Loss at Breakpoint" panel: one page (lossHtml.ts) per check. The temp folder of the check's arrays
 * lives as long as the panel: a new check replaces the page and removes the previous folder, closing the panel
 * removes the last one. `show` resolves when the page reports what it displays (or the panel closes first).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { TempStore } from '../../node/debug/tempStore';
import { lossHtml, parseShown, type LossPage, type LossPageShown } from './lossHtml';

export const LOSS_VIEW_TYPE = 'seglens.debugLoss';

export class LossPanel {
  private static current: LossPanel | undefined;
  private folder: string | undefined;
  private page = 0;
  private waiting: { page: number; resolve: (shown: LossPageShown | undefined) => void } | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly store: TempStore,
  ) {
    panel.webview.onDidReceiveMessage((m: unknown) => {
      const shown = parseShown(m);
      if (shown && this.waiting?.page === shown.page) {
        this.waiting.resolve(shown);
        this.waiting = undefined;
      }
    });
    panel.onDidDispose(() => {
      if (this.folder) store.remove(this.folder);
      this.folder = undefined;
      this.waiting?.resolve(undefined);
      this.waiting = undefined;
      if (LossPanel.current === this) LossPanel.current = undefined;
    });
  }

  /**
   * Shows `page` (in the open panel, or a new one beside the editor); `folder` is removed with the page. Resolves
   * with what the page reports once displayed, or undefined when the panel closed before.
   */
  static show(store: TempStore, page: LossPage, folder: string): Promise<LossPageShown | undefined> {
    let p = LossPanel.current;
    if (!p) {
      const panel = vscode.window.createWebviewPanel(
        LOSS_VIEW_TYPE,
        `Check Loss: ${page.table.functionName}`,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      p = new LossPanel(panel, store);
      LossPanel.current = p;
    } else {
      p.panel.title = `Check Loss: ${page.table.functionName}`;
      p.panel.reveal(undefined, true);
    }
    if (p.folder && p.folder !== folder) store.remove(p.folder);
    p.folder = folder;
    p.waiting?.resolve(undefined);
    const number = ++p.page;
    const panel = p;
    const shown = new Promise<LossPageShown | undefined>(
      (resolve) => (panel.waiting = { page: number, resolve }),
    );
    p.panel.webview.html = lossHtml(page, randomBytes(16).toString('base64'), number);
    return shown;
  }
}
