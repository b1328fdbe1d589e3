/**
 * Runs the loss-code linter on Python documents and notebooks and publishes the findings as diagnostics. The lint
 * itself runs in a worker thread (lintClient.ts), which keeps the last syntax tree of every open file: a re-lint
 * after an edit sends the buffered edits and re-parses incrementally. Edits are debounced, and the parser loads
 * only on the first lint. Nothing here throws into VS Code: a failure becomes a logged message and
 * a "failed" state on the status bar.
 *
 * Workspace imports: the project modules a file imports (`from utils.metrics import soft_dice`) are read — open
 * documents with their unsaved text, other files from disk, cached by modification time — and linted with it as
 * LintOptions.modules, so a helper's mistakes show at the call in the loss. Saving a module re-lints the open
 * files that import it.
 */
import * as vscode from 'vscode';
import { ruleRegistry } from './registry';
import type { Finding, Severity, TextChange } from '../../core/lint/types';
import { errorMessage } from '../../core/errors';
import { ruleDocPath } from '../../node/lint/assets';
import { Debouncer } from './debounce';
import { DIAGNOSTIC_SOURCE, type LintSettingKey } from './ids';
import { findingsByCell, joinCells } from './notebook';
import { provideLossLint } from './lossSummary';
import { problemMessage } from './problemText';
import { clampRange, rangeContains, sameRange, type LineShape } from './ranges';
import { parseLintSettings, type LintSettings } from './settings';
import type { LintState } from './status';
import { TOO_LARGE_RULE } from './actions';
import { createLintClient, type LintClient, type LintResponse } from '../../node/lint/lintClient';
import { diskReader, resolveModules, type ReadModule } from '../../node/lint/workspaceModules';

/** Pause after the last keystroke before re-linting. */
export const LINT_DELAY_MS = 300;
/** Beyond this many buffered edits a full parse is cheaper than replaying them on the old tree. */
const MAX_PENDING_EDITS = 500;
/** URI schemes whose documents are the user's code (not diff views, output, chat blocks, ...). */
const LINTED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-notebook-cell']);

interface FileState {
  /** True once a lint asked the worker to keep this document's tree (edits since then can be replayed on it). */
  hasTree: boolean;
  /** Edits since the text last sent to the worker, in the order VS Code reported them. */
  pending: TextChange[];
  /** Set when the pending edits cannot be trusted (too many); the next lint parses from scratch. */
  stale: boolean;
}

/** What one lint produced, as the command and the status bar report it. */
export interface LintOutcome {
  findings: Finding[];
  ms: number;
  tooLarge: boolean;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

function shapeOfDocument(doc: vscode.TextDocument): LineShape {
  return { lineCount: doc.lineCount, lineLength: (line) => doc.lineAt(line).text.length };
}

/** The workspace folders on disk: the roots imports are resolved from. */
export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.fsPath);
}

export function isLintable(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'python' && LINTED_SCHEMES.has(doc.uri.scheme);
}

function isCell(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'vscode-notebook-cell';
}

