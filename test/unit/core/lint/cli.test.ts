import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FILE_BYTES, type JsonFinding } from '../../../../src/cli/commands/lint';
import { main } from '../../../../src/cli/main';
import { parseExpectations } from './helpers';
import { REPO } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const ROOT = REPO;
const FIX = join(ROOT, 'test/fixtures/lint');
/** The LL101 sites marked by hand in the fixture (`# expect:` comments), independent of the linter. */
const LL101_SITES = parseExpectations(readFileSync(join(FIX, 'LL101_bad.py'), 'utf8')).filter(
  (e) => e.rule === 'LL101',
).length;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: ROOT });
  return { code, out, err };
}

describe('seglens lint', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('seglens-lint').path;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints 1-based JSON findings and exits 1 on errors', async () => {
    const r = await run(['lint', 'test/fixtures/lint/LL101_bad.py', '--format', 'json']);
    assert.equal(r.code, 1);
    const list = JSON.parse(r.out) as JsonFinding[];
    assert.equal(list.filter((f) => f.rule === 'LL101').length, LL101_SITES);
    assert.equal(LL101_SITES, 11);
    // Line 6 of the fixture: `    intersection = K.sum(y_true * y_pred, axis=-1)`; K.sum starts at column 20.
    assert.deepEqual(list[0], {
      file: 'test/fixtures/lint/LL101_bad.py',
      line: 6,
      column: 20,
      endLine: 6,
      endColumn: 20 + 'K.sum(y_true * y_pred, axis=-1)'.length,
      rule: 'LL101',
      severity: 'error',
      message: list[0].message,
    });
    assert.deepEqual(Object.keys(list[0]), [
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'rule',
      'severity',
      'message',
    ]);
    assert.equal((await run(['lint', 'test/fixtures/lint/LL101_bad.py', '--json'])).out, r.out);
  });

  it('exits 0 on a clean file and prints a text summary; lints directories recursively', async () => {
    const good = await run(['lint', join(FIX, 'LL101_good.py')]);
    assert.equal(good.code, 0);
    assert.match(good.out, /^0 findings \(0 errors, 0 warnings, 0 info\) in 1 file\n$/);
    const all = await run(['lint', FIX]);
    assert.equal(all.code, 1);
    assert.match(all.out, /LL101_bad\.py:6:20: error LL101 /);
    assert.match(all.out, /in \d+ files\n$/);
  });

  it('treats the files of one run as modules of each other (LL202 across files)', async () => {
    const both = await run(['lint', join(FIX, 'crossfile'), '--json']);
    const list = JSON.parse(both.out) as JsonFinding[];
    assert.deepEqual(
      list.map((f) => `${f.file.split(/[\\/]/).pop()}:${f.line}:${f.column} ${f.rule}`),
      ['train.py:10:12 LL202'],
    );
    assert.equal(both.code, 1);
    // Linted alone, train.py still sees its sibling heads.py as import context (heads.py itself is not linted).
    const alone = await run(['lint', join(FIX, 'crossfile', 'train.py'), '--json']);
    assert.deepEqual(
      (JSON.parse(alone.out) as JsonFinding[]).map(
        (f) => `${f.file.split(/[\\/]/).pop()}:${f.line} ${f.rule}`,
      ),
      ['train.py:10 LL202'],
    );
  });

  it('a file linted alone sees the project modules it imports from other folders', async () => {
    const file = join(FIX, 'realistic', 'project', 'losses.py');
    const lines = readFileSync(file, 'utf8').split('\n');
    // Expected lines found by hand: the calls of the helpers of utils/metrics.py marked in the corpus file.
    const at = (code: string): number => lines.findIndex((l) => l.includes(code)) + 1;
    const r = await run(['lint', file, '--json']);
    assert.deepEqual(
      (JSON.parse(r.out) as JsonFinding[]).map((f) => `${f.file.split(/[\\/]/).pop()}:${f.line} ${f.rule}`),
      [
        `losses.py:${at('- soft_dice(y_true, y_pred)')} LL101`,
        `losses.py:${at('- dice_from_logits(probs, y_true)')} LL202`,
      ],
    );
    assert.equal(r.code, 1);
  });

  it('writes SARIF 2.1.0 with rule metadata and regions', async () => {
    const r = await run(['lint', join(FIX, 'LL304_bad.py'), '--format=sarif']);
    const sarif = JSON.parse(r.out);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.ok(run0.tool.driver.rules.some((x: { id: string }) => x.id === 'LL304'));
    assert.equal(run0.results.length, 2);
    assert.equal(run0.results[0].ruleId, 'LL304');
    assert.equal(run0.results[0].locations[0].physicalLocation.region.startLine, 5);
  });

  it('applies --layout and rejects bad usage with exit 2', async () => {
    const r = await run(['lint', join(FIX, 'LL101_bad.py'), '--layout', 'NCHW', '--json']);
    const list = JSON.parse(r.out) as JsonFinding[];
    assert.ok(list.every((f) => f.rule !== 'LL101'));
    assert.equal((await run(['lint'])).code, 2);
    assert.equal((await run(['lint', FIX, '--format', 'xml'])).code, 2);
    assert.equal((await run(['lint', FIX, '--layout', 'HWC'])).code, 2);
  });

  it('reports missing, non-UTF-8 and oversized files on stderr with exit 2, and still lints the rest', async () => {
    const latin1 = join(dir, 'latin1.py');
    writeFileSync(latin1, Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xe9, 0x27, 0x0a]));
    const big = join(dir, 'big.py');
    writeFileSync(big, '#'.repeat(MAX_FILE_BYTES + 1));
    const r = await run(['lint', latin1, big, join(dir, 'missing.py'), join(FIX, 'LL101_bad.py'), '--json']);
    assert.equal(r.code, 2);
    assert.match(r.err, /latin1\.py: skipped, not valid UTF-8/);
    assert.match(r.err, /big\.py: skipped, \d+ bytes is over/);
    assert.match(r.err, /missing\.py: cannot read/);
    assert.equal((JSON.parse(r.out) as JsonFinding[]).filter((f) => f.rule === 'LL101').length, LL101_SITES);
  });
});
