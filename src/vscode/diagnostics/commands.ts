/**
 * The lint commands. Each one always answers (docs/style.md habit 9): with a result, or with a message saying why it
 * could not do what was asked (the command table adds the answer to failures and to an unavailable lint).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ruleRegistry } from './registry';
import { errorMessage } from '../../core/errors';
import { ruleDocFolders } from '../../node/lint/assets';
import type { CommandsOf } from '../commands/ids';
import type { CommandHandlers } from '../commands/table';
import { LINT_COMMANDS } from './ids';
import type { LintService } from './lintService';
import { lintWorkspaceCommand, type WorkspaceLint } from './workspaceLint';

/** What "Lint Loss Code in Current File" returns (tests read it through executeCommand). */
export interface LintCommandResult {
  file?: string;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Why nothing was linted, when nothing was. */
  skipped?: string;
}

const README_DOCS = 'docs/rules/README.md';

export function describeCounts(r: LintCommandResult): string {
  if (r.findings === 0) return 'no findings';
  return `${r.findings} finding${r.findings === 1 ? '' : 's'} (${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}, ${r.infos} info)`;
}

async function lintCurrentFile(service: LintService): Promise<LintCommandResult> {
  const editor = vscode.window.activeTextEditor;
  const skipped = (why: string): LintCommandResult => {
    void vscode.window.showInformationMessage(`SegLens lint: ${why}`);
    return { findings: 0, errors: 0, warnings: 0, infos: 0, skipped: why };
  };
  if (!editor) return skipped('open a Python file (or notebook cell) to lint it.');
  const doc = editor.document;
  const name = path.basename(doc.uri.path) || doc.uri.toString(true);
  if (doc.languageId !== 'python') return skipped(`${name} is ${doc.languageId}, not Python.`);
  const outcome = await service.lintNow(doc);
  if (!outcome) {
    const state = service.stateOf(doc.uri);
    const why =
      state?.kind === 'failed' ? `lint failed: ${state.error}` : 'lint did not run (see the SegLens log).';
    void vscode.window.showErrorMessage(`SegLens lint of ${name}: ${why}`);
    return { file: doc.uri.toString(), findings: 0, errors: 0, warnings: 0, infos: 0, skipped: why };
  }
  const count = (s: string): number => outcome.findings.filter((f) => f.severity === s).length;
  const result: LintCommandResult = {
    file: doc.uri.toString(),
    findings: outcome.findings.length,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
  };
  const off = service.settingsFor(doc.uri).enable ? '' : ' Automatic lint is off (seglens.lint.enable).';
  const size = outcome.tooLarge ? ' The file is over the size limit (seglens.lint.maxFileLength).' : '';
  void vscode.window.showInformationMessage(
    `SegLens lint: ${name} has ${describeCounts(result)}.${size}${off}`,
  );
  return result;
}

/** Opens a rule page in the Markdown preview, or as text where the preview is unavailable. */
export async function openRuleDocs(service: LintService, rule: unknown): Promise<boolean> {
  let id = typeof rule === 'string' ? rule.trim().toUpperCase() : undefined;
  if (id === undefined) {
    const pick = await vscode.window.showQuickPick(
      ruleRegistry().map((r) => ({ label: r.id, description: r.name, detail: r.summary })),
      { placeHolder: 'Loss-lint rule to show', matchOnDescription: true, matchOnDetail: true },
    );
    if (!pick) return false;
    id = pick.label;
  }
  const info = ruleRegistry().find((r) => r.id === id);
  if (!info && id !== 'LL000') {
    void vscode.window.showErrorMessage(`SegLens: there is no loss-lint rule ${JSON.stringify(rule)}.`);
    return false;
  }
  const uri = service.docUri(info?.docs ?? README_DOCS);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showErrorMessage(`SegLens: the documentation of ${id} is missing (${uri.fsPath}).`);
    return false;
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // The built-in Markdown extension may be disabled; the page is still readable as text.
    await vscode.window.showTextDocument(uri, { preview: true });
  }
  return true;
}

/**
 * A rule page opened as text (e.g. from the code link in the Problems panel, which opens the diagnostic's target)
 * is swapped for its Markdown preview, so the documentation always reads as documentation.
 */
export function previewRuleDocsOnOpen(
  extensionPath: string,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const folders = ruleDocFolders(extensionPath).map((f) => f + path.sep);
  return vscode.window.onDidChangeActiveTextEditor(async (editor) => {
    const uri = editor?.document.uri;
    if (!uri || uri.scheme !== 'file' || !uri.fsPath.endsWith('.md')) return;
    if (!folders.some((f) => uri.fsPath.startsWith(f))) return;
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
      const tab = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
      if (tab) await vscode.window.tabGroups.close(tab);
    } catch (e) {
      log.warn(`could not show ${uri.fsPath} as a preview: ${errorMessage(e)}`);
    }
  });
}

/**
 * The lint commands' handlers for the extension's command table. Without a service (the lint failed to start) the
 * lint commands answer with that reason; the log stays available.
 */
export function lintCommands(
  service: LintService | undefined,
  failure: string | undefined,
  log: vscode.LogOutputChannel,
  workspacePass?: WorkspaceLint,
): CommandHandlers<CommandsOf<'lint'>> {
  const unavailable = () =>
    service ? undefined : `the loss lint is unavailable: ${failure ?? 'it did not start'}`;
  return {
    [LINT_COMMANDS.lintCurrentFile]: {
      run: () => lintCurrentFile(service as LintService),
      unavailable,
    },
    [LINT_COMMANDS.showRuleDocs]: {
      run: (rule: unknown) => openRuleDocs(service as LintService, rule),
      unavailable,
      fallback: false,
    },
    [LINT_COMMANDS.showOutput]: { run: async () => log.show(true) },
    [LINT_COMMANDS.lintWorkspace]: {
      run: (target: unknown) => lintWorkspaceCommand(workspacePass as WorkspaceLint, target),
      unavailable: () => (workspacePass ? undefined : unavailable()),
    },
  };
}
