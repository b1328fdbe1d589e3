// Loss-code lint in a real VS Code: the demo Keras Dice gets LL101 at each of its three reduction sites (keyword
// and positional), the hover explains the numbers, the quick fixes (one at a time or all at once) and suppressions
// work and clear the diagnostics, the correct PyTorch loss gets none, bad input does not break the host. Expected
// ranges come from the file's text (each `K.sum(` call up to its closing parenthesis), not from the linter.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { log } from './support/log';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';
import { makeTempDir } from '../support/tempDir';

const KERAS = vscode.Uri.file(repoPath('demo', 'losses', 'dice_keras.py'));
const TORCH = vscode.Uri.file(repoPath('demo', 'losses', 'dice_torch_correct.py'));

interface LintCommandResult {
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  skipped?: string;
}

const ours = (uri: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'SegLens');

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until our diagnostics for `uri` number exactly `n`. */
async function waitForCount(uri: vscode.Uri, n: number): Promise<vscode.Diagnostic[]> {
  try {
    return await waitFor(`${n} SegLens diagnostics on ${uri.toString()}`, () => {
      const d = ours(uri);
      return d.length === n ? d : undefined;
    });
  } catch (e) {
    const now = ours(uri).map((d) => `${key(d.range)} ${String((d.code as { value: string }).value)}`);
    throw new Error(`${e instanceof Error ? e.message : String(e)}; have ${JSON.stringify(now)}`, {
      cause: e,
    });
  }
}

/** The ranges of every `K.sum(...)` call on a line of `text`: from `K` to the matching `)`, found by hand. */
function kSumRanges(text: string): vscode.Range[] {
  const out: vscode.Range[] = [];
  text.split('\n').forEach((line, lineNo) => {
    let from = 0;
    for (;;) {
      const start = line.indexOf('K.sum(', from);
      if (start < 0) break;
      let depth = 0;
      let end = start + 'K.sum'.length;
      for (; end < line.length; end++) {
        if (line[end] === '(') depth++;
        else if (line[end] === ')' && --depth === 0) break;
      }
      out.push(new vscode.Range(lineNo, start, lineNo, end + 1));
      from = end + 1;
    }
  });
  return out;
}

