import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { TARGETS } from '../../../tools/harness/targets';
import { repoPath } from '../../support/repo';

interface Step {
  run?: string;
  uses?: string;
  if?: string;
}
interface Workflow {
  jobs: { vsix: { strategy: { matrix: { include: { target: string; os: string }[] } }; steps: Step[] } };
}

describe('tools: the release workflow', () => {
  const wf = load(readFileSync(repoPath('.github/workflows/release.yml'), 'utf8')) as Workflow;
  const job = wf.jobs.vsix;
  const runs = job.steps.map((s) => s.run ?? '').filter(Boolean);

  it('builds every target of tools/harness/targets.ts, each on a runner of its own OS', () => {
    const include = job.strategy.matrix.include;
    assert.deepEqual(include.map((m) => m.target).sort(), TARGETS.map((t) => t.name).sort());
    for (const { target, os } of include) {
      const want = target.startsWith('win32')
        ? /^windows/
        : target.startsWith('darwin')
          ? /^macos/
          : /^ubuntu/;
      assert.match(os, want, `${target} runs on ${os}`);
      assert.equal(
        /arm/.test(os) || /^macos-1[45]$/.test(os),
        target.endsWith('arm64'),
        `${target} on ${os}: CPU`,
      );
    }
  });

  it('runs the unit and integration suites and packages its own target', () => {
    assert.ok(runs.includes('npm ci --no-audit --no-fund'));
    assert.ok(runs.includes('npm run test:unit'));
    assert.ok(runs.some((r) => /npm run test:integration$/.test(r)));
    assert.ok(runs.includes('npm run package -- --target ${{ matrix.target }}'));
    const scripts = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    for (const r of runs) {
      const m = /npm run ([\w:]+)/.exec(r);
      if (m) assert.ok(scripts[m[1]!], `package.json has the script "${m[1]}" the workflow runs`);
    }
  });
});
