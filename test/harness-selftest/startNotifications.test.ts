// `npm start` serves the workbench the way a user sees desktop VS Code: SegLens loaded as an installed extension
// (no smoke-test driver, which would hide every toast), so a command's notification appears as a toast — and the
// demo workspace raises no error toast of its own.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, workbenchUrl } from '../../tools/harness/browser';
import { ensureInstalled, repoRoot, startOptions, startServer } from '../../tools/harness/server';

describe('harness: npm start shows notifications', function () {
  this.timeout(240_000);

  it('the lint command’s result appears as a toast, and nothing else does', async () => {
    ensureInstalled();
    const server = await startServer({
      logFile: path.join(repoRoot, 'test-output', 'harness', 'start-selftest-server.log'),
      ...startOptions(),
    });
    try {
      const url = workbenchUrl({ origin: server.origin, folder: path.join(repoRoot, 'demo') });
      assert.doesNotMatch(url, /extensionDevelopmentPath/);
      const { browser, page } = await openWorkbench(url);
      try {
        const tree = page.locator('.explorer-folders-view');
        await tree.getByRole('treeitem', { name: 'losses', exact: true }).click({ timeout: 90_000 });
        await tree.getByRole('treeitem', { name: 'dice_keras.py', exact: true }).click({ timeout: 30_000 });
        await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 60_000 });
        await page.keyboard.press('F1');
        await page.keyboard.type('SegLens: Lint Loss Code in Current File');
        await page.locator('.quick-input-list [role="option"]').first().waitFor({ timeout: 30_000 });
        await page.keyboard.press('Enter');
        const toast = page.locator('.notification-toast', { hasText: 'SegLens lint:' });
        await toast.waitFor({ timeout: 60_000 });
        const texts = await page.locator('.notification-toast').allInnerTexts();
        assert.ok(
          texts.every((t) => t.includes('SegLens')),
          `only SegLens toasts expected, got: ${texts.join(' | ')}`,
        );
        mkdirSync(path.join(repoRoot, 'test-output', 'screenshots'), { recursive: true });
        await page.screenshot({
          path: path.join(repoRoot, 'test-output', 'screenshots', 'npm-start-toast.png'),
        });
      } finally {
        await browser.close();
      }
    } finally {
      await server.stop();
    }
  });
});
