// A small playwright-driven API over the real workbench for end-to-end tests that click through the UI the way a
// user does (explorer right-click → menu item → panel). Tests run in plain node (mocha), outside VS Code:
//
//   const wb = await Workbench.open({ folder: repoPath('demo') });
//   await wb.rightClickExplorerItem('images/slice_048.png');
//   await wb.clickMenuItem('Open in SegLens');
//   const view = await wb.webview();             // the panel's content frame
//   await wb.screenshot('viewer');               // test-output/screenshots/viewer.png
//   await wb.close();
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { openWorkbench, workbenchUrl, type OpenedWorkbench } from './browser';
import { ensureInstalled, repoRoot, startServer, type RunningServer } from './server';

export interface WorkbenchOpenOptions {
  /** Folder to open (default: the demo workspace). */
  folder?: string;
  /** Load the extension under development (default true). */
  loadExtension?: boolean;
  viewport?: { width: number; height: number };
  /** Extension folders linked into the server's extensions folder (test-only extensions). @default none */
  linkExtensions?: readonly string[];
}

/** Generous waits: on two busy cores the workbench and webviews can take well over 15 s (docs/testing.md). */
const WAIT_MS = 60_000;

export class Workbench {
  private constructor(
    /** The playwright page of the workbench, for anything the helpers below do not cover. */
    readonly page: Page,
    private readonly server: RunningServer,
    private readonly opened: OpenedWorkbench,
  ) {}

  /** Starts a private code-server, opens the workbench in Chromium and waits until the explorer shows the folder. */
  static async open(options: WorkbenchOpenOptions = {}): Promise<Workbench> {
    ensureInstalled();
    const folder = path.resolve(options.folder ?? path.join(repoRoot, 'demo'));
    const server = await startServer({
      logFile: path.join(repoRoot, 'test-output', 'harness', 'e2e-server.log'),
      linkExtensions: options.linkExtensions ? [...options.linkExtensions] : undefined,
    });
    let opened: OpenedWorkbench | undefined;
    try {
      const url = workbenchUrl({
        origin: server.origin,
        folder,
        extensionDevelopmentPath: options.loadExtension === false ? undefined : repoRoot,
      });
      opened = await openWorkbench(url, () => undefined, options.viewport);
      // A single-folder workspace shows the folder as the pane's header, so its first child row marks readiness.
      await opened.page
        .locator('.explorer-folders-view [role="treeitem"]')
        .first()
        .waitFor({ timeout: WAIT_MS });
      return new Workbench(opened.page, server, opened);
    } catch (err) {
      await opened?.browser.close().catch(() => undefined);
      await server.stop();
      throw err;
    }
  }

  /** The explorer row of a file or folder name (the row's accessible name is the item's name). */
  explorerRow(name: string): Locator {
    return this.page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true });
  }

  /** Expands the folders of a workspace-relative path ('images/slice_048.png') and returns the item's row. */
  async explorerItem(relativePath: string): Promise<Locator> {
    const parts = relativePath.split('/').filter(Boolean);
    for (const [index, part] of parts.entries()) {
      const row = this.explorerRow(part);
      await row.waitFor({ timeout: WAIT_MS });
      if (index < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'false')
        await row.click();
    }
    return this.explorerRow(parts[parts.length - 1] ?? relativePath);
  }

  /** Right-clicks an explorer item and returns the open context menu. */
  async rightClickExplorerItem(relativePath: string): Promise<Locator> {
    const row = await this.explorerItem(relativePath);
    await row.click({ button: 'right' });
    const menu = this.contextMenu();
    await menu.waitFor({ timeout: WAIT_MS });
    return menu;
  }

  /** The context menu currently shown (the workbench draws its own menus, inside a shadow root). */
  contextMenu(): Locator {
    return this.page.locator('.context-view .monaco-menu').first();
  }

  /** Labels of the open context menu's items, in order. */
  async menuLabels(): Promise<string[]> {
    const labels = await this.contextMenu()
      .locator('.action-item:not(.disabled) .action-label')
      .allTextContents();
    return labels.map((label) => label.trim()).filter(Boolean);
  }

  /** Clicks an item of the open context menu by its label. */
  async clickMenuItem(label: string): Promise<void> {
    const item = this.contextMenu().getByRole('menuitem', { name: label, exact: true });
    await item.click();
    // The menu closes once the click landed. On a freshly started, busy workbench the first click on a menu that has
    // just appeared is sometimes dropped (seen on clean CI runs: item highlighted, menu still open); the keyboard
    // then chooses the item, which the menu has focused by then.
    try {
      await this.contextMenu().waitFor({ state: 'hidden', timeout: 5_000 });
    } catch {
      await item.hover();
      await this.page.keyboard.press('Enter');
      await this.contextMenu().waitFor({ state: 'hidden', timeout: WAIT_MS });
    }
  }

  /** Runs a command by its palette title (e.g. 'SegLens: Open Image/Mask/Probability Files…'). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: WAIT_MS });
    await input.fill(`>${title}`);
    await this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: title })
      .first()
      .waitFor({ timeout: WAIT_MS });
    await this.page.keyboard.press('Enter');
  }

  /**
   * The content of a webview panel. Webviews are two nested iframes: the outer one VS Code hosts, the inner
   * `active-frame` holding the extension's HTML. `index` picks among several open webviews.
   */
  async webview(index = 0): Promise<FrameLocator> {
    const outer = this.page.locator('iframe.webview.ready').nth(index);
    await outer.waitFor({ timeout: WAIT_MS });
    const inner = this.page
      .frameLocator('iframe.webview.ready')
      .nth(index)
      .frameLocator('iframe#active-frame');
    await inner.locator('body').waitFor({ timeout: WAIT_MS });
    return inner;
  }

  /** Saves a screenshot of the whole workbench as test-output/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = path.join(
      repoRoot,
      'test-output',
      'screenshots',
      `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.png`,
    );
    mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Closes the browser and ends the server's process group. */
  async close(): Promise<void> {
    await this.opened.browser.close().catch(() => undefined);
    await this.server.stop();
  }
}
