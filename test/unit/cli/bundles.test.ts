// The built CLI (esbuild.mjs: dist/cli.js is the command table, each command its own dist/cli-<name>.js) keeps the
// CLI contract of the sources: bad input and bad usage exit 2, not 3 ("internal error"), which needs one InputError
// and one UsageError class shared by every bundle; every command loads. Runs on the built dist/ (`npm run build`);
// skipped when there is none.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../support/repo';
import { useTempDir } from '../../support/tempDir';

const CLI = join(REPO, 'dist', 'cli.js');

function seglens(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: the built bundles keep the exit codes', function () {
  this.timeout(60_000);
  const tmp = useTempDir('seglens-bundles');

  before(function () {
    if (!existsSync(join(REPO, 'dist', 'cli-errors.js'))) this.skip();
  });

  it('bad input in a command bundle exits 2 naming the file, not 3', () => {
    writeFileSync(join(tmp.path, 'bad.npy'), 'not an array');
    const decode = seglens(['decode', '--input', 'bad.npy', '--decoder', 'threshold'], tmp.path);
    assert.equal(decode.status, 2, decode.stderr);
    assert.match(decode.stderr, /^seglens decode: .*bad\.npy: /);
    assert.doesNotMatch(decode.stderr, /internal error/);
    const metrics = seglens(['metrics', '--gt', 'nope.png', '--pred', 'nope.png'], tmp.path);
    assert.equal(metrics.status, 2, metrics.stderr);
    assert.match(metrics.stderr, /nope\.png/);
  });

  it('bad usage in a command bundle exits 2 with the usage', () => {
    const r = seglens(['lint', '--format', 'xml', 'a.py'], tmp.path);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--format must be one of text, json, sarif[\s\S]*Usage: seglens lint/);
  });

  it('every command of the table loads from its bundle (--help)', () => {
    const help = seglens(['--help'], tmp.path);
    assert.equal(help.status, 0, help.stderr);
    const names = [...help.stdout.matchAll(/^ {2}(\w+) {2,}/gm)].map((m) => m[1]);
    assert.ok(names.includes('lint') && names.includes('decode'), help.stdout);
    for (const name of names) {
      const r = seglens([name, '--help'], tmp.path);
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: seglens ${name}`));
    }
  });
});
