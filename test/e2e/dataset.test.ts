// The dataset view as a user drives it in the real workbench: right-click the demo's images/ folder → "Evaluate
// Folder…" → the pairing preview → Evaluate (both demo probability folders and the demo ONNX model, threshold +
// RankDice) → rows stream into the table, worst first, and the summary appears → the filter box narrows the table
// → a click opens the worst image in the viewer beside the table → J steps to the next one → a "check this label"
// candidate opens its image zoomed to the region. Then a generated 1,000-image set: evaluated, sorted, filtered,
// its two models compared, scrolled (only the visible rows are drawn), a row opened. Screenshots at each state
// (test-output/screenshots/); timings are logged, never asserted.
import assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { Workbench } from '../../tools/harness/workbench';
import { writeGeneratedSet } from '../support/generatedDataset';
import { makeTempDir } from '../support/tempDir';

/** Right-clicks an explorer folder and picks "Evaluate Folder…", reopening until the extension's menu is there. */
async function evaluateFolderFromExplorer(wb: Workbench, folder: string): Promise<void> {
  // The explorer can be drawn before the extension's menu contributions are registered: reopen until they are.
  let labels: string[] = [];
  for (let attempt = 0; attempt < 30; attempt++) {
    await wb.rightClickExplorerItem(folder);
    labels = await wb.menuLabels();
    if (labels.includes('Evaluate Folder…')) break;
    await wb.page.keyboard.press('Escape');
    await wb.page.waitForTimeout(1000);
  }
  assert.ok(
    labels.includes('Evaluate Folder…'),
    `the folder menu offers Evaluate Folder…: ${labels.join(' | ')}`,
  );
  await wb.clickMenuItem('Evaluate Folder…');
}

/** The table's drawn rows' ids and first-decoder Dice, top to bottom. */
async function drawnRows(view: FrameLocator): Promise<{ ids: string[]; dice: number[] }> {
  const rows = view.locator('.rows .row');
  const ids = (await rows.locator('.cell.id').allTextContents()).map((t) => t.trim());
  const dice = (await rows.locator('.cell.num.sortcol').allTextContents()).map(Number);
  return { ids, dice };
}

function log(line: string): void {
  process.stdout.write(`      ${line}\n`);
}

/** Milliseconds until `ready` holds, polling each animation frame of the page (a timing, logged only). */
async function timeUntil(page: Page, ready: () => Promise<boolean>, ms = 30_000): Promise<number> {
  const start = Date.now();
  while (!(await ready())) {
    if (Date.now() - start > ms) throw new Error(`not ready within ${ms} ms`);
    await page.waitForTimeout(16);
  }
  return Date.now() - start;
}

