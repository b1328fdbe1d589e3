// `npm test`: build, unit tests (plain node), integration tests in a real VS Code extension host (desktop VS Code
// through @vscode/test-electron when one can be downloaded and shown, the offline code-server harness otherwise),
// then the end-to-end UI tests. Ends with ONE closing line `N passed, N failed` summed over all suites, alone on its
// line, and a non-zero exit on any failure — including a suite that could not run or ran no tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findDesktopVSCode, runWithElectron } from './electron';
import { packageStage } from './package';
import { repoRoot } from './server';
import { failed, judge, parseResult, runIntegrationSuite, type SuiteOutcome } from './suite';

const reporter = path.join('test', 'integration', 'support', 'reporter.ts');

/** Runs mocha in plain node with the counting reporter; `args` select the files (and config). */
function runMocha(name: string, args: string[]): SuiteOutcome {
  // A private result file: several `npm test` runs may share one tree.
  const dir = mkdtempSync(path.join(tmpdir(), `seglens-${name}-`));
  const resultFile = path.join(dir, 'result.json');
  const env = { ...process.env };
  // The reporter writes to this file when set; plain-node suites print to the terminal instead.
  delete env.SEGLENS_TEST_LOG;
  const run = spawnSync(
    'npx',
    ['mocha', ...args, '--reporter', reporter, '--reporter-option', `result=${resultFile}`],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env,
    },
  );
  const outcome = judge(run.status ?? 1, parseResult(resultFile), 'the mocha output above');
  rmSync(dir, { recursive: true, force: true });
  return outcome;
}

/** Test files under a folder (recursively) whose names end in .test.ts. */
function testFiles(dir: string): string[] {
  const abs = path.join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => path.join(dir, name))
    .sort();
}

async function integration(): Promise<SuiteOutcome> {
  const choice = process.env.SEGLENS_TEST_LAUNCHER || 'auto';
  if (choice === 'electron' || choice === 'auto') {
    const exe = await findDesktopVSCode();
    if (exe) {
      console.log(`integration: desktop VS Code via @vscode/test-electron (${exe})`);
      return runWithElectron(exe);
    }
    if (choice === 'electron')
      return failed('SEGLENS_TEST_LAUNCHER=electron but no VS Code build could be downloaded');
  }
  console.log('integration: offline code-server harness (docs/testing.md)');
  return runIntegrationSuite();
}

async function main(): Promise<number> {
  const results: [string, SuiteOutcome, number][] = [];
  // Each stage's wall time goes into the summary, for keeping CI within its budget.
  let stageStart = Date.now();
  const push = (name: string, outcome: SuiteOutcome): void => {
    results.push([name, outcome, (Date.now() - stageStart) / 1000]);
    stageStart = Date.now();
  };
  const section = (title: string): void => console.log(`\n=== ${title} ===`);

  section('build');
  stageStart = Date.now();
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) {
    push('build', failed(`npm run build exited with ${build.status ?? build.signal}`));
  } else {
    stageStart = Date.now();
    section('unit tests (node)');
    push('unit', runMocha('unit', []));

    section('integration tests (VS Code extension host)');
    try {
      push('integration', await integration());
    } catch (err) {
      push('integration', failed(err instanceof Error ? err.message : String(err)));
    }

    const e2e = [...testFiles(path.join('test', 'e2e')), ...testFiles(path.join('test', 'harness-selftest'))];
    if (e2e.length > 0 && process.platform !== 'linux') {
      // The UI harness is code-server + Debian's Chromium; a desktop Mac/Windows run stops at the integration suite.
      console.log('\nend-to-end UI tests skipped: the workbench harness needs Linux');
    } else if (e2e.length > 0) {
      section('end-to-end UI tests (workbench in Chromium)');
      // --no-config: .mocharc.json's unit-test spec would otherwise be added to these files.
      push('e2e', runMocha('e2e', ['--no-config', '--require', 'tsx/cjs', '--timeout', '180000', ...e2e]));
    }

    if (process.platform === 'linux' && process.env.SEGLENS_TEST_PACKAGE !== '0') {
      // Last, because it rebuilds dist/ as a release does (esbuild --production).
      section('packaged VSIX (built as a release, installed into a fresh VS Code)');
      try {
        push('package', await packageStage());
      } catch (err) {
        push('package', failed(err instanceof Error ? err.message : String(err)));
      }
    }
  }

  console.log('');
  let passed = 0;
  let failedCount = 0;
  for (const [name, outcome, seconds] of results) {
    // A suite that could not run counts as one failure, so the closing line can never read "0 failed" by accident.
    const suiteFailed = outcome.failed + (outcome.ok ? 0 : outcome.failed === 0 ? 1 : 0);
    passed += outcome.passed;
    failedCount += suiteFailed;
    const note = outcome.ok ? '' : ` — ${outcome.problem}`;
    console.log(
      `${name}: ${outcome.passed} passed, ${outcome.failed} failed, ${outcome.pending} pending (${seconds.toFixed(0)} s)${note}`,
    );
  }
  console.log(`${passed} passed, ${failedCount} failed`);
  return failedCount === 0 && results.every(([, outcome]) => outcome.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
