// Plain-node checks of the launcher's verdicts and helpers: a run that went wrong must never read as green.
import assert from 'node:assert/strict';
import { mkdtempSync, appendFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { judge, parseResult } from '../../tools/harness/suite';
import { LogTail } from '../../tools/harness/logTail';
import { workbenchUrl } from '../../tools/harness/browser';

const ok = { passed: 3, failed: 0, pending: 1, failures: [] };

describe('harness: verdicts', () => {
  it('passes a clean exit with tests and no failures', () => {
    assert.deepEqual(judge(0, ok, 'x'), { ...ok, ok: true });
  });
  it('fails a clean exit without a result, with zero tests, or a bad exit code without failures', () => {
    assert.equal(judge(0, undefined, 'x').ok, false);
    const none = judge(0, { passed: 0, failed: 0, pending: 2, failures: [] }, 'x');
    assert.equal(none.ok, false);
    assert.equal(none.problem, '0 tests ran');
    const crashed = judge(1, ok, 'x');
    assert.equal(crashed.ok, false);
    assert.match(crashed.problem ?? '', /exited with code 1/);
  });
  it('keeps failures as counted failures (ok, but failed > 0)', () => {
    const red = judge(1, { passed: 1, failed: 2, pending: 0, failures: [] }, 'x');
    assert.equal(red.ok, true);
    assert.equal(red.failed, 2);
  });
  it('reads only well-formed result files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seglens-selftest-'));
    try {
      const file = path.join(dir, 'r.json');
      assert.equal(parseResult(file), undefined);
      writeFileSync(file, JSON.stringify({ passed: '3', failed: 0, pending: 0 }));
      assert.equal(parseResult(file), undefined);
      writeFileSync(file, JSON.stringify({ passed: 3, failed: 1, pending: 0 }));
      assert.deepEqual(parseResult(file), { passed: 3, failed: 1, pending: 0, failures: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('harness: log tail', () => {
  it('hands over complete lines in order and holds a partial line until it is finished', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seglens-selftest-'));
    try {
      const file = path.join(dir, 'log');
      const tail = new LogTail(file);
      assert.deepEqual(tail.poll(), []);
      appendFileSync(file, 'VS Code 1.139.1 (code-server)\nSCREENSHOT a\npart');
      assert.deepEqual(tail.poll(), ['VS Code 1.139.1 (code-server)', 'SCREENSHOT a']);
      appendFileSync(file, 'ial ✓\n');
      assert.deepEqual(tail.poll(), ['partial ✓']);
      appendFileSync(file, 'last');
      assert.deepEqual(tail.flush(), ['last']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('harness: workbench URL', () => {
  it('carries the folder and a payload of vscode-remote URIs on the page authority', () => {
    const url = new URL(
      workbenchUrl({
        origin: 'http://127.0.0.1:4711',
        folder: '/w/demo',
        extensionDevelopmentPath: '/w',
        extensionTestsPath: '/w/out/i/index.js',
      }),
    );
    assert.equal(url.searchParams.get('folder'), '/w/demo');
    assert.deepEqual(JSON.parse(url.searchParams.get('payload') ?? ''), [
      ['extensionDevelopmentPath', 'vscode-remote://127.0.0.1:4711/w'],
      ['extensionTestsPath', 'vscode-remote://127.0.0.1:4711/w/out/i/index.js'],
      ['skipWelcome', 'true'],
    ]);
  });
});
