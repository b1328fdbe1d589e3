/**
 * Loss-code lint in the editor: diagnostics, hovers, quick fixes, commands and the status-bar item. The one
 * function here is what src/extension.ts calls; nothing heavy happens at registration (the Python parser loads on
 * the first lint).
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { CommandsOf } from '../commands/ids';
import type { CommandHandlers } from '../commands/table';
import { lintCommands, previewRuleDocsOnOpen } from './commands';
import { LintService } from './lintService';
import { LintCodeActionProvider, LintHoverProvider, PYTHON_SELECTOR } from './providers';
import { createLintStatusBar } from './statusBar';
import { WorkspaceLint } from './workspaceLint';

/** Registers the lint's providers and returns its commands' handlers (registered with the command table). */
export function registerLintFeatures(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): CommandHandlers<CommandsOf<'lint'>> {
  try {
    const service = new LintService(context.extensionPath, log);
    context.subscriptions.push(
      service,
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
    const workspacePass = new WorkspaceLint(service, log);
    // seglens.lint.workspaceOnOpen: the whole-workspace pass, in the background, once the extension is up.
    void workspacePass
      .runOnOpen()
      .catch((e: unknown) => log.error(`loss lint (workspace on open) failed: ${errorMessage(e)}`));
    return lintCommands(service, undefined, log, workspacePass);
  } catch (e) {
    // A broken lint must not take the rest of the extension down with it; it says why instead, and its commands
    // answer with the same reason.
    log.error(`loss lint failed to start: ${errorMessage(e)}`);
    void vscode.window.showErrorMessage(`SegLens loss lint failed to start: ${errorMessage(e)}`);
    return lintCommands(undefined, errorMessage(e), log);
  }
}
