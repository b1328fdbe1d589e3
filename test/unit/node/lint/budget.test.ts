// The lint worker's budgets: a worker that outgrows its heap answers the request with one LL000 finding (and the
// next request gets a fresh worker); the worker side applies its default time budget to every lint.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerLintClient } from '../../../../src/node/lint/lintClient';
import { LintEngine } from '../../../../src/node/lint/lintEngine';
import { longForward } from '../../core/lint/generated';
import { REPO, wasmBytes } from '../../vscode/diagnostics/helpers';
import { makeTempDir } from '../../../support/tempDir';

describe('node/lint worker budgets', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => (dir = makeTempDir('seglens-lintbudget').path));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a worker out of memory answers with "too large or complex to analyse", then a fresh worker serves', async () => {
    const hog = join(dir, 'hog.js');
    // Speaks the worker RPC; "grow" allocates until the heap limit ends the worker, anything else is answered.
    writeFileSync(
      hog,
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (m) => {
         if (m.input.text === 'grow') { const keep = []; for (;;) keep.push(new Array(1e5).fill(keep.length)); }
         parentPort.postMessage({ id: m.id, ok: true,
           value: { findings: [], hasSyntaxErrors: false, ms: 0, incremental: false } }); });`,
    );
    const problems: string[] = [];
    const client = new WorkerLintClient(hog, REPO, (p) => problems.push(p), 20_000, 32);
    try {
      const r = await client.lint('a', 'grow', {}, undefined, false);
      assert.equal(r.findings.length, 1);
      assert.equal(r.findings[0].rule, 'LL000');
      assert.match(
        r.findings[0].message,
        /too large or complex to analyse within the memory budget \(32 MB; stopped after \d+ ms\)/,
      );
      const ok = await client.lint('a', 'ok', {}, undefined, false);
      assert.deepEqual(ok.findings, []);
    } finally {
      client.dispose();
    }
    assert.deepEqual(problems, []);
  });

  it('the worker side lints with a time budget (an explicit one wins over the default)', async () => {
    const engine = new LintEngine(async () => wasmBytes());
    try {
      const r = await engine.lint({
        key: 'a',
        text: longForward(3000),
        options: { timeBudgetMs: 0 },
        keep: false,
      });
      assert.deepEqual(
        r.findings.map((f) => f.rule),
        ['LL000'],
      );
      assert.match(r.findings[0].message, /budget 0 ms/);
      const full = await engine.lint({ key: 'b', text: longForward(200), options: {}, keep: false });
      assert.ok(full.findings.every((f) => f.rule !== 'LL000'));
    } finally {
      engine.dispose();
    }
  });
});
