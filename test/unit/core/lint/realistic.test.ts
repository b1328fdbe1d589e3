// The realistic corpus (issue 15): ≥ 60 cases written after common public loss code, with expected findings per
// case; the score is printed and must not drop below the committed floor (test/fixtures/lint/realistic/score.json).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatScore, parseCases, scoreCorpus, withoutAnnotations } from '../../../../tools/lint/corpus';
import type { Finding, Linter } from '../../../../src/core/lint/types';
import { getLinter } from './helpers';
import { repoPath } from '../../../support/repo';

const DIR = repoPath('test/fixtures/lint/realistic');
const FLOOR = JSON.parse(readFileSync(repoPath('test/fixtures/lint/realistic/score.json'), 'utf8')) as {
  recall: number;
  precision: number;
  cleanCorrectCases: number;
};

function finding(rule: string, line: number, severity: Finding['severity'] = 'error'): Finding {
  const at = { line, character: 0 };
  return { rule, name: rule, severity, message: '', range: { start: at, end: at }, docs: '' };
}

describe('core/lint realistic corpus', () => {
  it('the scorer counts per case: matched, missed, unexpected, info hints ignored', () => {
    const text = [
      '# case: a — two expected',
      'x = 1  # expect: LL101, LL101',
      '# case: b — correct',
      'y = 2',
      '# case: c — one expected',
      'z = 3  # expect: LL304',
    ].join('\n');
    assert.deepEqual(
      parseCases('f.py', text).map((c) => [c.id, c.startLine, c.endLine, c.expected]),
      [
        ['a', 0, 1, ['LL101', 'LL101']],
        ['b', 2, 3, []],
        ['c', 4, 5, ['LL304']],
      ],
    );
    // A stand-in linter with fixed findings: one LL101 in a (one missed), an error and an info in b, LL304 in c.
    const fake: Linter = {
      lint: (t) => ({
        findings: t.includes('x = 1')
          ? [finding('LL101', 1), finding('LL203', 3), finding('LL502', 3, 'info'), finding('LL304', 5)]
          : [],
        tree: { text: t, hasSyntaxErrors: false, dispose() {} },
      }),
      dispose() {},
    };
    const dir = mkdtempSync(join(tmpdir(), 'seglens-corpus-'));
    try {
      writeFileSync(join(dir, 'f.py'), text);
      writeFileSync(join(dir, 'empty.py'), 'import torch\n');
      const score = scoreCorpus(fake, dir);
      assert.equal(score.files, 1);
      assert.equal(score.cases, 3);
      assert.equal(score.correctCases, 1);
      assert.equal(score.cleanCorrectCases, 0, 'the LL203 error in the correct case');
      assert.equal(score.expected, 3);
      assert.equal(score.matched, 2);
      assert.equal(score.unexpected, 1, 'the info finding is a hint, not a false alarm');
      assert.equal(score.recall, 2 / 3);
      assert.equal(score.precision, 2 / 3);
      assert.deepEqual(score.results[0].missed, ['LL101']);
      assert.match(formatScore(score), /f\.py a: missed LL101\n {2}f\.py b: unexpected LL203@4/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the linter never sees the corpus annotations (a case description is not a shape comment)', () => {
    const text =
      '# case: a — sums axis=-1 on NHWC masks\nx = 1  # expect: LL101\n# a real comment (B, C, H, W)\n';
    const blanked = withoutAnnotations(text);
    assert.equal(blanked.length, text.length);
    assert.equal(blanked.split('\n').length, text.split('\n').length);
    assert.ok(!/NHWC|LL101|case/.test(blanked));
    assert.match(blanked, /x = 1 {2}#\s+\n# a real comment \(B, C, H, W\)/);
  });

  it(`has ≥ 60 cases, ≥ 20 of them correct code, and scores at least the committed floor`, async () => {
    const linter = await getLinter();
    const score = scoreCorpus(linter, DIR);
    console.log(
      formatScore(score)
        .split('\n')
        .map((l) => '      ' + l)
        .join('\n'),
    );
    assert.ok(score.cases >= 60, `${score.cases} cases`);
    assert.ok(score.correctCases >= 20, `${score.correctCases} correct cases`);
    assert.ok(score.recall >= FLOOR.recall, `recall ${score.recall} < floor ${FLOOR.recall}`);
    assert.ok(score.precision >= FLOOR.precision, `precision ${score.precision} < floor ${FLOOR.precision}`);
    assert.ok(score.cleanCorrectCases >= FLOOR.cleanCorrectCases, `clean ${score.cleanCorrectCases}`);
  });
});
