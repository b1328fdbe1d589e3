// The counting reporter decides every number of the closing `N passed, N failed` line, so it is checked against a
// suite whose outcomes are known by construction (fixtures/mixedSuite.fixture.ts), run by the real mocha CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../tools/harness/server';
import type { SuiteResult } from '../integration/support/reporter';

describe('harness: counting reporter', function () {
  this.timeout(60_000);

  it('counts passes, failures (a failed hook included) and pending tests, and writes them as JSON', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seglens-reporter-'));
    try {
      const resultFile = path.join(dir, 'result.json');
      const env = { ...process.env };
      delete env.SEGLENS_TEST_LOG;
      const run = spawnSync(
        'npx',
        [
          'mocha',
          '--no-config',
          '--require',
          'tsx/cjs',
          '--reporter',
          path.join('test', 'integration', 'support', 'reporter.ts'),
          '--reporter-option',
          `result=${resultFile}`,
          path.join('test', 'harness-selftest', 'fixtures', 'mixedSuite.fixture.ts'),
        ],
        { cwd: repoRoot, encoding: 'utf8', env },
      );
      // mocha exits with the number of failures.
      assert.equal(run.status, 2, run.stderr);
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult;
      assert.deepEqual(
        { passed: result.passed, failed: result.failed, pending: result.pending },
        { passed: 2, failed: 2, pending: 1 },
      );
      assert.deepEqual(
        result.failures.map((f) => f.title),
        ['mixed fails', 'mixed broken hook "before all" hook for "never runs"'],
      );
      assert.match(run.stdout, /✓ passes once/);
      assert.match(run.stdout, /- is pending \(pending\)/);
      assert.match(run.stdout, /hook broke/);
      assert.match(run.stdout, /^SEGLENS_RESULT \{/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