describe('e2e: dataset view on the demo set', function () {
  this.timeout(300_000);
  let wb: Workbench | undefined;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot('dataset-e2e-failed');
  });
  after(async () => {
    await wb?.close();
  });

  it('evaluates the folder, sorts worst first, filters, and opens rows in the viewer', async () => {
    wb = await Workbench.open({ viewport: { width: 1600, height: 1000 } });
    await evaluateFolderFromExplorer(wb, 'images');
    const view: FrameLocator = await wb.webview();
    await view.locator('.setup-head', { hasText: '12 samples matched' }).waitFor({ timeout: 60_000 });
    // The demo's ONNX model runs on every image as a third model (a probability folder vs a model).
    const onnx = view.locator('vscode-checkbox[data-onnx="models/unet_bce.onnx"]');
    await onnx.waitFor({ timeout: 60_000 });
    await onnx.click();
    await view.locator('vscode-checkbox[data-onnx="models/unet_bce.onnx"][checked]').waitFor();
    await wb.screenshot('dataset-e2e-preview');

    await view.locator('vscode-button.evaluate').click();
    await view.locator('.status', { hasText: 'Done' }).waitFor({ timeout: 180_000 });
    await view.locator('.card').first().waitFor({ timeout: 60_000 });
    await view.locator('.card h3', { hasText: 'unet_bce.onnx' }).first().waitFor({ timeout: 60_000 });
    const modelRows = view.locator('table.stats tr', { hasText: 'unet_bce vs unet_bce.onnx' });
    assert.ok((await modelRows.count()) >= 1, 'the folder and the model are compared');
    const rows = view.locator('.rows .row');
    assert.equal(await rows.count(), 12, 'one row per image, all drawn (12 fit the window)');
    // Worst first: the Dice column of the first decoder ascends.
    const dice = (await view.locator('.rows .row .cell.num.sortcol').allTextContents()).map(Number);
    assert.deepEqual(
      dice,
      [...dice].sort((a, b) => a - b),
      'ascending Dice',
    );
    await wb.screenshot('dataset-e2e-table');
    // The summary's lower sections: comparisons, the label-free ranking, the tuned threshold, label candidates.
    await view.locator('.ranking').waitFor({ timeout: 60_000 });
    await view.locator('.ranking').scrollIntoViewIfNeeded();
    await wb.screenshot('dataset-e2e-summary');
    await view.locator('.label-errors li').first().waitFor({ timeout: 60_000 });

    await view.locator('vscode-textfield.filter input').fill('dice<0.75');
    await view.locator('.counts', { hasText: /^\d+ of 12 rows/ }).waitFor();
    await wb.page.waitForTimeout(600);
    const filtered = await rows.count();
    assert.equal(filtered, dice.filter((d) => d < 0.75).length, 'the filter keeps rows with Dice < 0.75');
    await view.locator('vscode-textfield.filter input').fill('');
    await wb.page.waitForTimeout(600);

    // A confusion-matrix cell lists its images in the table; "Show all" brings the others back.
    await view.locator('table.confusion td.link.off').first().click();
    await view.locator('.only', { hasText: 'GT ' }).waitFor({ timeout: 30_000 });
    await wb.page.waitForTimeout(600);
    const inCell = await rows.count();
    assert.ok(inCell >= 1 && inCell <= 12, `the cell's images (${inCell})`);
    await wb.screenshot('dataset-e2e-confusion');
    await view.locator('.only vscode-button').click();
    await wb.page.waitForTimeout(600);
    assert.equal(await rows.count(), 12);

    await rows.first().click();
    await wb.page.locator('.tab', { hasText: 'SegLens: ' }).first().waitFor({ timeout: 60_000 });
    const first = (await rows.first().locator('.cell.id').textContent())?.trim();
    await wb.page.locator('.tab', { hasText: `SegLens: ${first}` }).waitFor({ timeout: 60_000 });
    const viewer = await wb.webview(1);
    await viewer.locator('canvas').first().waitFor({ timeout: 60_000 });
    await wb.page.waitForTimeout(4000);
    await wb.screenshot('dataset-e2e-opened');

    // J in the table opens the next row.
    const second = (await rows.nth(1).locator('.cell.id').textContent())?.trim();
    await view.locator('.tbody').focus();
    await wb.page.keyboard.press('j');
    await wb.page.locator('.tab', { hasText: `SegLens: ${second}` }).waitFor({ timeout: 60_000 });

    // "Check this label": the first candidate opens its image zoomed to the region, with the error map.
    const candidate = view.locator('.label-errors li a').first();
    await candidate.scrollIntoViewIfNeeded();
    const name = ((await candidate.textContent()) ?? '').split(' · ')[0].trim();
    await candidate.click();
    await wb.page.locator('.tab', { hasText: `SegLens: ${name}` }).waitFor({ timeout: 60_000 });
    const zoomed = await wb.webview(1);
    await zoomed.locator('main.stage:not([data-zoom="fit"])').waitFor({ timeout: 60_000 });
    await zoomed.locator('canvas.layer.decisions[data-show="errors"]').waitFor({ timeout: 60_000 });
    await wb.page.waitForTimeout(1500);
    await wb.screenshot('dataset-e2e-label-region');
  });
});

