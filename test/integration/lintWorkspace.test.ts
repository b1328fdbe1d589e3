// "SegLens: Lint Workspace Loss Code" in a real VS Code: on a generated folder (losses, metrics, models, utilities
// importing shared helpers; the axis=-1 Dice planted in known files; a notebook with the same bug; a virtual
// environment and a package folder that must be left alone) the command fills the Problems view with LL101 at
// exactly the planted reductions, lints the notebook onto its cell, skips the excluded folders and the file open in
// the editor (linted live there), and answers with counts. Waits are on diagnostics, never on time.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { log } from './support/log';
import { requestScreenshot } from './support/screenshot';
import { makeTempDir } from '../support/tempDir';
import { writeRepo } from '../unit/node/lint/workspaceRepo';

interface WorkspaceLintResult {
  files: number;
  linted: number;
  failed: number;
  open: number;
  tooLarge: number;
  findings: number;
  errors: number;
  withFindings: number;
  cancelled: boolean;
  skipped?: string;
}

const BUGGY_CELL = [
  'def dice_coef(y_true, y_pred, smooth=1.0):\n',
  '    inter = K.sum(y_true * y_pred, axis=-1)\n',
  '    denom = K.sum(y_true, axis=-1) + K.sum(y_pred, axis=-1)\n',
  '    return K.mean((2.0 * inter + smooth) / (denom + smooth))\n',
];

/** Generated Python files (with one Keras loss in two buggy, three of them at this size). */
const FILES = 30;

const ours = (uri: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'SegLens');

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `line:column` of every `K.sum(... axis=-1)` in a text, found by hand. */
function planted(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, n) => [...line.matchAll(/K\.sum\([^)]*axis=-1\)/g)].map((m) => `${n}:${m.index}`))
    .sort();
}

const starts = (ds: vscode.Diagnostic[]): string[] =>
  ds.map((d) => `${d.range.start.line}:${d.range.start.character}`).sort();

describe('loss lint of a whole workspace folder', function () {
  this.timeout(180_000);
  const dir = makeTempDir('seglens-lint-ws');
  const root = dir.path;
  let repo: ReturnType<typeof writeRepo>;
  let notebook: string;
  let excluded: string[];

  before(() => {
    repo = writeRepo(root, FILES, 2);
    notebook = path.join(root, 'notebooks', 'explore.ipynb');
    mkdirSync(path.dirname(notebook), { recursive: true });
    writeFileSync(
      notebook,
      JSON.stringify({
        cells: [
          { cell_type: 'markdown', metadata: {}, source: ['# Dice check'] },
          {
            cell_type: 'code',
            metadata: {},
            execution_count: null,
            outputs: [],
            source: ['from tensorflow.keras import backend as K\n'],
          },
          { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: BUGGY_CELL },
        ],
        metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    // The same bug inside a virtual environment and a package folder: never linted.
    const bug = 'from tensorflow.keras import backend as K\n\n\n' + BUGGY_CELL.join('');
    excluded = [
      path.join(root, '.venv', 'lib', 'python3.11', 'site-packages', 'dice.py'),
      path.join(root, 'node_modules', 'pkg', 'dice.py'),
    ];
    for (const f of excluded) {
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, bug);
    }
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    dir.dispose();
  });

  it('fills the Problems view with LL101 at exactly the planted reductions, notebook cells included', async () => {
    assert.ok(repo.buggy.length >= 3, 'the generator planted the bug');
    // One buggy file is open: the editor lints it live, the pass leaves it to the editor.
    const openFile = vscode.Uri.file(repo.buggy[0]);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(openFile));
    await waitFor('the open file linted live', () => ours(openFile).length === 3);

    const result = await vscode.commands.executeCommand<WorkspaceLintResult>(
      'seglens.lint.workspace',
      vscode.Uri.file(root),
    );
    log(`    result: ${JSON.stringify(result)}`);
    assert.ok(result && !result.skipped, `the pass ran (${result?.skipped ?? 'no result'})`);
    // The generated files and the notebook; the environment and node_modules copies are not among them.
    assert.equal(result.files, FILES + 1);
    assert.equal(result.open, 1);
    assert.equal(result.failed, 0);
    assert.equal(result.linted, FILES);
    assert.equal(result.cancelled, false);
    // Every buggy file but the open one, plus the notebook, three LL101 each.
    assert.equal(result.withFindings, repo.buggy.length - 1 + 1);
    assert.equal(result.errors, 3 * repo.buggy.length);

    for (const file of repo.buggy) {
      const uri = vscode.Uri.file(file);
      const text = (await vscode.workspace.fs.readFile(uri)).toString();
      const ds = await waitFor(`3 diagnostics on ${file}`, () => {
        const d = ours(uri);
        return d.length === 3 ? d : undefined;
      });
      assert.deepEqual(
        ds.map((d) => (d.code as { value: string }).value),
        ['LL101', 'LL101', 'LL101'],
      );
      assert.deepEqual(starts(ds), planted(text));
      assert.ok(ds.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    }
    for (const file of repo.files.filter((f) => !repo.buggy.includes(f))) {
      assert.deepEqual(ours(vscode.Uri.file(file)), [], `no findings on ${path.relative(root, file)}`);
    }
    for (const file of excluded) assert.deepEqual(ours(vscode.Uri.file(file)), [], file);

    // The notebook's findings are on its third cell (the second code cell), at the cell's own lines.
    const nb = await waitFor('the notebook document', () =>
      vscode.workspace.notebookDocuments.find((n) => n.uri.fsPath === notebook),
    );
    const cell = nb.cellAt(2);
    const cellDiags = await waitFor('3 diagnostics on the notebook cell', () => {
      const d = ours(cell.document.uri);
      return d.length === 3 ? d : undefined;
    });
    assert.deepEqual(starts(cellDiags), planted(BUGGY_CELL.join('')));
    assert.deepEqual(ours(nb.cellAt(1).document.uri), []);

    await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (await requestScreenshot('lint-workspace-problems')) log('    screenshot: lint-workspace-problems');
  });

  it('answers with a reason for a URI that is not on disk; a second run finds the same again', async () => {
    const odd = await vscode.commands.executeCommand<WorkspaceLintResult>(
      'seglens.lint.workspace',
      vscode.Uri.parse('untitled:/nowhere'),
    );
    assert.match(odd?.skipped ?? '', /not a folder on disk/);
    // The first pass opened the notebook as a document; while it stays open the pass leaves it to the editor.
    const nbOpen = vscode.workspace.notebookDocuments.some((n) => n.uri.fsPath === notebook);
    const again = await vscode.commands.executeCommand<WorkspaceLintResult>(
      'seglens.lint.workspace',
      vscode.Uri.file(root),
    );
    assert.equal(again?.files, FILES + 1);
    assert.equal(again?.failed, 0);
    assert.equal(again?.open, nbOpen ? 2 : 1);
    assert.equal(again?.withFindings, repo.buggy.length - 1 + (nbOpen ? 0 : 1));
    assert.equal(again?.errors, 3 * (again?.withFindings ?? 0));
  });
});
