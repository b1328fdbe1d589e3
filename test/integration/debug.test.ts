// The debugger bridge in a real VS Code with a real Python debugger: Debian's debugpy runs the seed training step
// (test/fixtures/debug/train_step.py) as a server, the test-only debug type of test/fixtures/debug/debugpy-attach
// attaches VS Code to it, and the program stops at a breakpoint inside the Keras-style dice_coeff (axis=-1). Then
// "View in SegLens" shows y_true and y_pred in the viewer with their roles, and "Check Loss at Breakpoint" shows what
// dice_coeff returns next to the true per-image Dice, with LL101 — every number checked against the reference the
// script computes itself with NumPy. Also: the size limit refuses before anything is copied, nothing runs without a
// paused session, and the temp files go when the panels close. Every wait is on state (the stopped frame, the
// port file, a viewer event, a file's existence), never on a delay.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SegLensApi } from '../../src/extension';
import type { ViewerEvent } from '../../src/vscode/viewer/context';
import type { CheckLossResult } from '../../src/vscode/debug/checkLoss';
import type { ViewResult } from '../../src/vscode/debug/viewValues';
import { makeTempDir } from '../support/tempDir';
import { log } from './support/log';
import { repoPath } from './support/paths';
import { requestScreenshot } from './support/screenshot';
import { waitForViewerEvent } from './support/viewerEvents';

const PYTHON = '/usr/bin/python3';
const SCRIPT = repoPath('test', 'fixtures', 'debug', 'train_step.py');
const SERVE = repoPath('test', 'fixtures', 'debug', 'serve.py');
const DEBUG_TYPE = 'seglens-test-debugpy';

