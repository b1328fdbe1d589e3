// The harness launcher's command line (docs/testing.md):
//   tsx tools/harness/launch.ts [--suite]            integration suite in the code-server extension host
//   tsx tools/harness/launch.ts --ui [files...]      end-to-end UI tests (test/e2e, harness self-tests) in node
//   tsx tools/harness/launch.ts --serve [folder]     serve the workbench with the extension loaded until Ctrl-C
// Each exits non-zero on any failure, on "0 tests ran" and on a timeout.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { workbenchUrl } from './browser';
import { ensureInstalled, repoRoot, startOptions, startServer } from './server';
import { findDesktopVSCode, runWithElectron } from './electron';
import { runIntegrationSuite } from './suite';

function e2eFiles(): string[] {
  const files: string[] = [];
  for (const dir of [path.join('test', 'e2e'), path.join('test', 'harness-selftest')]) {
    if (!existsSync(path.join(repoRoot, dir))) continue;
    for (const name of readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })) {
      if (name.endsWith('.test.ts')) files.push(path.join(dir, name));
    }
  }
  return files.sort();
}

async function suite(): Promise<number> {
  // SEGLENS_TEST_LAUNCHER=electron (the release workflow on hosted runners) runs the same suite in desktop VS Code.
  let outcome;
  if (process.env.SEGLENS_TEST_LAUNCHER === 'electron') {
    const exe = await findDesktopVSCode();
    if (!exe) {
      console.log('SEGLENS_TEST_LAUNCHER=electron but no VS Code build could be downloaded');
      return 1;
    }
    outcome = await runWithElectron(exe);
  } else {
    outcome = await runIntegrationSuite();
  }
  const problem = outcome.ok ? '' : ` — ${outcome.problem}`;
  console.log(`${outcome.passed} passed, ${outcome.failed} failed${problem}`);
  return outcome.ok && outcome.failed === 0 ? 0 : 1;
}

function ui(files: string[]): number {
  ensureInstalled();
  const selected = files.length ? files : e2eFiles();
  if (selected.length === 0) {
    console.log('no end-to-end tests (test/e2e/**/*.test.ts)');
    return 1;
  }
  const run = spawnSync(
    'npx',
    [
      'mocha',
      '--no-config',
      '--require',
      'tsx/cjs',
      '--timeout',
      '180000',
      '--reporter',
      'spec',
      ...selected,
    ],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  return run.status ?? 1;
}

async function serve(folder: string): Promise<number> {
  ensureInstalled();
  const port = process.env.SEGLENS_PORT ? Number(process.env.SEGLENS_PORT) : undefined;
  const server = await startServer({
    logFile: path.join(repoRoot, 'test-output', 'harness', 'serve.log'),
    port,
    // Loaded as an installed extension (a link to this repository), not through the URL payload: the payload needs
    // the smoke-test driver, which also hides every notification toast.
    ...startOptions(),
  });
  const url = workbenchUrl({ origin: server.origin, folder });
  console.log('\nSegLens is loaded in the browser VS Code of the test harness (bound to 127.0.0.1 only).');
  console.log(`Open this URL in a browser on this machine:\n\n  ${url}\n`);
  console.log('Press Ctrl-C to stop.');
  return new Promise((resolve) => {
    const onExit = (code: number | null): void => {
      console.log(`code-server exited unexpectedly (${code ?? 'signal'}); see test-output/harness/serve.log`);
      void server.stop().then(() => resolve(1));
    };
    const stop = (): void => {
      server.process.off('exit', onExit);
      console.log('stopping…');
      void server.stop().then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    server.process.once('exit', onExit);
  });
}

async function main(): Promise<number> {
  const [mode, ...rest] = process.argv.slice(2);
  switch (mode ?? '--suite') {
    case '--suite':
      return suite();
    case '--ui':
      return ui(rest);
    case '--serve':
      return serve(path.resolve(rest[0] ?? path.join(repoRoot, 'demo')));
    default:
      console.error(`unknown mode ${mode}; use --suite, --ui [files...] or --serve [folder]`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
