/**
 * Restores dataset panels after a window reload from their persisted folder (never from rows): the folder is listed
 * again and the pairing preview shown; evaluating is one click (the engine's cache makes it quick).
 */
import * as vscode from 'vscode';
import { parseDatasetState } from '../../protocol/dataset';
import type { ViewerContext } from '../viewer/context';
import { DatasetPanel } from './datasetPanel';

export class DatasetSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly ctx: ViewerContext) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = parseDatasetState(state);
    if (!parsed.ok) {
      this.ctx.log.warn(`dataset panel not restored: ${parsed.error}`);
      panel.dispose();
      return;
    }
    DatasetPanel.revive(this.ctx, panel, vscode.Uri.parse(parsed.value.rootUri));
  }
}
