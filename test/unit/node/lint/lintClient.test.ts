// The worker client with real worker threads: the lint worker bundled from its sources (as the build does) and two
// stand-in workers that hang or die, to check that every request gets an answer and a fresh worker takes over.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { WorkerLintClient } from '../../../../src/node/lint/lintClient';
import { kerasDemo, REPO } from '../../vscode/diagnostics/helpers';
import { makeTempDir } from '../../../support/tempDir';

describe('host/diagnostics worker client', function () {
  this.timeout(20_000);
  let dir: string;
  let script: string;
  before(async () => {
    dir = makeTempDir('seglens-lintclient').path;
    script = join(dir, 'lintWorker.js');
    await esbuild.build({
      entryPoints: [join(REPO, 'src', 'node', 'lint', 'lintWorker.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'error',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lints in the worker, then incrementally', async () => {
    const problems: string[] = [];
    // The parser is read from dist/ when the build copied it there, else from node_modules.
    const client = new WorkerLintClient(script, REPO, (p) => problems.push(p));
    try {
      const text = kerasDemo();
      const first = await client.lint('k', text, {}, undefined, true);
      assert.deepEqual(
        first.findings.map((f) => [f.rule, f.range.start.line, f.range.start.character]),
        [
          ['LL101', 22, 19],
          ['LL101', 23, 44],
          ['LL101', 23, 64],
        ],
      );
      const second = await client.lint(
        'k',
        '\n' + text,
        {},
        [{ rangeOffset: 0, rangeLength: 0, text: '\n' }],
        true,
      );
      assert.equal(second.incremental, true);
      assert.deepEqual(
        second.findings.map((f) => f.range.start.line),
        [23, 24, 24],
      );
    } finally {
      client.dispose();
    }
    assert.deepEqual(problems, []);
  });

  it('a hanging worker is stopped after the timeout and the next request gets a fresh one', async () => {
    const hang = join(dir, 'hang.js');
    // Speaks the worker RPC; answers only requests whose text is "ok"; anything else hangs forever.
    writeFileSync(
      hang,
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (m) => { if (m.input.text === 'ok') parentPort.postMessage({ id: m.id, ok: true,
         value: { findings: [], hasSyntaxErrors: false, ms: 0, incremental: false } }); });`,
    );
    const problems: string[] = [];
    const client = new WorkerLintClient(hang, REPO, (p) => problems.push(p), 300);
    try {
      await assert.rejects(client.lint('a', 'hang', {}, undefined, false), /longer than 0.3 s/);
      const ok = await client.lint('a', 'ok', {}, undefined, false);
      assert.deepEqual(ok.findings, []);
    } finally {
      client.dispose();
    }
    assert.equal(problems.length, 1);
  });

  it('a worker that dies fails its pending requests with the exit code, and is replaced', async () => {
    const die = join(dir, 'die.js');
    writeFileSync(
      die,
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (m) => { if (m.input.text === 'die') process.exit(3);
         parentPort.postMessage({ id: m.id, ok: false, error: { name: 'Error', message: 'no parser' } }); });`,
    );
    const client = new WorkerLintClient(die, REPO, () => undefined);
    try {
      const a = client.lint('a', 'die', {}, undefined, false);
      const b = client.lint('b', 'x', {}, undefined, false);
      await assert.rejects(a, /exited \(code 3\)/);
      await assert.rejects(b, /exited \(code 3\)/);
      await assert.rejects(client.lint('c', 'x', {}, undefined, false), /no parser/);
    } finally {
      client.dispose();
    }
  });
});