const key = (r: vscode.Range): string =>
  `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

async function actionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const all =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  return all.filter((a): a is vscode.CodeAction => 'kind' in a || 'edit' in a || 'diagnostics' in a);
}

/**
 * A fresh copy of the demo file to edit, shown in an editor: the demo itself is never edited, so no test can leave
 * it changed on disk.
 */
async function editableCopy(): Promise<vscode.TextDocument> {
  const dir = makeTempDir('seglens-lint').path;
  const file = path.join(dir, 'dice_keras.py');
  copyFileSync(KERAS.fsPath, file);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc);
  await waitForCount(doc.uri, 3);
  return doc;
}

async function discard(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

describe('loss lint in the editor', function () {
  this.timeout(120_000);
  let keras: vscode.TextDocument;

  before(async () => {
    const ext = vscode.extensions.getExtension('seglens.seglens');
    assert.ok(ext, 'the extension under development is installed');
    keras = await vscode.workspace.openTextDocument(KERAS);
    await vscode.window.showTextDocument(keras);
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('seglens.lint')
      .update('rules', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('flags every reduction site of the Keras Dice (keyword and positional) with LL101 and a doc link', async () => {
    const expected = kSumRanges(keras.getText());
    assert.equal(expected.length, 3, 'the demo has three K.sum calls');
    const diags = await waitForCount(KERAS, 3);
    assert.deepEqual(diags.map((d) => key(d.range)).sort(), expected.map(key).sort());
    assert.ok(keras.lineAt(expected[0].start.line).text.includes('axis=-1'), 'one site uses the keyword');
    assert.ok(
      keras.lineAt(expected[1].start.line).text.includes('K.sum(y_true, -1)'),
      'others are positional',
    );
    for (const d of diags) {
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.match(d.message, /assumed layout NHWC/);
      assert.match(
        d.message,
        /per-pixel Dice values; with smooth=1 .* a mask with true Dice 0\.50 reports ~0\.97/,
      );
      assert.ok(typeof d.code === 'object', 'code carries a target');
      const code = d.code as { value: string | number; target: vscode.Uri };
      assert.equal(code.value, 'LL101');
      assert.match(code.target.fsPath, /docs[/\\]rules[/\\]LL101\.md$/);
      assert.ok(existsSync(code.target.fsPath), `${code.target.fsPath} is bundled`);
    }
  });

  it('hovering a flagged range explains the rule with its numbers; screenshot', async () => {
    const [first] = kSumRanges(keras.getText());
    const inside = first.start.translate(0, 3);
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', KERAS, inside)) ??
      [];
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /SegLens LL101/);
    assert.match(text, /overlap-reduced-over-wrong-axes/);
    assert.match(text, /0\.50/, 'the true per-image Dice of the illustration');
    assert.match(text, /0\.97/, 'what the axis=-1 code reports');
    assert.match(text, /command:seglens\.lint\.showRuleDocs/);

    const editor = await vscode.window.showTextDocument(keras);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.window.showTextDocument(keras);
    editor.selection = new vscode.Selection(inside, inside);
    editor.revealRange(first, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('editor.action.showHover');
    await new Promise((r) => setTimeout(r, 1500));
    if (await requestScreenshot('lint-diagnostics-hover')) log('    screenshot: lint-diagnostics-hover');
  });

  it('offers the quick fixes, suppressions and documentation, the preferred fix first', async () => {
    const [first] = ours(KERAS).sort((a, b) => a.range.start.compareTo(b.range.start));
    const actions = await actionsAt(KERAS, first.range);
    const titles = actions.map((a) => a.title);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, `one preferred fix in ${JSON.stringify(titles)}`);
    assert.match(preferred[0].title, /\[1, 2, 3\]/);
    for (const t of [
      'Disable LL101 for this line',
      'Disable LL101 for this file',
      'Show documentation for LL101',
    ]) {
      assert.ok(titles.includes(t), `${t} in ${JSON.stringify(titles)}`);
    }
    assert.ok(
      titles.some((t) => t.startsWith('Fix all 3 LL101 problems')),
      `fix-all in ${JSON.stringify(titles)}`,
    );
  });

  it('the preferred quick fix rewrites the keyword site to the spatial axes and its diagnostic goes', async () => {
    const doc = await editableCopy();
    const diags = (await waitForCount(doc.uri, 3)).sort((a, b) => a.range.start.compareTo(b.range.start));
    const keywordSite = diags[0];
    const fix = (await actionsAt(doc.uri, keywordSite.range)).find((a) => a.isPreferred);
    assert.ok(fix?.edit, 'a preferred fix with an edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const left = await waitForCount(doc.uri, 2);
    assert.ok(
      doc.getText().includes('K.sum(y_true * y_pred, axis=[1, 2, 3])'),
      'the keyword stays a keyword',
    );
    const line = keywordSite.range.start.line;
    assert.ok(
      left.every((d) => d.range.start.line !== line),
      `no diagnostic left on line ${line + 1}: ${JSON.stringify(left.map((d) => d.message))}`,
    );
    await discard(doc);
  });

  it('one click at a time: each preferred quick fix leaves LL101 (with its fix) on the other sites, zero after three', async () => {
    const doc = await editableCopy();
    // The hand-written end state: every K.sum over the spatial axes of NHWC, keyword and positional kept.
    const expected = doc
      .getText()
      .replace('K.sum(y_true * y_pred, axis=-1)', 'K.sum(y_true * y_pred, axis=[1, 2, 3])')
      .replace(
        'K.sum(y_true, -1) + K.sum(y_pred, -1)',
        'K.sum(y_true, [1, 2, 3]) + K.sum(y_pred, [1, 2, 3])',
      );
    for (let left = 3; left > 0; left--) {
      const diags = (await waitForCount(doc.uri, left)).sort((a, b) =>
        a.range.start.compareTo(b.range.start),
      );
      for (const d of diags) {
        assert.equal((d.code as { value: string }).value, 'LL101', `still LL101, not LL104: ${d.message}`);
        assert.match(d.message, /with smooth=1 .*true Dice 0\.50 reports ~0\.97/);
      }
      // The last site in the file first, so every fix but the last leaves sites both before and after it.
      const fix = (await actionsAt(doc.uri, diags[diags.length - 1].range)).find((a) => a.isPreferred);
      assert.ok(fix?.edit, `a preferred fix with ${left} sites left`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
    }
    await waitForCount(doc.uri, 0);
    assert.equal(doc.getText(), expected);
    await discard(doc);
  });

  it('"fix all" fixes the three sites in one edit, keeping keyword and positional form; diagnostics clear', async () => {
    const doc = await editableCopy();
    const [d] = await waitForCount(doc.uri, 3);
    const all = (await actionsAt(doc.uri, d.range)).find((a) => a.title.startsWith('Fix all 3 LL101'));
    assert.ok(all?.edit);
    assert.ok(await vscode.workspace.applyEdit(all.edit));
    await waitForCount(doc.uri, 0);
    const text = doc.getText();
    assert.ok(text.includes('K.sum(y_true * y_pred, axis=[1, 2, 3])'), 'the keyword stays a keyword');
    assert.ok(
      text.includes('K.sum(y_true, [1, 2, 3]) + K.sum(y_pred, [1, 2, 3])'),
      'positional stays positional',
    );
    await discard(doc);
  });

  it('source.fixAll.seglens (as editor.codeActionsOnSave runs it) fixes the whole file', async () => {
    const doc = await editableCopy();
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        new vscode.Range(0, 0, 0, 0),
        'source.fixAll.seglens',
      )) ?? [];
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.seglens');
    assert.ok(fixAll?.edit, `fix-all action in ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    await waitForCount(doc.uri, 0);
    await discard(doc);
  });

  it('suppression comments for a line and for the file silence LL101', async () => {
    const doc = await editableCopy();
    const diags = (await waitForCount(doc.uri, 3)).sort((a, b) => a.range.start.compareTo(b.range.start));
    const line = diags[0].range.start.line;
    const disableLine = (await actionsAt(doc.uri, diags[0].range)).find(
      (a) => a.title === 'Disable LL101 for this line',
    );
    assert.ok(disableLine?.edit);
    assert.ok(await vscode.workspace.applyEdit(disableLine.edit));
    const left = await waitForCount(doc.uri, 2);
    assert.match(doc.lineAt(line).text, /# seglens: ignore\[LL101\]$/);
    assert.ok(left.every((d) => d.range.start.line !== line));

    const disableFile = (await actionsAt(doc.uri, left[0].range)).find(
      (a) => a.title === 'Disable LL101 for this file',
    );
    assert.ok(disableFile?.edit);
    assert.ok(await vscode.workspace.applyEdit(disableFile.edit));
    await waitForCount(doc.uri, 0);
    assert.ok(doc.getText().includes('# seglens: ignore-file[LL101]\n'));
    await discard(doc);
  });

  it('a per-rule setting turns LL101 off and back on', async () => {
    const config = vscode.workspace.getConfiguration('seglens.lint');
    await config.update('rules', { LL101: 'off' }, vscode.ConfigurationTarget.Global);
    await waitForCount(KERAS, 0);
    await config.update('rules', { LL101: 'warning' }, vscode.ConfigurationTarget.Global);
    const diags = await waitForCount(KERAS, 3);
    assert.ok(diags.every((d) => d.severity === vscode.DiagnosticSeverity.Warning));
    await config.update('rules', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('errors again', () =>
      ours(KERAS).every((d) => d.severity === vscode.DiagnosticSeverity.Error),
    );
  });

  it('the correct PyTorch Dice gets no diagnostic, and the lint command says so', async () => {
    const doc = await vscode.workspace.openTextDocument(TORCH);
    await vscode.window.showTextDocument(doc);
    const result = await vscode.commands.executeCommand<LintCommandResult>('seglens.lint.currentFile');
    assert.ok(result);
    assert.equal(result.skipped, undefined);
    assert.equal(result.findings, 0);
    assert.deepEqual(ours(TORCH), []);
  });

  it('the lint command answers on the Keras file with its counts', async () => {
    await vscode.window.showTextDocument(keras);
    const result = await vscode.commands.executeCommand<LintCommandResult>('seglens.lint.currentFile');
    assert.deepEqual({ findings: result?.findings, errors: result?.errors }, { findings: 3, errors: 3 });
  });

  it('the lint command answers when the active file is not Python', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# not python\n' });
    await vscode.window.showTextDocument(doc);
    const result = await vscode.commands.executeCommand<LintCommandResult>('seglens.lint.currentFile');
    assert.match(result?.skipped ?? '', /not Python/);
  });

  it('"Show documentation" opens the bundled rule page in the Markdown preview', async () => {
    const ok = await vscode.commands.executeCommand<boolean>('seglens.lint.showRuleDocs', 'LL101');
    assert.equal(ok, true);
    const tab = await waitFor('a Markdown preview tab', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType)),
    );
    assert.match(tab.label, /LL101/);
    // The preview renders asynchronously in its webview; give it time before the picture.
    await new Promise((r) => setTimeout(r, 4000));
    if (await requestScreenshot('lint-rule-docs')) log('    screenshot: lint-rule-docs');
  });

  it('the diagnostic code link (the rule page opened as a file) is shown as a Markdown preview', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const [d] = await waitForCount(KERAS, 3);
    const target = (d.code as { target: vscode.Uri }).target;
    // What VS Code does when the code is clicked in the Problems panel or the hover: open the target.
    await vscode.commands.executeCommand('vscode.open', target);
    const tabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    await waitFor(
      'the preview replacing the text editor',
      () =>
        tabs().some((t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType)) &&
        !tabs().some(
          (t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === target.toString(),
        ),
    );
  });

  it('edits re-lint incrementally: diagnostics follow inserted lines', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: keras.getText() });
    const editor = await vscode.window.showTextDocument(doc);
    const before = (await waitForCount(doc.uri, 3)).map((d) => d.range.start.line).sort();
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# one\n# two\n'));
    const after = await waitFor('shifted diagnostics', () => {
      const lines = ours(doc.uri)
        .map((d) => d.range.start.line)
        .sort();
      return lines.length === 3 && lines[0] === before[0] + 2 ? lines : undefined;
    });
    assert.deepEqual(
      after,
      before.map((l) => l + 2),
    );
    // Breaking the syntax in the middle of the function must neither throw nor leave findings outside the text.
    await editor.edit((b) =>
      b.insert(new vscode.Position(before[0] + 2, 0), 'def broken(:\n    K.sum((((\n'),
    );
    await new Promise((r) => setTimeout(r, 800));
    for (const d of ours(doc.uri)) assert.ok(doc.validateRange(d.range).isEqual(d.range));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('a file over the size limit gets one information diagnostic instead of a lint', async () => {
    const big = 'x = 1\n'.repeat(200_000); // 1.2 M characters, over the 1 M default
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: big });
    await vscode.window.showTextDocument(doc);
    const [d] = await waitForCount(doc.uri, 1);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    assert.equal((d.code as { value: string }).value, 'LL000');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('lints notebook cells together: a loss in one cell, compile(loss=...) in another', async function () {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(
        vscode.NotebookCellKind.Code,
        '%matplotlib inline\nfrom tensorflow.keras import backend as K',
        'python',
      ),
      new vscode.NotebookCellData(
        vscode.NotebookCellKind.Code,
        [
          'def dice_coef(y_true, y_pred, smooth=1):',
          '    intersection = K.sum(y_true * y_pred, axis=-1)',
          '    return (2.0 * intersection + smooth) / (K.sum(y_true, -1) + K.sum(y_pred, -1) + smooth)',
        ].join('\n'),
        'python',
      ),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# notes', 'markdown'),
      new vscode.NotebookCellData(
        vscode.NotebookCellKind.Code,
        'model.compile(optimizer="adam", loss=lambda t, p: 1 - dice_coef(t, p))',
        'python',
      ),
    ]);
    let nb: vscode.NotebookDocument;
    try {
      nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', data);
    } catch (e) {
      log(`    (no jupyter-notebook serializer in this VS Code: ${String(e)})`);
      this.skip();
    }
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.cellAt(1).document;
    const diags = await waitForCount(cell.uri, 3);
    assert.deepEqual(diags.map((d) => key(d.range)).sort(), kSumRanges(cell.getText()).map(key).sort());
    assert.deepEqual(ours(nb.cellAt(0).document.uri), []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
  it('workspace imports: a loss calling a helper of utils/metrics.py gets LL101 at the call; saving the fixed helper clears it', async () => {
    const dir = makeTempDir('seglens-lint-ws');
    try {
      mkdirSync(path.join(dir.path, 'utils'));
      const helper = path.join(dir.path, 'utils', 'metrics.py');
      writeFileSync(
        helper,
        [
          'import tensorflow as tf',
          '',
          '',
          'def soft_dice(a, b, smooth=1.0):',
          '    inter = tf.reduce_sum(a * b, axis=-1)',
          '    union = tf.reduce_sum(a, axis=-1) + tf.reduce_sum(b, axis=-1)',
          '    return tf.reduce_mean((2.0 * inter + smooth) / (union + smooth))',
          '',
        ].join('\n'),
      );
      const lossText = [
        'import tensorflow as tf',
        'from utils.metrics import soft_dice',
        '',
        '',
        'def dice_loss(y_true, y_pred):',
        '    return 1.0 - soft_dice(y_true, y_pred)',
        '',
      ].join('\n');
      writeFileSync(path.join(dir.path, 'losses.py'), lossText);
      const loss = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir.path, 'losses.py')));
      await vscode.window.showTextDocument(loss);
      const [d] = await waitForCount(loss.uri, 1);
      assert.equal((d.code as { value: string }).value, 'LL101');
      const line = lossText.split('\n')[5];
      assert.equal(key(d.range), key(new vscode.Range(5, line.indexOf('soft_dice('), 5, line.length)));
      assert.match(d.message, /soft_dice/);
      // The helper fixed and saved in the editor: the loss is linted again with the new text.
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(helper));
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((b) => {
        const text = doc.getText();
        for (let at = text.indexOf('axis=-1'); at >= 0; at = text.indexOf('axis=-1', at + 1))
          b.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 7)), 'axis=[1, 2, 3]');
      });
      assert.ok(await doc.save());
      await waitForCount(loss.uri, 0);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      dir.dispose();
    }
  });
});
