// Proves the UI helper of the harness once, end to end: a real workbench opens the demo workspace, a right-click on a
// file in the explorer opens VS Code's context menu, and a screenshot of it is written; then the other helpers
// (menu item, webview frames, command palette) are exercised once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Workbench } from '../../tools/harness/workbench';
import { repoRoot } from '../../tools/harness/server';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('harness: workbench UI helper', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;

  before(async () => {
    wb = await Workbench.open({
      folder: path.join(repoRoot, 'demo'),
      viewport: { width: 1200, height: 800 },
    });
  });
  afterEach(async function () {
    // A picture of the workbench at the moment of failure says more than a timeout message.
    if (this.currentTest?.state === 'failed')
      await wb?.screenshot(`failed-${this.currentTest.title.slice(0, 40)}`);
  });
  after(async () => {
    await wb?.close();
  });

  it('right-clicks a PNG in the demo explorer, shows the file context menu and screenshots it', async () => {
    assert.ok(wb);
    const menu = await wb.rightClickExplorerItem('images/slice_048.png');
    assert.ok(await menu.isVisible());
    const labels = await wb.menuLabels();
    // Items VS Code itself puts on every file's context menu: proof that this is the file menu, not another one.
    for (const expected of ['Open to the Side', 'Copy Path', 'Rename...']) {
      assert.ok(labels.includes(expected), `menu items ${JSON.stringify(labels)} lack ${expected}`);
    }
    const file = await wb.screenshot('e2e-explorer-menu');
    const png = readFileSync(file);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    // IHDR width and height are the viewport's.
    assert.equal(png.readUInt32BE(16), 1200);
    assert.equal(png.readUInt32BE(20), 800);
    await wb.page.keyboard.press('Escape');
  });

  it('clicks a menu item, reaches into the webview frames, and runs a palette command', async () => {
    assert.ok(wb);
    await wb.rightClickExplorerItem('images/slice_048.png');
    await wb.clickMenuItem('Open in SegLens');
    const view = await wb.webview();
    // The panel's content lives two iframes deep; finding its canvas proves the helper reaches it.
    await view.locator('canvas').first().waitFor({ timeout: 60_000 });
    await wb.screenshot('e2e-webview');
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: 30_000 });
  });
});
