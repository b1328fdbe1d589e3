/**
 * Restores viewer panels after a window reload (docs/style.md habit 8). The persisted state holds URIs and view
 * options only — never pixels — so a restored panel re-reads its files, and a state that fails validation
 * yields an empty panel with a message instead of an error. A restored file is read only when it resolves inside
 * the workspace (access.ts); one that does not is named in a warning instead.
 */
import * as vscode from 'vscode';
import { DEFAULT_VIEW_OPTIONS, parseViewerState } from '../../protocol';
import type { Problem } from '../../protocol';
import { checkSample } from './access';
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
    // The state was written by the webview, so it is not trusted: every file must resolve (symlinks followed)
    // inside the workspace, the extension's storage, or be one the user opened this session — before any read.
    const { allowed, refused } = await checkSample(uris);
    const notRestored: Problem[] = refused.map((reason) => ({
      severity: 'warning',
      message: `Not reopened after reload: ${reason}. Open it again to view it.`,
    }));
    uris = allowed;
    if (!uris.image && !uris.gt && !uris.prob) {
      await viewer.load({}, [], notRestored);
      return;
    }
    // The model this panel had chosen is again the default for its folder (the choice outlives the reload).
    const model = parsed.value.view.analysis?.model;
    if (uris.prob && model) rememberModelOf(uris.prob, model);
    await viewer.load(uris, ['Restored after reload.'], notRestored);
  }
}
