/**
 * "SegLens: Lint Workspace Loss Code" (issue 15): lints every Python file and notebook of the workspace once and
 * fills the Problems view, so mistakes in loss files nobody has open are seen too. It also runs when the extension
 * starts in a workspace with Python files if `seglens.lint.workspaceOnOpen` is on (off by default).
 *
 * The files are found and linted by the node-side driver (src/node/lint/workspaceFiles.ts, workspaceLint.ts) in the
 * same lint worker as the editor's lint, with the same settings and the same workspace-module reader, so helper
 * modules shared by many losses are read once and parsed once. Open documents are skipped: the editor already
 * lints them live, with their unsaved text. Notebooks are opened as notebook documents (without showing them) and
 * linted like an open notebook, so their findings land on their cells.
 *
 * Like the rest of the lint it only parses code, never runs it, so it is available in untrusted workspaces; the
 * on-open setting is a restricted setting there (package.json), so a folder's own settings cannot start the pass.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { Finding, LintOptions } from '../../core/lint/types';
import { findWorkspaceFiles } from '../../node/lint/workspaceFiles';
import { pythonFileLinter, runLintPass, type LintedFile } from '../../node/lint/workspaceLint';
import { workspaceRoots, type LintService } from './lintService';

/** What the command returns (tests read it through executeCommand). */
export interface WorkspaceLintResult {
  /** Files found (within the size limit, outside excluded folders). */
  files: number;
  linted: number;
  failed: number;
  /** Files skipped because they are open in the editor (linted live there). */
  open: number;
  /** Files left out for their size. */
  tooLarge: number;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  /** Files with at least one finding. */
  withFindings: number;
  cancelled: boolean;
  ms: number;
  /** Why nothing was linted, when nothing was. */
  skipped?: string;
}

interface PassRequest {
  /** Lint only this folder (or file's folder) instead of the workspace folders. */
  target?: vscode.Uri;
  /** Started by the setting, not by the user: no closing message unless something was found. */
  automatic?: boolean;
}

