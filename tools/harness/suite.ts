// Runs the integration suite (test/integration) inside the real VS Code extension host of code-server: start the
// server, open the workbench with the extension and the suite in its payload, stream the suite's log, take the
// screenshots it asks for, and turn its result file into pass/fail counts.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { buildSuite, suiteEntry } from './buildSuite';
import { openWorkbench, workbenchUrl } from './browser';
import { LogTail } from './logTail';
import { ensureInstalled, repoRoot, startServer } from './server';
import type { SuiteResult } from '../../test/integration/support/reporter';
import { SCREENSHOT_MARKER } from '../../test/integration/support/screenshot';

export const outputDir = path.join(repoRoot, 'test-output');
export const screenshotDir = path.join(outputDir, 'screenshots');

export interface SuiteOutcome extends SuiteResult {
  /** False when the run itself went wrong (no result, zero tests, bad exit code, timeout), even with 0 failures. */
  ok: boolean;
  /** Why the run went wrong, when it did. */
  problem?: string;
}

function parseResult(file: string): SuiteResult | undefined {
  if (!existsSync(file)) return undefined;
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Partial<SuiteResult>;
  if (typeof r.passed !== 'number' || typeof r.failed !== 'number' || typeof r.pending !== 'number')
    return undefined;
  return { passed: r.passed, failed: r.failed, pending: r.pending, failures: r.failures ?? [] };
}

/** Screenshot names come from the suite; keep them to a safe file name. */
function screenshotPath(name: string): string {
  return path.join(screenshotDir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.png`);
}

/** Removes the screenshot acknowledgement files the launcher leaves for the suite. */
function removeAcks(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('integration.log.screenshot-')) rmSync(path.join(dir, name), { force: true });
  }
}

export interface SuiteOptions {
  /** Seconds before the run counts as hung (default 300, env SEGLENS_HARNESS_TIMEOUT). */
  timeoutSeconds?: number;
  /** Folder opened in the workbench (default test/fixtures, env SEGLENS_TEST_WORKSPACE). */
  workspace?: string;
  /** Receives every line the suite logs (default: stdout). */
  print?: (line: string) => void;
}

export async function runIntegrationSuite(options: SuiteOptions = {}): Promise<SuiteOutcome> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const timeoutSeconds = options.timeoutSeconds ?? Number(process.env.SEGLENS_HARNESS_TIMEOUT || 300);
  ensureInstalled();
  const tests = await buildSuite();

  const harnessOut = path.join(outputDir, 'harness');
  mkdirSync(harnessOut, { recursive: true });
  mkdirSync(screenshotDir, { recursive: true });
  const logFile = path.join(harnessOut, 'integration.log');
  const resultFile = path.join(harnessOut, 'integration-result.json');
  const workbenchLog = path.join(harnessOut, 'workbench.log');
  for (const file of [logFile, resultFile, workbenchLog]) rmSync(file, { force: true });
  removeAcks(harnessOut);
  writeFileSync(logFile, '');
  const defaultWorkspace = path.join(repoRoot, 'test', 'fixtures');
  const workspace = path.resolve(
    options.workspace ??
      process.env.SEGLENS_TEST_WORKSPACE ??
      (existsSync(defaultWorkspace) ? defaultWorkspace : path.join(repoRoot, 'test')),
  );

  const failed = (problem: string, partial?: SuiteResult): SuiteOutcome => ({
    ...(partial ?? { passed: 0, failed: 0, pending: 0, failures: [] }),
    ok: false,
    problem,
  });
  if (tests.length === 0) return failed('no test/integration/*.test.ts files');

  const server = await startServer({
    logFile: path.join(harnessOut, 'server.log'),
    env: {
      SEGLENS_TEST_LOG: logFile,
      SEGLENS_TEST_RESULT: resultFile,
      SEGLENS_TEST_SCREENSHOTS: '1',
      SEGLENS_REPO_ROOT: repoRoot,
    },
  });
  let workbench: Awaited<ReturnType<typeof openWorkbench>> | undefined;
  const tail = new LogTail(logFile);
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = workbenchUrl({
      origin: server.origin,
      folder: workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suiteEntry,
    });
    workbench = await openWorkbench(url, (type, args) => {
      appendFileSync(
        workbenchLog,
        `[${type}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`,
      );
    });
    const page = workbench.page;
    page.on('pageerror', (err) => appendFileSync(workbenchLog, `[pageerror] ${err.message}\n`));

    // Screenshots are taken one at a time, in the order the suite asked for them.
    let screenshots = Promise.resolve();
    const handle = (line: string): void => {
      if (line.startsWith(SCREENSHOT_MARKER)) {
        const name = line.slice(SCREENSHOT_MARKER.length).trim();
        screenshots = screenshots.then(async () => {
          const file = screenshotPath(name);
          try {
            await page.screenshot({ path: file });
            print(`  [screenshot] ${path.relative(repoRoot, file)}`);
          } catch (err) {
            print(`  [screenshot] ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
          }
          // The suite waits for this file before it goes on.
          writeFileSync(`${logFile}.screenshot-${name}.done`, '');
        });
        return;
      }
      print(line);
    };
    const pump = setInterval(() => tail.poll().forEach(handle), 200);
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
    });
    const serverExit = new Promise<'server-exit'>((resolve) =>
      server.process.once('exit', () => resolve('server-exit')),
    );
    const outcome = await Promise.race([workbench.exitCode, timeout, serverExit]);
    clearInterval(pump);
    // The reporter writes its last lines synchronously before run() resolves, so they are in the file now.
    tail.flush().forEach(handle);
    await screenshots;
    try {
      await page.screenshot({ path: screenshotPath('integration-final') });
    } catch {
      // The page may be gone after a crash; the run's verdict does not depend on this picture.
    }

    const result = parseResult(resultFile);
    if (outcome === 'timeout') return failed(`the suite did not finish within ${timeoutSeconds} s`, result);
    if (outcome === 'server-exit') return failed('code-server exited before the suite finished', result);
    if (!result) {
      return failed(
        `the extension host exited with code ${outcome} without a result (see test-output/harness/workbench.log)`,
      );
    }
    if (result.passed + result.failed === 0) return failed('0 tests ran', result);
    if (outcome !== 0 && result.failed === 0) return failed(`the suite exited with code ${outcome}`, result);
    return { ...result, ok: true };
  } finally {
    if (timer) clearTimeout(timer);
    await workbench?.browser.close().catch(() => undefined);
    await server.stop();
    removeAcks(harnessOut);
  }
}
