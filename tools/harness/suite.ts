// Runs the integration suite (test/integration) inside the real VS Code extension host of code-server: start the
// server, open the workbench with the extension and the suite in its payload, stream the suite's log, take the
// screenshots it asks for, and turn its result file into pass/fail counts.
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSuite } from './buildSuite';
import { openWorkbench, workbenchUrl } from './browser';
import { LogTail } from './logTail';
import { ensureInstalled, repoRoot, startServer } from './server';
import type { SuiteResult } from '../../test/integration/support/reporter';
import { SCREENSHOT_MARKER } from '../../test/integration/support/screenshot';

export const outputDir = path.join(repoRoot, 'test-output');
/**
 * Test-only extensions loaded beside the repository's own: the debug type that attaches to a debugpy server
 * (test/integration/debug.test.ts), linked into the run's fresh extensions folder. Never shipped; not loaded when
 * another extension is under test (the VSIX check).
 */
export const TEST_EXTENSIONS: readonly string[] = [
  path.join(repoRoot, 'test', 'fixtures', 'debug', 'debugpy-attach'),
];
export const screenshotDir = path.join(outputDir, 'screenshots');

export interface SuiteOutcome extends SuiteResult {
  /** False when the run itself went wrong (no result, zero tests, bad exit code, timeout), even with 0 failures. */
  ok: boolean;
  /** Why the run went wrong, when it did. */
  problem?: string;
}

