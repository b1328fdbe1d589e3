// `seglens lint` start-up (issue 13): a Python file with nothing but whitespace is answered without the parser, and
// what is loaded for it stays out of the lint engine. The findings of other files of the same run are unchanged.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './cliHelper';
import { REPO } from '../../support/repo';
import { useTempDir } from '../../support/tempDir';

const AXIS_BUG =
  'from tensorflow.keras import backend as K\n' +
  'def dice(y_true, y_pred, smooth=1):\n' +
  '    intersection = K.sum(y_true * y_pred, axis=-1)\n' +
  '    return (2.0 * intersection + smooth) / (K.sum(y_true, -1) + K.sum(y_pred, -1) + smooth)\n';

describe('cli: lint start-up on empty files', () => {
  const tmp = useTempDir('seglens-lint-start');

  it('empty and whitespace-only files have no findings, in every format', async () => {
    writeFileSync(join(tmp.path, 'empty.py'), '');
    writeFileSync(join(tmp.path, 'blank.py'), ' \n\t\n\f\r\n\n   ');
    const text = await cli(['lint', 'empty.py', 'blank.py'], tmp.path);
    assert.deepEqual(
      [text.code, text.stdout, text.stderr],
      [0, '0 findings (0 errors, 0 warnings, 0 info) in 2 files\n', ''],
    );
    const json = await cli(['lint', '--json', 'empty.py', 'blank.py'], tmp.path);
    assert.deepEqual(JSON.parse(json.stdout), []);
    const sarif = await cli(['lint', '--format', 'sarif', 'blank.py'], tmp.path);
    const log = JSON.parse(sarif.stdout) as {
      runs: { results: unknown[]; tool: { driver: { rules: unknown[] } } }[];
    };
    assert.deepEqual(log.runs[0].results, []);
    // The rule list of the SARIF log still comes from the engine.
    assert.ok(log.runs[0].tool.driver.rules.length > 10);
  });

  it('a blank file next to a file with findings: the findings are the same as for that file alone', async () => {
    writeFileSync(join(tmp.path, 'loss.py'), AXIS_BUG);
    writeFileSync(join(tmp.path, 'blank.py'), '\n\n');
    const alone = await cli(['lint', '--json', 'loss.py'], tmp.path);
    const both = await cli(['lint', '--json', 'blank.py', 'loss.py'], tmp.path);
    assert.equal(alone.code, 1);
    assert.equal(both.code, 1);
    assert.ok((JSON.parse(alone.stdout) as unknown[]).length > 0);
    assert.deepEqual(JSON.parse(both.stdout), JSON.parse(alone.stdout));
  });

  it('linting only blank files never loads the lint engine (checked in a fresh process)', function () {
    this.timeout(60000);
    writeFileSync(join(tmp.path, 'blank.py'), '  \n');
    writeFileSync(join(tmp.path, 'loss.py'), AXIS_BUG);
    const probe = (file: string): string[] => {
      const script =
        `const { main } = require(${JSON.stringify(join(REPO, 'src/cli/main.ts'))});` +
        `const io = { stdout() {}, stderr() {}, cwd: ${JSON.stringify(tmp.path)} };` +
        `main(['lint', ${JSON.stringify(file)}], io).then(() => console.log(JSON.stringify(` +
        `Object.keys(require.cache).filter((k) => /[\\\\/]core[\\\\/]lint[\\\\/]/.test(k)))));`;
      const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: REPO, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]') as string[];
    };
    const engine = (files: string[]) => files.filter((f) => /parser\.ts$|linter\.ts$/.test(f));
    assert.deepEqual(engine(probe('blank.py')), []);
    // The same probe sees the engine when there is code to parse (so the check above can fail).
    assert.equal(engine(probe('loss.py')).length, 2);
  });
});
