/**
 * The status-bar item, shown while a Python document or notebook cell is active: the lint state of that document
 * (see status.ts), updated when the lint finishes or the active editor changes.
 */
import * as vscode from 'vscode';
import { isLintable, type LintService } from './lintService';
import { statusView } from './status';

export function createLintStatusBar(service: LintService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('seglens.lint.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'SegLens Loss Lint';
  const update = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    // Python shown in a diff, an output or a chat block is never linted: no item rather than an endless spinner.
    if (!doc || !isLintable(doc)) {
      item.hide();
      return;
    }
    const state = service.stateOf(doc.uri) ?? { kind: 'loading' as const };
    const view = statusView(state);
    item.text = view.text;
    item.tooltip = view.tooltip;
    item.command = view.command;
    item.backgroundColor = view.warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  update();
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(update),
    service.onDidChangeState((key) => {
      if (vscode.window.activeTextEditor?.document.uri.toString() === key) update();
    }),
  );
}
