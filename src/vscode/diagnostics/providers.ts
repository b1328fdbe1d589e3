/**
 * Hover and code-action providers for Python documents and notebook cells. Both read the findings the lint
 * service has on display, so they always agree with the squiggles.
 */
import * as vscode from 'vscode';
import { ruleRegistry } from './registry';
import { buildActions, fixAllEdits } from './actions';
import { hoverMarkdown } from './hover';
import { LINT_COMMANDS } from './ids';
import type { LintService } from './lintService';

export const PYTHON_SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'python', scheme: 'untitled' },
  { language: 'python', scheme: 'vscode-remote' },
  { language: 'python', scheme: 'vscode-vfs' },
  { language: 'python', scheme: 'vscode-notebook-cell' },
];

export class LintHoverProvider implements vscode.HoverProvider {
  constructor(private readonly service: LintService) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const findings = this.service.findingsAt(doc.uri, pos);
    if (findings.length === 0) return undefined;
    const md = new vscode.MarkdownString(hoverMarkdown(findings, ruleRegistry()));
    // Only our own documentation command may run from the hover's links (the link needs trust; nothing else
    // does), and no HTML renders: the text quotes the user's code (escaped in hover.ts as well).
    md.isTrusted = { enabledCommands: [LINT_COMMANDS.showRuleDocs] };
    md.supportHtml = false;
    const r = findings[0].range;
    return new vscode.Hover(
      md,
      new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
    );
  }
}

export class LintCodeActionProvider implements vscode.CodeActionProvider {
  static readonly fixAllKind = vscode.CodeActionKind.SourceFixAll.append('seglens');
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, LintCodeActionProvider.fixAllKind],
  };

  constructor(private readonly service: LintService) {}

  provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (context.only && LintCodeActionProvider.fixAllKind.intersects(context.only)) {
      return this.fixAll(doc);
    }
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const text = doc.getText();
    const all = this.service.findingsOf(doc.uri);
    const out: vscode.CodeAction[] = [];
    // Several diagnostics of one rule share "disable for file" and "show documentation": offer those once.
    const seen = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      const finding = this.service.findingFor(doc.uri, diagnostic);
      if (!finding) continue;
      for (const spec of buildActions(finding, text, all, eol)) {
        const at = diagnostic.range.start;
        const key = spec.scope === 'file' ? spec.title : `${spec.title}@${at.line}:${at.character}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const action = new vscode.CodeAction(spec.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        if (spec.preferred) action.isPreferred = true;
        if (spec.edits.length) {
          const edit = new vscode.WorkspaceEdit();
          for (const e of spec.edits) {
            const r = e.range;
            edit.replace(
              doc.uri,
              new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
              e.newText,
            );
          }
          action.edit = edit;
        }
        if (spec.command)
          action.command = {
            command: spec.command.id,
            title: spec.command.title,
            arguments: spec.command.args,
          };
        out.push(action);
      }
    }
    return out;
  }

  /** `source.fixAll.seglens`: every recommended fix of the document in one edit (nothing when there is none). */
  private fixAll(doc: vscode.TextDocument): vscode.CodeAction[] {
    const edits = fixAllEdits(this.service.findingsOf(doc.uri), doc.getText());
    if (edits.length === 0) return [];
    const action = new vscode.CodeAction(
      'Fix all SegLens loss-lint problems',
      LintCodeActionProvider.fixAllKind,
    );
    action.edit = new vscode.WorkspaceEdit();
    for (const e of edits) {
      const r = e.range;
      action.edit.replace(
        doc.uri,
        new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
        e.newText,
      );
    }
    return [action];
  }
}
