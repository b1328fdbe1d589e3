/**
 * Loss-code lint in the editor: diagnostics, hovers, quick fixes, commands and the status-bar item. The one
 * function here is what src/extension.ts calls; nothing heavy happens at registration (the Python parser loads on
 * the first lint).
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { previewRuleDocsOnOpen, registerLintCommands } from './commands';
import { LintService } from './lintService';
import { LintCodeActionProvider, LintHoverProvider, PYTHON_SELECTOR } from './providers';
import { createLintStatusBar } from './statusBar';

export function registerLintFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  try {
    const service = new LintService(context.extensionPath, log);
    context.subscriptions.push(
      service,
      ...registerLintCommands(service, log),
      vscode.languages.registerHoverProvider(PYTHON_SELECTOR, new LintHoverProvider(service)),
      vscode.languages.registerCodeActionsProvider(
        PYTHON_SELECTOR,
        new LintCodeActionProvider(service),
        LintCodeActionProvider.metadata,
      ),
      createLintStatusBar(service),
      previewRuleDocsOnOpen(context.extensionPath, log),
    );
    // Documents already open when the extension activated (onLanguage:python fires for the first of them).
    service.relintAll();
  } catch (e) {
    // A broken lint must not take the rest of the extension down with it; it says why instead.
    log.error(`loss lint failed to start: ${errorMessage(e)}`);
    void vscode.window.showErrorMessage(`SegLens loss lint failed to start: ${errorMessage(e)}`);
  }
}