type FileLint = { kind: 'py'; linted: LintedFile } | { kind: 'notebook'; findings: Finding[] };

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export class WorkspaceLint {
  private running: Promise<WorkspaceLintResult> | undefined;

  constructor(
    private readonly service: LintService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Runs one pass; a second request while one runs gets the running pass's result. */
  run(request: PassRequest = {}): Promise<WorkspaceLintResult> {
    this.running ??= this.pass(request).finally(() => (this.running = undefined));
    return this.running;
  }

  /** The on-open pass: when the setting is on and the workspace has a Python file or notebook. */
  async runOnOpen(): Promise<void> {
    const roots = workspaceRoots();
    if (roots.length === 0) return;
    // Read for the first folder (a multi-root workspace is one pass over all its folders).
    const config = vscode.workspace.getConfiguration('seglens.lint', vscode.Uri.file(roots[0]));
    // Also off when the lint as a whole is off (seglens.lint.enable): the user asked for no automatic lint.
    if (config.get<unknown>('workspaceOnOpen') !== true || config.get<unknown>('enable') === false) return;
    const any = await vscode.workspace.findFiles(
      '**/*.{py,ipynb}',
      '**/{node_modules,.git,.venv,venv}/**',
      1,
    );
    if (any.length === 0) return;
    await this.run({ automatic: true });
  }

  private async pass(request: PassRequest): Promise<WorkspaceLintResult> {
    const empty: WorkspaceLintResult = {
      files: 0,
      linted: 0,
      failed: 0,
      open: 0,
      tooLarge: 0,
      findings: 0,
      errors: 0,
      warnings: 0,
      infos: 0,
      withFindings: 0,
      cancelled: false,
      ms: 0,
    };
    let roots: string[];
    if (request.target) {
      if (request.target.scheme !== 'file') {
        return this.skip(empty, `${request.target.toString(true)} is not a folder on disk.`, request);
      }
      const st = await vscode.workspace.fs.stat(request.target);
      roots = [
        st.type & vscode.FileType.Directory ? request.target.fsPath : path.dirname(request.target.fsPath),
      ];
    } else roots = workspaceRoots();
    if (roots.length === 0) return this.skip(empty, 'open a folder to lint its loss code.', request);
    const settings = this.service.settingsFor(vscode.Uri.file(roots[0]));
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'SegLens: linting loss code',
        cancellable: true,
      },
      async (progress, token) => {
        const started = performance.now();
        progress.report({ message: 'finding Python files…' });
        const found = await findWorkspaceFiles(roots, {
          maxBytes: settings.options.maxLength,
          cancelled: () => token.isCancellationRequested,
        });
        const openFiles = new Set(
          [...vscode.workspace.textDocuments, ...vscode.workspace.notebookDocuments]
            .filter((d) => d.uri.scheme === 'file')
            .map((d) => d.uri.fsPath),
        );
        const files = found.files.filter((f) => !openFiles.has(f));
        const result: WorkspaceLintResult = {
          ...empty,
          files: found.files.length,
          open: found.files.length - files.length,
          tooLarge: found.tooLarge.length,
        };
        const optionsByFolder = new Map<string, LintOptions>();
        const lintPy = pythonFileLinter({
          lint: (key, text, options) =>
            this.service.workerClient().lint(key, text, options, undefined, false),
          read: this.service.moduleReader,
          roots,
          optionsFor: (file) => {
            // Settings are per folder: read once per workspace folder, not once per file (a bad setting would
            // otherwise be logged two hundred times).
            const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.toString() ?? '';
            let options = optionsByFolder.get(folder);
            if (!options) {
              options = this.service.settingsFor(vscode.Uri.file(file)).options;
              optionsByFolder.set(folder, options);
            }
            return options;
          },
        });
        const lintFile = async (file: string): Promise<FileLint> => {
          if (!file.endsWith('.ipynb')) return { kind: 'py', linted: await lintPy(file) };
          const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
          const outcome = await this.service.lintNotebookNow(nb);
          if (!outcome) {
            // A notebook without Python code cells (another kernel, only Markdown) has nothing to lint.
            const python = nb
              .getCells()
              .some((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
            if (!python) return { kind: 'notebook', findings: [] };
            throw new Error('the notebook was not linted (see the SegLens log)');
          }
          return { kind: 'notebook', findings: outcome.findings };
        };
        const count = (findings: readonly Finding[]): void => {
          if (findings.length) result.withFindings++;
          result.findings += findings.length;
          for (const f of findings) {
            if (f.severity === 'error') result.errors++;
            else if (f.severity === 'warning') result.warnings++;
            else result.infos++;
          }
        };
        let reported = 0;
        const summary = await runLintPass(files, {
          lintFile,
          cancelled: () => token.isCancellationRequested,
          onBatch: (outcomes, p) => {
            for (const o of outcomes) {
              if ('error' in o) {
                this.log.warn(`loss lint (workspace): ${o.file}: ${o.error}`);
                continue;
              }
              if (o.result.kind === 'py') {
                const { linted } = o.result;
                count(this.service.publishFile(vscode.Uri.file(linted.file), linted.text, linted.findings));
              } else count(o.result.findings);
            }
            const percent = p.total ? (100 * p.done) / p.total : 100;
            progress.report({
              message: `${p.done} of ${plural(p.total, 'file')}`,
              increment: percent - reported,
            });
            reported = percent;
          },
        });
        result.linted = summary.done - summary.failed;
        result.failed = summary.failed;
        result.cancelled = summary.cancelled || token.isCancellationRequested;
        result.ms = performance.now() - started;
        this.finish(result, request);
        return result;
      },
    );
  }

  private skip(result: WorkspaceLintResult, why: string, request: PassRequest): WorkspaceLintResult {
    if (!request.automatic) void vscode.window.showInformationMessage(`SegLens workspace lint: ${why}`);
    return { ...result, skipped: why };
  }

  private finish(r: WorkspaceLintResult, request: PassRequest): void {
    const seconds = (r.ms / 1000).toFixed(1);
    const found =
      r.findings === 0
        ? 'no findings'
        : `${plural(r.findings, 'finding')} (${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')}, ` +
          `${r.infos} info) in ${plural(r.withFindings, 'file')}`;
    const extra = [
      r.failed ? `${r.failed} could not be linted (see the SegLens log)` : '',
      r.tooLarge ? `${r.tooLarge} over seglens.lint.maxFileLength left out` : '',
      r.open ? `${r.open} open in the editor are linted there` : '',
    ].filter(Boolean);
    const line =
      `${r.cancelled ? 'Stopped after' : 'Linted'} ${plural(r.linted, 'file')} in ${seconds} s: ${found}.` +
      (extra.length ? ` ${extra.join('; ')}.` : '');
    this.log.info(`loss lint (workspace): ${line}`);
    if (!request.automatic || r.findings > 0) {
      void vscode.window.showInformationMessage(`SegLens: ${line}`);
    }
  }
}

/** The command's handler body: an optional folder (or file) URI limits the pass to that folder. */
export function lintWorkspaceCommand(pass: WorkspaceLint, target: unknown): Promise<WorkspaceLintResult> {
  return pass.run({ target: target instanceof vscode.Uri ? target : undefined }).catch((e: unknown) => {
    throw new Error(`workspace lint failed: ${errorMessage(e)}`, { cause: e });
  });
}
