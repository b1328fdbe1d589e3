/**
 * The workspace's loss-lint findings, summed for the viewer: when a probability map has no pixel above the
 * threshold (the demo's Dice-axis-bug model peaks at 0.004), the panel points at the loss code that is the likely
 * cause — "3 findings in losses/dice_keras.py" with a link. Python files not open yet are linted through the lint
 * service (which then shows their findings in the Problems panel too); at most MAX_FILES files, so a large
 * repository costs a bounded amount of work, and only when the panel needs the answer.
 */
import * as vscode from 'vscode';
import type { LossLintFile, LossLintSummary } from '../../protocol';
import type { Finding } from '../../core/lint/types';

/** Python files looked at, at most. */
export const MAX_FILES = 60;

/** Folders that hold no loss code of the user's (environments, dependencies, build output). */
const EXCLUDE =
  '**/{node_modules,.git,.venv,venv,env,site-packages,__pycache__,.vscode-test-host,dist,out,build}/**';

/** What the summary needs of the lint service (lintService.ts; an interface here, so neither imports the other). */
export interface LintSource {
  findingsOf(uri: vscode.Uri): Finding[];
  /** Undefined when the file was never linted. */
  stateOf(uri: vscode.Uri): unknown;
  lintNow(doc: vscode.TextDocument): Promise<{ findings: Finding[] } | undefined>;
}

let service: LintSource | undefined;

/** The lint service the summary asks (set by the service itself when it starts). */
export function provideLossLint(s: LintSource): vscode.Disposable {
  service = s;
  return { dispose: () => void (service === s && (service = undefined)) };
}

/** The summary, or undefined when no lint service runs (lint features not started). */
export async function workspaceLossLint(maxFiles = MAX_FILES): Promise<LossLintSummary | undefined> {
  const lint = service;
  if (!lint) return undefined;
  const uris = await vscode.workspace.findFiles('**/*.py', EXCLUDE, maxFiles);
  const files: LossLintFile[] = [];
  for (const uri of uris) {
    let findings = lint.findingsOf(uri);
    if (lint.stateOf(uri) === undefined) {
      try {
        const outcome = await lint.lintNow(await vscode.workspace.openTextDocument(uri));
        findings = outcome?.findings ?? [];
      } catch {
        continue;
      }
    }
    if (findings.length === 0) continue;
    files.push({
      label: vscode.workspace.asRelativePath(uri, false),
      uri: uri.toString(),
      findings: findings.length,
      line: Math.min(...findings.map((f) => f.range.start.line)),
    });
  }
  files.sort((a, b) => b.findings - a.findings || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return { findings: files.reduce((a, f) => a + f.findings, 0), files };
}