export class LintService implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('seglens-lint');
  private client: LintClient | undefined;
  /** False until the first lint answered: until then the parser is (probably) still loading. */
  private answered = false;
  private readonly files = new Map<string, FileState>();
  /** Findings on display, by the URI of the document (or notebook cell) they are shown in. */
  private readonly shown = new Map<string, Finding[]>();
  /** Lint state by document or cell URI, for the status bar. */
  private readonly states = new Map<string, LintState>();
  /** Cell URIs that got diagnostics, by notebook URI, so removed or re-languaged cells are cleared. */
  private readonly notebookCells = new Map<string, Set<string>>();
  private readonly debouncer = new Debouncer();
  /** The workspace modules each document was last linted with, by document URI (their files are dependencies). */
  private readonly deps = new Map<string, { files: Map<string, string>; modules: Record<string, string> }>();
  private readonly disk: ReadModule = diskReader();
  /**
   * Reads workspace modules: open documents with their unsaved text, other files from disk (cached by modification
   * time). Shared by the editor's lint and the whole-workspace pass (workspaceLint.ts), so a helper module is read
   * once for both.
   */
  readonly moduleReader: ReadModule = async (file) => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    return open ? { text: open.getText(), version: `open:${open.version}` } : this.disk(file);
  };
  private readonly stateChanged = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires with the URI (string) whose lint state changed. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const ws = vscode.workspace;
    this.disposables.push(
      // The viewer's "no pixel reaches the threshold" callout asks this service for the workspace's findings.
      provideLossLint(this),
      this.collection,
      this.stateChanged,
      ws.onDidOpenTextDocument((doc) => this.onOpen(doc)),
      ws.onDidChangeTextDocument((e) => this.onChange(e)),
      ws.onDidSaveTextDocument((doc) => this.onSave(doc)),
      ws.onDidCloseTextDocument((doc) => this.onClose(doc)),
      ws.onDidOpenNotebookDocument((nb) => this.scheduleNotebook(nb, 0)),
      ws.onDidChangeNotebookDocument((e) => {
        // Cell edits arrive as text-document changes; here only structure and cell languages matter.
        if (e.contentChanges.length || e.cellChanges.some((c) => c.document)) {
          this.scheduleNotebook(e.notebook, LINT_DELAY_MS);
        }
      }),
      ws.onDidCloseNotebookDocument((nb) => this.clearNotebook(nb)),
      ws.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('seglens.lint')) this.relintAll();
      }),
    );
  }

  /** Lints every open Python document and notebook (at start-up and after a settings change). */
  relintAll(): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (isLintable(doc) && !isCell(doc)) this.schedule(doc, 0);
    }
    for (const nb of vscode.workspace.notebookDocuments) this.scheduleNotebook(nb, 0);
  }

  findingsAt(uri: vscode.Uri, pos: vscode.Position): Finding[] {
    return (this.shown.get(uri.toString()) ?? []).filter((f) => rangeContains(f.range, pos));
  }

  findingsOf(uri: vscode.Uri): Finding[] {
    return this.shown.get(uri.toString()) ?? [];
  }

  /** The shown finding behind a diagnostic (same rule and range), if it is still current. */
  findingFor(uri: vscode.Uri, d: vscode.Diagnostic): Finding | undefined {
    if (d.source !== DIAGNOSTIC_SOURCE) return undefined;
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    return this.findingsOf(uri).find((f) => f.rule === code && sameRange(f.range, d.range));
  }

  stateOf(uri: vscode.Uri): LintState | undefined {
    return this.states.get(uri.toString());
  }

  docUri(docs: string): vscode.Uri {
    return vscode.Uri.file(ruleDocPath(this.extensionPath, docs));
  }

  settingsFor(uri: vscode.Uri): LintSettings {
    const c = vscode.workspace.getConfiguration('seglens.lint', uri);
    const parsed = parseLintSettings((key: LintSettingKey) => c.get(key), ruleRegistry());
    for (const p of parsed.problems) this.log.warn(p);
    return parsed;
  }

  /**
   * Lints `doc` now, even when linting is switched off (the explicit command). For a notebook cell the whole
   * notebook is linted and the outcome is the cell's share.
   */
  async lintNow(doc: vscode.TextDocument): Promise<LintOutcome | undefined> {
    if (isCell(doc)) {
      const nb = this.notebookOf(doc);
      if (!nb) return this.lintDocument(doc, true);
      const whole = await this.lintNotebook(nb, true);
      return whole && { ...whole, findings: this.findingsOf(doc.uri) };
    }
    this.debouncer.cancel(doc.uri.toString());
    return this.lintDocument(doc, true);
  }

  /** Lints an open notebook now, whatever the settings (the whole-workspace pass and the explicit command). */
  lintNotebookNow(nb: vscode.NotebookDocument): Promise<LintOutcome | undefined> {
    this.debouncer.cancel(nb.uri.toString());
    return this.lintNotebook(nb, true);
  }

  /** The lint worker's client, for the whole-workspace pass: one worker serves the editor and the pass. */
  workerClient(): LintClient {
    return this.getClient();
  }

  /**
   * Shows the findings of a file linted from disk by the whole-workspace pass (it is not open: its text comes from
   * the pass). Opening the file lints it again live and replaces them; closing it clears them as for any document.
   */
  publishFile(uri: vscode.Uri, text: string, findings: readonly Finding[]): Finding[] {
    const lines = text.split(/\r\n|\r|\n/);
    const shape: LineShape = { lineCount: lines.length, lineLength: (line) => lines[line]?.length ?? 0 };
    const textOf = (r: vscode.Range): string =>
      lines
        .slice(r.start.line, r.end.line + 1)
        .map((l, i, all) =>
          l.slice(i === 0 ? r.start.character : 0, i === all.length - 1 ? r.end.character : undefined),
        )
        .join('\n');
    return this.publishShaped(uri, shape, textOf, findings);
  }

  private notebookOf(cell: vscode.TextDocument): vscode.NotebookDocument | undefined {
    const key = cell.uri.toString();
    return vscode.workspace.notebookDocuments.find((n) =>
      n.getCells().some((c) => c.document.uri.toString() === key),
    );
  }

  private onOpen(doc: vscode.TextDocument): void {
    if (!isLintable(doc)) return;
    if (isCell(doc)) {
      // Cells are linted with their notebook. The notebook's open event covers most cases; a cell opened later (or
      // before its notebook is known) is looked up once the current event has settled.
      this.debouncer.schedule(
        doc.uri.toString(),
        () => {
          const nb = this.notebookOf(doc);
          if (nb) this.scheduleNotebook(nb, 0);
        },
        0,
      );
      return;
    }
    this.schedule(doc, 0);
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const doc = e.document;
    if (!isLintable(doc) || e.contentChanges.length === 0) return;
    if (isCell(doc)) {
      const nb = this.notebookOf(doc);
      if (nb) this.scheduleNotebook(nb, LINT_DELAY_MS);
      return;
    }
    const st = this.files.get(doc.uri.toString());
    if (st?.hasTree && !st.stale) {
      for (const c of e.contentChanges) {
        st.pending.push({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text });
      }
      if (st.pending.length > MAX_PENDING_EDITS) st.stale = true;
    }
    this.schedule(doc, LINT_DELAY_MS);
  }

  private onSave(doc: vscode.TextDocument): void {
    if (!isLintable(doc) || isCell(doc)) return;
    const key = doc.uri.toString();
    // Files that import the saved one are linted again with its new text.
    if (doc.uri.scheme === 'file') {
      for (const [other, dep] of this.deps) {
        if (other === key || !dep.files.has(doc.uri.fsPath)) continue;
        const dependent = vscode.workspace.textDocuments.find((d) => d.uri.toString() === other);
        if (dependent) this.schedule(dependent, 0);
        else {
          const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === other);
          if (nb) this.scheduleNotebook(nb, 0);
        }
      }
    }
    // Saving is a natural point to be up to date: run a pending lint now rather than after the pause.
    if (!this.debouncer.flush(key)) this.schedule(doc, 0);
  }

  private onClose(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.deps.delete(key);
    this.debouncer.cancel(key);
    if (this.files.delete(key)) this.client?.close(key);
    if (!isCell(doc)) this.clear(key, doc.uri);
  }

  private schedule(doc: vscode.TextDocument, ms: number): void {
    this.debouncer.schedule(doc.uri.toString(), () => void this.lintDocument(doc, false), ms);
  }

  private scheduleNotebook(nb: vscode.NotebookDocument, ms: number): void {
    this.debouncer.schedule(nb.uri.toString(), () => void this.lintNotebook(nb, false), ms);
  }

  private clear(key: string, uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.shown.delete(key);
    this.setState(key, undefined);
  }

  private clearNotebook(nb: vscode.NotebookDocument): void {
    const key = nb.uri.toString();
    this.deps.delete(key);
    this.debouncer.cancel(key);
    this.client?.close(key);
    for (const cell of this.notebookCells.get(key) ?? []) this.clear(cell, vscode.Uri.parse(cell));
    this.notebookCells.delete(key);
  }

  private setState(key: string, state: LintState | undefined): void {
    if (state) this.states.set(key, state);
    else this.states.delete(key);
    this.stateChanged.fire(key);
  }

  private getClient(): LintClient {
    this.client ??= createLintClient(this.extensionPath, (why) => this.log.error(`loss lint: ${why}`));
    return this.client;
  }

  /**
   * Sends one lint to the worker, showing "loading" meanwhile while the parser has not answered yet. Undefined
   * (with a logged message and a failed state on `keys`) when the lint failed.
   */
  private async request(
    keys: string[],
    what: string,
    send: (client: LintClient) => Promise<LintResponse>,
  ): Promise<LintResponse | undefined> {
    if (!this.answered) for (const k of keys) this.setState(k, { kind: 'loading' });
    const started = performance.now();
    try {
      const response = await send(this.getClient());
      if (!this.answered) {
        this.answered = true;
        this.log.info(
          `loss lint: first lint (parser load included) took ${Math.round(performance.now() - started)} ms`,
        );
      }
      return response;
    } catch (e) {
      const error = errorMessage(e);
      this.log.error(`loss lint of ${what} failed: ${error}`);
      for (const k of keys) this.setState(k, { kind: 'failed', error });
      return undefined;
    }
  }

  /**
   * The workspace modules `text` (of the file at `uri`) imports, read through open documents first, then the disk.
   * The same object as last time when no module changed, so the linter's per-object digest memo holds. Undefined
   * for documents that are not files, or when nothing imported is a workspace file.
   */
  private async workspaceModules(
    key: string,
    uri: vscode.Uri,
    text: string,
  ): Promise<Record<string, string> | undefined> {
    if (uri.scheme !== 'file') return undefined;
    const roots = workspaceRoots();
    try {
      const r = await resolveModules(uri.fsPath, text, { roots, read: this.moduleReader });
      const prev = this.deps.get(key);
      const same =
        prev && prev.files.size === r.files.size && [...r.files].every(([f, v]) => prev.files.get(f) === v);
      if (!same) this.deps.set(key, r);
      const modules = same ? prev.modules : r.modules;
      return Object.keys(modules).length ? modules : undefined;
    } catch (e) {
      // Missing context is not a lint failure: the file is linted alone.
      this.log.warn(`loss lint: workspace imports of ${uri.toString(true)}: ${errorMessage(e)}`);
      return undefined;
    }
  }

  private async lintDocument(doc: vscode.TextDocument, force: boolean): Promise<LintOutcome | undefined> {
    const key = doc.uri.toString();
    if (doc.isClosed) return undefined;
    const settings = this.settingsFor(doc.uri);
    if (!settings.enable && !force) {
      this.clear(key, doc.uri);
      this.setState(key, { kind: 'disabled' });
      return undefined;
    }
    // Resolved before the text and the buffered edits are taken: from here to the request nothing awaits, so
    // requests reach the worker in the order their edits were taken.
    const modules = await this.workspaceModules(key, doc.uri, doc.getText());
    if (doc.isClosed) return undefined;
    const options = modules ? { ...settings.options, modules } : settings.options;
    const text = doc.getText();
    const version = doc.version;
    const st = this.files.get(key) ?? { hasTree: false, pending: [], stale: false };
    const edits = st.hasTree && !st.stale ? st.pending : undefined;
    st.hasTree = true;
    st.pending = [];
    st.stale = false;
    this.files.set(key, st);
    const response = await this.request([key], doc.uri.toString(true), (c) =>
      c.lint(key, text, options, edits, true),
    );
    if (!response) {
      // The worker may have lost the tree: parse from scratch next time.
      const now = this.files.get(key);
      if (now) {
        now.hasTree = false;
        now.pending = [];
      }
      return undefined;
    }
    if (doc.isClosed) return undefined;
    const tooLarge = response.findings.some((f) => f.rule === TOO_LARGE_RULE);
    if (doc.version !== version) {
      // The text changed while the worker linted; the change scheduled a newer lint, which will publish.
      return { findings: response.findings, ms: response.ms, tooLarge };
    }
    const shown = this.publish(doc, response.findings);
    this.setState(key, { kind: 'linted', findings: shown, ms: response.ms, tooLarge });
    if (response.ms > 500)
      this.log.info(`loss lint: ${doc.uri.toString(true)} took ${Math.round(response.ms)} ms`);
    return { findings: shown, ms: response.ms, tooLarge };
  }

  private async lintNotebook(nb: vscode.NotebookDocument, force: boolean): Promise<LintOutcome | undefined> {
    const key = nb.uri.toString();
    if (nb.isClosed) return undefined;
    const cells = nb
      .getCells()
      .filter((c) => c.kind === vscode.NotebookCellKind.Code && isLintable(c.document));
    const previousCells = this.notebookCells.get(key) ?? new Set<string>();
    const currentCells = new Set(cells.map((c) => c.document.uri.toString()));
    for (const old of previousCells) if (!currentCells.has(old)) this.clear(old, vscode.Uri.parse(old));
    this.notebookCells.set(key, currentCells);
    if (cells.length === 0) return undefined;
    const settings = this.settingsFor(nb.uri);
    if (!settings.enable && !force) {
      for (const c of cells) {
        this.clear(c.document.uri.toString(), c.document.uri);
        this.setState(c.document.uri.toString(), { kind: 'disabled' });
      }
      return undefined;
    }
    const cellKeys = [...currentCells];
    const modules = await this.workspaceModules(
      key,
      nb.uri,
      cells.map((c) => c.document.getText()).join('\n'),
    );
    if (nb.isClosed) return undefined;
    const options = modules ? { ...settings.options, modules } : settings.options;
    const joined = joinCells(cells.map((c) => c.document.getText()));
    const versions = cells.map((c) => c.document.version);
    // Cells change shape under each other, so no tree is kept: the joined text is parsed whole each time.
    const response = await this.request(cellKeys, `notebook ${nb.uri.toString(true)}`, (c) =>
      c.lint(key, joined.text, options, undefined, false),
    );
    if (!response || nb.isClosed) return undefined;
    const tooLarge = response.findings.some((f) => f.rule === TOO_LARGE_RULE);
    if (cells.some((c, i) => c.document.version !== versions[i])) {
      return { findings: response.findings, ms: response.ms, tooLarge };
    }
    const perCell = findingsByCell(joined, response.findings);
    const all: Finding[] = [];
    cells.forEach((cell, i) => {
      const shown = this.publish(cell.document, perCell[i]);
      all.push(...shown);
      this.setState(cell.document.uri.toString(), {
        kind: 'linted',
        findings: shown,
        ms: response.ms,
        tooLarge,
      });
    });
    return { findings: all, ms: response.ms, tooLarge };
  }

  /** Clamps the findings into the document, shows them as diagnostics and returns them as shown. */
  private publish(doc: vscode.TextDocument, findings: readonly Finding[]): Finding[] {
    return this.publishShaped(doc.uri, shapeOfDocument(doc), (r) => doc.getText(r), findings);
  }

  private publishShaped(
    uri: vscode.Uri,
    shape: LineShape,
    textOf: (r: vscode.Range) => string,
    findings: readonly Finding[],
  ): Finding[] {
    const shown = findings.map((f) => ({ ...f, range: clampRange(shape, f.range) }));
    this.shown.set(uri.toString(), shown);
    this.collection.set(
      uri,
      shown.map((f) => this.toDiagnostic(f, textOf)),
    );
    return shown;
  }

  private toDiagnostic(f: Finding, textOf: (r: vscode.Range) => string): vscode.Diagnostic {
    const r = f.range;
    const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
    // The Problems panel shows one line: the code and the rule's first clause, then the full message.
    const d = new vscode.Diagnostic(range, problemMessage(f.message, textOf(range)), SEVERITY[f.severity]);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = { value: f.rule, target: this.docUri(f.docs) };
    return d;
  }

  dispose(): void {
    this.debouncer.dispose();
    this.files.clear();
    this.client?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
