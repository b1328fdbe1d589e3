import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { REPO } from '../../support/repo';
import { useTempDir } from '../../support/tempDir';

async function run(args: string[], cwd = REPO): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd });
  return { code, out, err };
}

describe('cli: exit codes and the pipe', () => {
  const tmp = useTempDir('seglens-exit');

  it('bad input is 2 with the file named; --debug is accepted by every command', async () => {
    const r = await run(['metrics', '--gt', 'nope.png', '--pred', 'nope.png', '--debug']);
    assert.equal(r.code, 2);
    assert.match(r.err, /nope\.png/);
    assert.doesNotMatch(r.err, /unknown (flag|option)/i);
  });

  it('an internal error is 3, short without --debug and with the stack with it', async () => {
    // An io whose stdout throws stands for any bug of ours: the error is neither a UsageError nor an InputError.
    const io = {
      stdout: (): void => {
        throw new TypeError('stdout exploded');
      },
      stderr: (t: string): void => {
        err += t;
      },
      cwd: REPO,
    };
    let err = '';
    writeFileSync(join(tmp.path, 'x.py'), 'x = 1\n');
    const code = await main(['lint', join(tmp.path, 'x.py')], io);
    assert.equal(code, 3);
    assert.match(
      err,
      /^seglens lint: internal error: stdout exploded \(run again with --debug for details\)\n$/,
    );
    err = '';
    assert.equal(await main(['lint', join(tmp.path, 'x.py'), '--debug'], io), 3);
    assert.match(err, /internal error: stdout exploded\nTypeError: stdout exploded\n\s+at /);
  });

  it('a reader that closes the pipe early ends the output cleanly (no EPIPE trace, lint exit code kept)', function () {
    this.timeout(60000);
    const cli = join(REPO, 'src/cli/main.ts');
    const tsx = join(REPO, 'node_modules/.bin/tsx');
    // 400 copies of the demo's axis bug: ~800 findings, far more JSON than a pipe buffer holds, so the CLI is still
    // writing when `head` closes the pipe.
    const body = Array.from(
      { length: 400 },
      (_, i) =>
        `def dice${i}(y_true, y_pred, smooth=1):\n` +
        `    intersection = K.sum(y_true * y_pred, axis=-1)\n` +
        `    return (2.0 * intersection + smooth) / (K.sum(y_true, -1) + K.sum(y_pred, -1) + smooth)\n\n`,
    );
    writeFileSync(join(tmp.path, 'many.py'), 'from tensorflow.keras import backend as K\n' + body.join(''));
    const r = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${tsx}" "${cli}" lint many.py --json | head -c 100`],
      {
        cwd: tmp.path,
        encoding: 'utf8',
      },
    );
    assert.equal(r.stdout.length, 100);
    assert.doesNotMatch(r.stderr, /EPIPE|Error:/);
    assert.ok(r.status === 1 || r.status === 0, `exit ${r.status}: ${r.stderr}`);
  });
});