export function parseResult(file: string): SuiteResult | undefined {
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

/** The folder the suite opens: test/fixtures unless told otherwise (env SEGLENS_TEST_WORKSPACE). */
export function testWorkspace(explicit?: string): string {
  const defaultWorkspace = path.join(repoRoot, 'test', 'fixtures');
  return path.resolve(
    explicit ??
      process.env.SEGLENS_TEST_WORKSPACE ??
      (existsSync(defaultWorkspace) ? defaultWorkspace : path.join(repoRoot, 'test')),
  );
}

export function failed(problem: string, partial?: SuiteResult): SuiteOutcome {
  return { ...(partial ?? { passed: 0, failed: 0, pending: 0, failures: [] }), ok: false, problem };
}

/**
 * Turns a run's exit code and the reporter's result file into an outcome. A clean exit without a result, or
 * with zero tests, is a failure: it is what a wrong tests path or an unloaded suite looks like.
 */
export function judge(exitCode: number, result: SuiteResult | undefined, whereToLook: string): SuiteOutcome {
  if (!result) return failed(`the run ended with exit code ${exitCode} but no result (see ${whereToLook})`);
  if (result.passed + result.failed === 0) return failed('0 tests ran', result);
  if (exitCode !== 0 && result.failed === 0) return failed(`the suite exited with code ${exitCode}`, result);
  return { ...result, ok: true };
}

/** Prints the last lines of a log file, framed with its name. */
function printTail(file: string, print: (line: string) => void, lines = 25): void {
  if (!existsSync(file)) return;
  const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
  print(`--- last ${tail.length} lines of ${path.relative(repoRoot, file)} ---`);
  tail.forEach((line) => print(line));
  print('---');
}

export interface SuiteOptions {
  /** Seconds before the run counts as hung (default 600, env SEGLENS_HARNESS_TIMEOUT): a hung host, not a slow loaded machine. */
  timeoutSeconds?: number;
  /** Folder opened in the workbench (default test/fixtures, env SEGLENS_TEST_WORKSPACE). */
  workspace?: string;
  /** Receives every line the suite logs (default: stdout). */
  print?: (line: string) => void;
  /** Name of the run; its files are test-output/harness/<name>.log etc. (default 'integration'). */
  name?: string;
  /**
   * Builds the suite and returns its entry (a module exporting run()) and test count; default: the integration
   * suite of test/integration.
   */
  build?: () => Promise<{ entry: string; tests: number }>;
  /** Extension loaded as under development (default: the repository). */
  extensionDevelopmentPath?: string;
  /** VSIX files installed into the run's fresh extensions folder before the server starts. */
  installExtensions?: string[];
}

export async function runIntegrationSuite(options: SuiteOptions = {}): Promise<SuiteOutcome> {
  const name = options.name ?? 'integration';
  ensureInstalled();
  // Everything a run writes while it runs is its own: several runs (developers, helpers, CI) may share one tree.
  const bundleDir = path.join(repoRoot, 'out', 'runs', `${name}-${process.pid}-${Date.now()}`);
  const runDir = mkdtempSync(path.join(tmpdir(), 'seglens-run-'));
  const harnessOut = path.join(outputDir, 'harness');
  const logFile = path.join(runDir, `${name}.log`);
  try {
    const built = options.build
      ? await options.build()
      : await buildSuite(bundleDir).then((tests) => ({
          entry: path.join(bundleDir, 'index.js'),
          tests: tests.length,
        }));
    if (built.tests === 0) return failed('no test/integration/*.test.ts files');
    mkdirSync(harnessOut, { recursive: true });
    mkdirSync(screenshotDir, { recursive: true });
    writeFileSync(logFile, '');
    return await runInHost(options, name, built.entry, logFile, path.join(runDir, `${name}-result.json`));
  } finally {
    // The last run's log stays where developers look for it.
    if (existsSync(logFile)) copyFileSync(logFile, path.join(harnessOut, `${name}.log`));
    rmSync(runDir, { recursive: true, force: true });
    rmSync(bundleDir, { recursive: true, force: true });
  }
}

async function runInHost(
  options: SuiteOptions,
  name: string,
  entry: string,
  logFile: string,
  resultFile: string,
): Promise<SuiteOutcome> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const timeoutSeconds = options.timeoutSeconds ?? Number(process.env.SEGLENS_HARNESS_TIMEOUT || 600);
  const harnessOut = path.join(outputDir, 'harness');
  const workbenchLog = path.join(harnessOut, `${name}-workbench.log`);
  rmSync(workbenchLog, { force: true });
  const server = await startServer({
    installExtensions: options.installExtensions,
    // Installed (linked), not a second extensionDevelopmentPath: the server loads only one of those.
    linkExtensions: options.extensionDevelopmentPath ? [] : [...TEST_EXTENSIONS],
    logFile: path.join(harnessOut, `${name}-server.log`),
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
      folder: testWorkspace(options.workspace),
      extensionDevelopmentPath: options.extensionDevelopmentPath ?? repoRoot,
      extensionTestsPath: entry,
    });
    workbench = await openWorkbench(url, (type, args) => {
      const text = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      appendFileSync(workbenchLog, `[${type}] ${text}\n`);
    });
    const page = workbench.page;
    page.on('pageerror', (err) => appendFileSync(workbenchLog, `[pageerror] ${err.message}\n`));

    // Screenshots are taken one at a time, in the order the suite asked for them.
    let screenshots = Promise.resolve();
    const handle = (line: string): void => {
      if (!line.startsWith(SCREENSHOT_MARKER)) {
        print(line);
        return;
      }
      const shot = line.slice(SCREENSHOT_MARKER.length).trim();
      screenshots = screenshots.then(async () => {
        const file = screenshotPath(shot);
        try {
          await page.screenshot({ path: file });
          print(`  [screenshot] ${path.relative(repoRoot, file)}`);
        } catch (err) {
          print(`  [screenshot] ${shot} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        // The suite waits for this file before it goes on.
        writeFileSync(`${logFile}.screenshot-${shot}.done`, '');
      });
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
      await page.screenshot({ path: screenshotPath(`${name}-final`) });
    } catch {
      // The page may be gone after a crash; the run's verdict does not depend on this picture.
    }

    const result = parseResult(resultFile);
    const verdict =
      outcome === 'timeout'
        ? failed(`the suite did not finish within ${timeoutSeconds} s`, result)
        : outcome === 'server-exit'
          ? failed('code-server exited before the suite finished', result)
          : judge(outcome, result, path.relative(repoRoot, workbenchLog));
    // On CI only the terminal output survives: show what the workbench and the server said last.
    if (!verdict.ok) {
      for (const file of [workbenchLog, path.join(harnessOut, `${name}-server.log`)]) printTail(file, print);
    }
    return verdict;
  } finally {
    if (timer) clearTimeout(timer);
    await workbench?.browser.close().catch(() => undefined);
    await server.stop();
  }
}