describe('e2e: dataset view on a generated 1,000-image set', function () {
  this.timeout(600_000);
  const N = 1000;
  let wb: Workbench | undefined;
  const dir = makeTempDir('seglens-dataset-e2e');

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await wb?.screenshot('dataset-e2e-1000-failed');
  });
  after(async () => {
    await wb?.close();
    dir.dispose();
  });

  it('evaluates, sorts, filters, compares two models, scrolls a virtual table and opens a row', async () => {
    const made = Date.now();
    writeGeneratedSet(dir.path, { n: N, size: 64 });
    log(`generated ${N} images of 64² with masks and two models' maps in ${Date.now() - made} ms`);
    wb = await Workbench.open({ folder: dir.path, viewport: { width: 1600, height: 1000 } });
    await evaluateFolderFromExplorer(wb, 'images');
    const view = await wb.webview();
    await view.locator('.setup-head', { hasText: `${N} samples matched` }).waitFor({ timeout: 120_000 });
    await view.locator('vscode-checkbox[data-model="a"][checked]').waitFor();
    await view.locator('vscode-checkbox[data-model="b"][checked]').waitFor();
    await wb.screenshot('dataset-e2e-1000-preview');

    const started = Date.now();
    await view.locator('vscode-button.evaluate').click();
    await view.locator('.status', { hasText: 'Done' }).waitFor({ timeout: 540_000 });
    log(`evaluated ${N} images × 2 models × 2 decoders in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await view.locator('.counts', { hasText: `${N} of ${N} rows` }).waitFor({ timeout: 60_000 });
    const rows = view.locator('.rows .row');
    const drawn = await rows.count();
    assert.ok(drawn > 10 && drawn < 80, `only the visible rows are in the DOM (${drawn} of ${N})`);
    const top = await drawnRows(view);
    assert.deepEqual(
      top.dice,
      [...top.dice].sort((a, b) => a - b),
      'worst first: ascending Dice',
    );
    await wb.screenshot('dataset-e2e-1000-table');

    // Scroll to the end of the virtual table: the last rows are drawn, still only a window of them.
    const body = view.locator('.tbody');
    const scrollMs = await timeUntil(wb.page, async () => {
      await body.evaluate((e) => e.scrollTo(0, e.scrollHeight));
      const r = await drawnRows(view);
      return r.dice.length > 0 && r.dice[r.dice.length - 1] >= top.dice[top.dice.length - 1];
    });
    const bottom = await drawnRows(view);
    assert.ok(bottom.ids.length < 80, `a window at the bottom too (${bottom.ids.length})`);
    assert.ok(!bottom.ids.includes(top.ids[0]), 'the top rows left the DOM');
    log(`scrolled 1,000 rows to the end: drawn after ${scrollMs} ms, ${bottom.ids.length} rows in the DOM`);
    await body.evaluate((e) => e.scrollTo(0, 0));

    // Sort by the id column (header click), then back to worst first.
    const sortStart = Date.now();
    await view.locator('.thead .hcell.sortable', { hasText: 'Image' }).click();
    await view.locator('.rows .row .cell.id', { hasText: 'case_0000' }).first().waitFor({ timeout: 30_000 });
    log(`sorted 1,000 rows by id in ${Date.now() - sortStart} ms (click to drawn)`);
    await wb.screenshot('dataset-e2e-1000-sorted');
    await view.locator('.thead .hcell.sortable.first').first().click();
    await view.locator('.thead .hcell.sorted.first').first().waitFor({ timeout: 30_000 });

    // Filter: images where model a's threshold Dice is below 0.9.
    await view.locator('vscode-textfield.filter input').fill('dice<0.9');
    const filterMs = await timeUntil(wb.page, async () => {
      const text = (await view.locator('.counts').textContent()) ?? '';
      return /^\d+ of \d+ rows/.test(text) && !text.startsWith(`${N} of`);
    });
    log(`filtered to ${await view.locator('.counts').textContent()}: ${filterMs} ms after typing`);
    const filtered = await drawnRows(view);
    assert.ok(filtered.dice.length > 0, 'some images score below 0.9');
    assert.ok(
      filtered.dice.every((d) => d < 0.9),
      'every shown row has Dice < 0.9',
    );
    await wb.screenshot('dataset-e2e-1000-filtered');
    await view.locator('vscode-textfield.filter input').fill('');
    await view.locator('.counts', { hasText: `${N} of ${N} rows` }).waitFor({ timeout: 30_000 });

    // The two models compared per image (paired, with the bootstrap interval).
    const cmp = view.locator('table.stats tr', { hasText: /\ba vs b \(/ }).first();
    await cmp.waitFor({ timeout: 120_000 });
    await cmp.scrollIntoViewIfNeeded();
    log(`model comparison: ${(await cmp.textContent())?.replace(/\s+/g, ' ')}`);
    await wb.screenshot('dataset-e2e-1000-compared');

    // A row opens in the viewer beside the table.
    await rows.first().click();
    const first = (await rows.first().locator('.cell.id').textContent())?.trim();
    await wb.page.locator('.tab', { hasText: `SegLens: ${first}` }).waitFor({ timeout: 60_000 });
    const viewer = await wb.webview(1);
    await viewer.locator('canvas.layer.decisions[data-show="errors"]').waitFor({ timeout: 60_000 });
    await wb.screenshot('dataset-e2e-1000-opened');
  });
});