interface Reference {
  batchValue: number;
  yourShape: number[];
  images: { dice: number; iou: number; gtPixels: number; predPixels: number; yourValue: number }[];
  probs: { shape: number[]; min: number; max: number };
  masks: { shape: number[]; sum: number };
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function pythonHasDebugpy(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import debugpy, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const close = (a: number, b: number, tol: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tolerance ${tol})`);

describe('debugger bridge with debugpy', function () {
  this.timeout(240_000);
  const events: ViewerEvent[] = [];
  let proc: ChildProcess | undefined;
  let session: vscode.DebugSession | undefined;
  let refFile = '';
  let breakLine: number;
  let viewed: ViewResult | undefined;
  let checked: CheckLossResult | undefined;
  let defLine = -1;

  before(async function () {
    if (!pythonHasDebugpy()) {
      log(
        'skipped: /usr/bin/python3 with debugpy and numpy is needed (apt install python3-debugpy python3-numpy)',
      );
      this.skip();
    }
    const ext = vscode.extensions.getExtension<SegLensApi>('seglens.seglens');
    assert.ok(ext, 'the extension under development is installed');
    const api = await ext.activate();
    api.onViewerEvent((e) => events.push(e));
    assert.ok(
      vscode.extensions.getExtension('seglens-test.seglens-test-debugpy-attach'),
      'the test debug type is loaded',
    );
  });

  after(async () => {
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    if (proc && proc.exitCode === null) proc.kill();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.workspace.getConfiguration('seglens.debug').update('maxTransferMB', undefined, true);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('refuses to run without a paused debug session', async () => {
    assert.equal(vscode.debug.activeDebugSession, undefined);
    const r = await vscode.commands.executeCommand('seglens.debug.checkLoss', {
      prediction: 'x',
      target: 'y',
    });
    assert.equal(r, undefined, 'unavailable: nothing evaluated');
  });

  it('attaches to debugpy and stops inside dice_coeff', async () => {
    const dir = makeTempDir('seglens-debug-test').path;
    const portFile = path.join(dir, 'port.json');
    refFile = path.join(dir, 'reference.json');
    const lines = readFileSync(SCRIPT, 'utf8').split('\n');
    breakLine = lines.findIndex((l) => l.includes('intersection = np.sum('));
    assert.ok(breakLine > 0, 'the breakpoint line is in the script');
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(
        new vscode.Location(vscode.Uri.file(SCRIPT), new vscode.Position(breakLine, 0)),
      ),
    ]);
    proc = spawn(PYTHON, [SERVE, portFile, SCRIPT], {
      cwd: path.dirname(SCRIPT),
      env: { ...process.env, SEGLENS_DEBUG_REFERENCE: refFile, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
      stdio: 'ignore',
    });
    const port = await waitFor('the debugpy server to listen', () =>
      existsSync(portFile)
        ? (JSON.parse(readFileSync(portFile, 'utf8')) as { port: number }).port
        : undefined,
    );
    const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
      type: DEBUG_TYPE,
      request: 'attach',
      name: 'debugpy (SegLens test)',
      port,
    });
    assert.ok(started, 'the debug session started');
    const frame = await waitFor('the program to stop in a frame', () => {
      const item = vscode.debug.activeStackItem;
      return item instanceof vscode.DebugStackFrame ? item : undefined;
    });
    session = frame.session;
    const top = (await session.customRequest('stackTrace', { threadId: frame.threadId, levels: 1 })) as {
      stackFrames: { name: string; line: number }[];
    };
    assert.equal(top.stackFrames[0].name, 'dice_coeff');
    assert.equal(top.stackFrames[0].line, breakLine + 1);
  });

  it('View Expressions in SegLens: y_true as the mask and y_pred as probabilities', async () => {
    assert.ok(session, 'paused');
    const from = events.length;
    const r = (await vscode.commands.executeCommand('seglens.debug.viewExpressions', {
      expressions: ['y_true', 'y_pred'],
    })) as ViewResult;
    assert.equal(r.refused, undefined, r.refused);
    assert.deepEqual(
      r.values.map((v) => [v.expression, v.role, v.kind, v.dtype]),
      [
        ['y_true', 'mask', 'numpy', 'float32'],
        ['y_pred', 'prob', 'numpy', 'float32'],
      ],
    );
    viewed = r;
    assert.match(
      r.values[1].dimsText,
      /batch of 4 \(axis 0\) · 48×48 image \(axes 1, 2\) · 1 channel \(axis 3, channels_last\)/,
    );
    assert.equal(r.values[1].note, 'item 0 of 4');
    const rendered = await waitForViewerEvent(
      events,
      from,
      (e): e is Extract<ViewerEvent, { type: 'rendered' }> =>
        e.type === 'rendered' &&
        e.panelId === r.panelId &&
        e.layers.includes('gt') &&
        e.layers.includes('prob'),
      120_000,
    );
    assert.equal(rendered.width, 48);
    assert.equal(rendered.height, 48);
    for (const v of r.values) assert.ok(existsSync(v.file), `${v.file} exists while the panel is open`);
    await requestScreenshot('debug-view-tensors');
    log(`viewed: ${r.notes.join(' | ')}`);
  });

  it('View in SegLens from the Variables view: the menu argument of a paused session', async () => {
    assert.ok(session, 'paused');
    const r = (await vscode.commands.executeCommand('seglens.debug.viewVariable', {
      sessionId: session.id,
      container: { name: 'Locals', variablesReference: 1, expensive: false },
      variable: { name: 'y_pred', value: 'array(...)', evaluateName: 'y_pred', variablesReference: 0 },
    })) as ViewResult;
    assert.equal(r.refused, undefined, r.refused);
    assert.deepEqual(
      r.values.map((v) => [v.expression, v.role]),
      [['y_pred', 'prob']],
    );
    const other = (await vscode.commands.executeCommand('seglens.debug.viewVariable', {
      sessionId: 'another-session',
      variable: { name: 'y_pred', evaluateName: 'y_pred' },
    })) as ViewResult;
    assert.match(other.refused ?? '', /another debug session/);
  });

  it('Check Loss without a Python editor: the function the session is paused in', async () => {
    // The viewer panel has the focus (no text editor active): the paused frame's file and line name the function.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('seglens.debug.viewExpressions', { expressions: ['y_pred'] });
    assert.equal(vscode.window.activeTextEditor, undefined);
    const r = (await vscode.commands.executeCommand('seglens.debug.checkLoss', {
      prediction: 'y_pred',
      target: 'y_true',
    })) as CheckLossResult;
    assert.equal(r.refused, undefined, r.refused);
    assert.equal(r.table?.functionName, 'dice_coeff');
    assert.equal(r.call, 'dice_coeff(y_true, y_pred)');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('refuses values over seglens.debug.maxTransferMB before copying anything', async () => {
    await vscode.workspace.getConfiguration('seglens.debug').update('maxTransferMB', 1, true);
    await waitFor(
      'the setting',
      () => vscode.workspace.getConfiguration('seglens.debug').get('maxTransferMB') === 1,
    );
    // 2 × 1024 × 1024 float32 values: 8 MB, made by numpy in the paused program.
    const r = (await vscode.commands.executeCommand('seglens.debug.viewExpressions', {
      expressions: ['np.zeros((2, 1024, 1024), dtype="float32")'],
    })) as ViewResult;
    assert.match(r.refused ?? '', /8\.0 MB, over the limit of 1\.0 MB/);
    assert.equal(r.values.length, 0);
    await vscode.workspace.getConfiguration('seglens.debug').update('maxTransferMB', undefined, true);
  });

  it('Check Loss at Breakpoint: dice_coeff returns ~0.92 while the true per-image Dice is ~0.1, with LL101', async () => {
    assert.ok(session, 'paused');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(SCRIPT));
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    // The cursor on the function's name in its def line, as a user would put it.
    defLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('def dice_coeff('));
    const at = new vscode.Position(defLine, 'def dice'.length);
    editor.selection = new vscode.Selection(at, at);
    // The editor's loss lint (the diagnostics the panel lists) has run on the file.
    await waitFor('the loss lint of the script', () =>
      vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'SegLens').length === 3
        ? true
        : undefined,
    );
    const r = (await vscode.commands.executeCommand('seglens.debug.checkLoss', {
      prediction: 'y_pred',
      target: 'y_true',
    })) as CheckLossResult;
    assert.equal(r.refused, undefined, r.refused);
    assert.ok(r.table);
    checked = r;
    const t = r.table;
    assert.equal(t.functionName, 'dice_coeff');
    assert.equal(r.call, 'dice_coeff(y_true, y_pred)');
    assert.equal(t.rows.length, 4);
    assert.ok(t.disagrees, 'the verdict flags the function');
    assert.match(t.verdict, /^dice_coeff returns 0\.9\d\d, but the per-image Dice is 0\.\d{3}–0\.\d{3}/);
    assert.deepEqual(
      r.findings?.map((f) => [f.rule, f.line]),
      [
        ['LL101', defLine + 3],
        ['LL101', defLine + 4],
        ['LL101', defLine + 4],
      ],
    );
    // The page itself reported what it displays: the same rows and verdict.
    assert.deepEqual(r.shown, { rows: 4, verdict: t.verdict });
    await requestScreenshot('debug-check-loss');
  });

  it('removes the temp files when the panels close', async () => {
    const view = (await vscode.commands.executeCommand('seglens.debug.viewExpressions', {
      expressions: ['y_true'],
    })) as ViewResult;
    const files = view.values.map((v) => v.file);
    assert.ok(files.length === 1 && existsSync(files[0]));
    const folder = path.dirname(files[0]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(`${folder} to be removed`, () => !existsSync(folder));
  });

  it('continues the program to its end; what SegLens showed equals what the script computed with NumPy', async () => {
    assert.ok(session && proc);
    const exited = new Promise<number | null>((resolve) =>
      proc?.exitCode !== null ? resolve(proc?.exitCode ?? null) : proc.once('exit', (code) => resolve(code)),
    );
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.commands.executeCommand('workbench.action.debug.continue');
    assert.equal(await exited, 0, 'the training step finished normally after SegLens evaluated in it');
    // Written by the script after the step, with plain NumPy, independently of SegLens.
    const reference = JSON.parse(readFileSync(refFile, 'utf8')) as Reference;
    assert.ok(viewed && checked?.table, 'the earlier tests ran');
    assert.deepEqual(viewed.values[0].shape, reference.masks.shape);
    assert.deepEqual(viewed.values[1].shape, reference.probs.shape);
    assert.equal(viewed.values[1].min, reference.probs.min);
    assert.equal(viewed.values[1].max, reference.probs.max);
    const t = checked.table;
    assert.deepEqual(t.batchShape, reference.yourShape);
    // The script's means are float32 (np.mean of float32); SegLens' helper averages in float64.
    close(t.batchValue, reference.batchValue, 1e-6, 'batch value');
    assert.equal(t.rows.length, reference.images.length);
    t.rows.forEach((row, i) => {
      const ref = reference.images[i];
      close(row.dice, ref.dice, 1e-12, `image ${i} Dice`);
      close(row.iou, ref.iou, 1e-12, `image ${i} IoU`);
      assert.equal(row.gtPixels, ref.gtPixels);
      assert.equal(row.predPixels, ref.predPixels);
      close(row.yours ?? NaN, ref.yourValue, 1e-6, `image ${i} dice_coeff`);
    });
    const dices = reference.images.map((x) => x.dice);
    assert.match(
      t.verdict,
      new RegExp(
        `^dice_coeff returns ${reference.batchValue.toFixed(3)}, but the per-image Dice is ` +
          `${Math.min(...dices).toFixed(3)}–${Math.max(...dices).toFixed(3)}`,
      ),
    );
  });
});
