// The second launcher of the one suite: @vscode/test-electron, used where a desktop VS Code build can be downloaded
// (and shown). Here, with no route to the update service, the download fails in well under a second, which makes
// the attempt itself the cheap detection.
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSuite, suiteEntry } from './buildSuite';
import { repoRoot } from './server';
import { failed, judge, parseResult, testWorkspace, type SuiteOutcome } from './suite';

/** Downloads (or finds cached in .vscode-test/) a desktop VS Code; undefined when it cannot be had or shown. */
export async function findDesktopVSCode(): Promise<string | undefined> {
  // Electron needs a display; a headless Linux box is better served by the headless harness.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return undefined;
  try {
    return await downloadAndUnzipVSCode({
      version: process.env.SEGLENS_VSCODE_VERSION || 'stable',
      timeout: 15_000,
    });
  } catch {
    return undefined;
  }
}

export async function runWithElectron(vscodeExecutablePath: string): Promise<SuiteOutcome> {
  const tests = await buildSuite();
  if (tests.length === 0) return failed('no test/integration/*.test.ts files');
  const dir = mkdtempSync(path.join(tmpdir(), 'seglens-electron-'));
  const resultFile = path.join(dir, 'result.json');
  let exitCode: number;
  try {
    exitCode = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suiteEntry,
      launchArgs: [
        testWorkspace(),
        '--disable-extensions',
        '--disable-workspace-trust',
        '--disable-updates',
        '--skip-welcome',
        '--skip-release-notes',
      ],
      // No SEGLENS_TEST_LOG: the desktop extension host's stdout reaches this terminal.
      extensionTestsEnv: { SEGLENS_TEST_RESULT: resultFile, SEGLENS_REPO_ROOT: repoRoot },
    });
  } catch (err) {
    // runTests rejects on a non-zero exit; the result file still says what ran.
    exitCode = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
  }
  const outcome = judge(exitCode, parseResult(resultFile), 'the VS Code output above');
  rmSync(dir, { recursive: true, force: true });
  return outcome;
}
