// The debugger bridge through the real workbench UI, the way a user does it: F5 attaches to a debugpy server (the
// test-only debug type of test/fixtures/debug/debugpy-attach, linked as an installed extension), the program stops
// inside a Keras-style dice_coeff, a right-click on `y_pred` in the Variables view offers "View in SegLens", which
// opens the viewer; "SegLens: Check Loss at Breakpoint" from the palette proposes the tensors from the function's
// parameters and shows the loss-vs-true-Dice page. Waits are on what the workbench shows, never on delays.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../tools/harness/server';
import { TEST_EXTENSIONS } from '../../tools/harness/suite';
import { Workbench } from '../../tools/harness/workbench';
import { makeTempDir } from '../support/tempDir';

const PYTHON = '/usr/bin/python3';
const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'debug');
const WAIT_MS = 90_000;

// The user's step: the seed's Dice; the test sets a breakpoint on its first line with F9, as a user does.
const STEP = `"""A training step whose Dice reduces axis=-1 on (B, H, W, 1) tensors."""
import numpy as np

from train_step import make_batch


def dice_coeff(y_true, y_pred, smooth=1.0):
    # y_true, y_pred: (B, H, W, 1) masks and sigmoid probabilities
    intersection = np.sum(y_true * y_pred, axis=-1)
    return (2.0 * intersection + smooth) / (np.sum(y_true, axis=-1) + np.sum(y_pred, axis=-1) + smooth)


images, masks, probs = make_batch()
print(float(np.mean(dice_coeff(masks, probs))))
`;

function hasDebugpy(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import debugpy, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function untilTrue(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('e2e: the debugger bridge from the Variables view and the palette', function () {
  this.timeout(300_000);
  let wb: Workbench | undefined;
  let proc: ChildProcess | undefined;
  const tmp = makeTempDir('seglens-debug-e2e');

  before(function () {
    if (!hasDebugpy()) {
      console.warn(
        '    skipped: /usr/bin/python3 with debugpy and numpy is needed (apt install python3-debugpy)',
      );
      this.skip();
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot('debug-e2e-failed');
  });

  after(async () => {
    await wb?.close();
    if (proc && proc.exitCode === null) proc.kill();
    tmp.dispose();
  });

  it('right-click y_pred → View in SegLens; palette → Check Loss at Breakpoint', async () => {
    const ws = path.join(tmp.path, 'workspace');
    mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    copyFileSync(path.join(FIXTURES, 'train_step.py'), path.join(ws, 'train_step.py'));
    writeFileSync(path.join(ws, 'step.py'), STEP);
    const portFile = path.join(tmp.path, 'port.json');
    proc = spawn(PYTHON, [path.join(FIXTURES, 'serve.py'), portFile, path.join(ws, 'step.py')], {
      cwd: ws,
      env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1', PYTHONPATH: ws },
      stdio: 'ignore',
    });
    const port = await until('the debugpy server', () =>
      existsSync(portFile)
        ? (JSON.parse(readFileSync(portFile, 'utf8')) as { port: number }).port
        : undefined,
    );
    writeFileSync(
      path.join(ws, '.vscode', 'launch.json'),
      JSON.stringify({
        version: '0.2.0',
        configurations: [
          { name: 'Attach to debugpy', type: 'seglens-test-debugpy', request: 'attach', port },
        ],
      }),
    );
    wb = await Workbench.open({ folder: ws, linkExtensions: TEST_EXTENSIONS });
    const page = wb.page;

    // Open the script and wait for SegLens' lint status on it: the extension host is up, so F5 finds the debug type.
    await (await wb.explorerItem('step.py')).click();
    await page.locator('.statusbar-item', { hasText: 'SegLens' }).first().waitFor({ timeout: WAIT_MS });
    // A breakpoint on the first line of dice_coeff: Go to Line, then F9.
    const breakLine = STEP.split('\n').findIndex((l) => l.includes('intersection = np.sum(')) + 1;
    await page.locator('.monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ timeout: WAIT_MS });
    await page.keyboard.type(String(breakLine));
    await page.keyboard.press('Enter');
    await page.keyboard.press('F9');
    await page.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: WAIT_MS });
    // F5, the usual gesture: starts the first configuration of launch.json.
    await page.keyboard.press('F5');
    // Paused: the debug toolbar's Continue button, then the Variables view lists the frame's scopes.
    await page.locator('.debug-toolbar .codicon-debug-continue').waitFor({ timeout: WAIT_MS });
    await wb.runCommand('View: Show Run and Debug');
    const variables = page.locator('.debug-variables');
    const locals = variables.locator('.monaco-list-row', { hasText: 'Locals' }).first();
    await locals.waitFor({ timeout: WAIT_MS });
    if ((await locals.getAttribute('aria-expanded')) !== 'true') await locals.click();
    const yPred = variables.locator('.monaco-list-row', { hasText: /^\s*y_pred/ }).first();
    await yPred.waitFor({ timeout: WAIT_MS });
    await yPred.click({ button: 'right' });
    await wb.contextMenu().waitFor({ timeout: WAIT_MS });
    const labels = await wb.menuLabels();
    assert.ok(labels.includes('View in SegLens'), `menu: ${labels.join(', ')}`);
    await wb.screenshot('debug-e2e-variables-menu');
    await wb.clickMenuItem('View in SegLens');

    const viewer = await wb.webview(0);
    await viewer.locator('canvas').first().waitFor({ timeout: WAIT_MS });
    await viewer.getByText(/y_pred: numpy float32 \[4, 48, 48, 1\]/).waitFor({ timeout: WAIT_MS });
    await wb.screenshot('debug-e2e-viewer');

    // The editor shows step.py at the stopped line, inside dice_coeff: the cursor is on the function.
    await wb.runCommand('SegLens: Check Loss at Breakpoint');
    const input = page.locator('.quick-input-widget input');
    for (const guess of ['y_pred', 'y_true']) {
      await untilTrue(
        `the proposal ${guess}`,
        async () => (await input.isVisible()) && (await input.inputValue()) === guess,
      );
      await page.keyboard.press('Enter');
    }
    const lossPage = page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
    const verdict = lossPage.locator('#verdict');
    await verdict.waitFor({ timeout: WAIT_MS });
    assert.match(
      (await verdict.textContent()) ?? '',
      /^dice_coeff returns 0\.9\d\d, but the per-image Dice is/,
    );
    assert.equal(await lossPage.locator('#perImage tbody tr').count(), 4);
    await wb.screenshot('debug-e2e-check-loss');
  });
});
