// Opens the code-server workbench in Debian's Chromium through playwright-core (never a downloaded browser), with
// flags that keep Chromium from any outside lookup, and builds the URL whose payload loads the extension under
// development (and optionally the test suite) — the smoke-test-driver option of the server makes the web
// workbench honour it.
import { chromium, type Browser, type Page } from 'playwright-core';
import { appendFileSync, existsSync } from 'node:fs';

export const CHROMIUM = process.env.SEGLENS_CHROMIUM || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-crash-reporter',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
];

export interface WorkbenchUrlOptions {
  origin: string;
  /** Absolute path of the folder to open. */
  folder: string;
  /** Absolute path of the extension under development. */
  extensionDevelopmentPath?: string;
  /** Absolute path of the compiled suite entry (a module exporting run()). */
  extensionTestsPath?: string;
}

/** The workbench URL; remote paths must be vscode-remote URIs on the same authority as the page. */
export function workbenchUrl(options: WorkbenchUrlOptions): string {
  const authority = new URL(options.origin).host;
  const remote = (p: string): string => `vscode-remote://${authority}${p}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  }
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const query = new URLSearchParams({ folder: options.folder, payload: JSON.stringify(payload) });
  return `${options.origin}/?${query.toString()}`;
}

export interface OpenedWorkbench {
  browser: Browser;
  page: Page;
  /** Resolves with the exit code the workbench reports through codeAutomationExit (tests finished). */
  exitCode: Promise<number>;
}

/**
 * Launches headless Chromium and opens `url`. `onLog` receives the workbench's codeAutomationLog calls (the
 * extension host's log channel in smoke-test mode).
 */
export async function openWorkbench(
  url: string,
  onLog: (type: string, args: unknown[]) => void = () => undefined,
  viewport = { width: 1400, height: 900 },
): Promise<OpenedWorkbench> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium)`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport });
    let resolveExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => {
      resolveExit = resolve;
    });
    // Exposed before navigation so the workbench finds them when it starts.
    await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
      onLog(String(type), Array.isArray(args) ? args : [args]);
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown) => {
      resolveExit(typeof code === 'number' ? code : Number(code));
    });
    // A diagnostic: every request, frame and console line of the workbench with its time (Date.now(), the clock the
    // extension host's logs use), to see what a webview waits for (SEGLENS_NETLOG=<file>).
    const netLog = process.env.SEGLENS_NETLOG;
    if (netLog) {
      const line = (s: string) => appendFileSync(netLog, `${Date.now()} ${s}\n`);
      page.context().on('request', (r) => line(`request ${r.resourceType()} ${r.url().slice(0, 200)}`));
      page.context().on('requestfinished', (r) => line(`finished ${r.url().slice(0, 200)}`));
      page.on('framenavigated', (f) => line(`frame ${f.url().slice(0, 200)}`));
      page.on('console', (m) => line(`console ${m.text().slice(0, 200)}`));
      page.on('websocket', (ws) => {
        ws.on('framereceived', (f) => line(`ws received ${f.payload.length} bytes`));
        ws.on('framesent', (f) => line(`ws sent ${f.payload.length} bytes`));
      });
    }
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    return { browser, page, exitCode };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
