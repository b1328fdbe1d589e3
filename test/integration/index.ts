// The suite entry VS Code loads in the extension host (extensionTestsPath): it runs every bundled
// `*.test.js` next to it with mocha and resolves when they all passed. Both launchers use it: the offline
// code-server harness (tools/harness) and @vscode/test-electron where a VS Code build can be downloaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import Mocha from 'mocha';
import SegLensReporter from './support/reporter';
import { log } from './support/log';

export async function run(): Promise<void> {
  // The first line proves the suite runs inside a real editor, and which one.
  log(`VS Code ${vscode.version} (${vscode.env.appName})`);

  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // A webview's first render can take well over 15 s on two busy cores (docs/testing.md).
    timeout: 60_000,
    slow: 5_000,
    grep: process.env.SEGLENS_TEST_GREP || undefined,
  });
  // The reporter keeps its own counts instead of extending mocha's Base (whose runtime import differs between the
  // plain-node and extension-host loaders), so mocha's typings need telling that it is a reporter.
  mocha.reporter(SegLensReporter as unknown as Mocha.ReporterConstructor, {
    result: process.env.SEGLENS_TEST_RESULT,
  });

  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (err) {
      reject(err);
    }
  });
  if (files.length === 0) throw new Error(`no *.test.js files next to ${__filename}`);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
