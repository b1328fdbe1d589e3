// The dataset view as a user drives it in the real workbench: right-click the demo's images/ folder → "Evaluate
// Folder…" → the pairing preview → Evaluate (both demo models, threshold + RankDice) → rows stream into the table,
// worst first, and the summary appears → the filter box narrows the table → a click opens the worst image in the
// viewer beside the table → J steps to the next one. Screenshots at each state (test-output/screenshots/).
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { Workbench } from '../../tools/harness/workbench';

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
    // The explorer can be drawn before the extension's menu contributions are registered: reopen until they are.
    let labels: string[] = [];
    for (let attempt = 0; attempt < 30; attempt++) {
      await wb.rightClickExplorerItem('images');
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
    const view: FrameLocator = await wb.webview();
    await view.locator('.setup-head', { hasText: '12 samples matched' }).waitFor({ timeout: 60_000 });
    await wb.screenshot('dataset-e2e-preview');

    await view.locator('vscode-button.evaluate').click();
    await view.locator('.status', { hasText: 'Done' }).waitFor({ timeout: 180_000 });
    await view.locator('.card').first().waitFor({ timeout: 60_000 });
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
  });
});
