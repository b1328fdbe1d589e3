/**
 * Restores viewer panels after a window reload (docs/style.md habit 8). The persisted state holds URIs and view
 * options only — never pixels — so a restored panel re-reads its files, and a state that fails validation
 * yields an empty panel with a message instead of an error.
 */
import * as vscode from 'vscode';
import { DEFAULT_VIEW_OPTIONS, parseViewerState } from '../../protocol';
import type { ViewerContext } from './context';
import { rememberModelOf } from '../analysis/modelMemory';
import { fromSampleRef } from './sampleLoader';
import { ViewerPanel } from './viewerPanel';

export class ViewerSerializer implements vscode.WebviewPanelSerializer<unknown> {
  constructor(private readonly ctx: ViewerContext) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = parseViewerState(state);
    if (!parsed.ok) {
      this.ctx.log.warn(`could not restore a SegLens panel: ${parsed.error}`);
      const viewer = ViewerPanel.revive(this.ctx, panel, DEFAULT_VIEW_OPTIONS);
      await viewer.load(
        {},
        [],
        [{ severity: 'info', message: 'This panel could not be restored; open a file again.' }],
      );
      return;
    }
    const viewer = ViewerPanel.revive(this.ctx, panel, parsed.value.view);
    let uris;
    try {
      uris = fromSampleRef(parsed.value.sample);
    } catch (e) {
      await viewer.load(
        {},
        [],
        [{ severity: 'info', message: `This panel could not be restored: ${String(e)}` }],
      );
      return;
    }
    // The model this panel had chosen is again the default for its folder (the choice outlives the reload).
    const model = parsed.value.view.analysis?.model;
    if (uris.prob && model) rememberModelOf(uris.prob, model);
    await viewer.load(uris, ['Restored after reload.']);
  }
}
