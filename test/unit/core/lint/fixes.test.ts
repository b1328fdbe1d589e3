import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../../../src/core/lint/types';
import { applyEdits, getLinter } from './helpers';
import { repoPath } from '../../../support/repo';

const DIR = repoPath('test/fixtures/lint');

describe('lint quick fixes', () => {
  const files = readdirSync(DIR)
    .filter((f) => /^LL\d{3}_bad\w*\.py$/.test(f))
    .sort();
  for (const file of files) {
    it(`${file}: every preferred fix keeps valid Python and removes its finding`, async () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const linter = await getLinter();
      const before = linter.lint(text);
      before.tree.dispose();
      const count = (fs: Finding[], rule: string): number => fs.filter((f) => f.rule === rule).length;
      for (const f of before.findings) {
        const fix = f.fixes?.find((x) => x.preferred);
        if (!fix) continue;
        const fixed = applyEdits(text, fix.edits);
        assert.notEqual(fixed, text);
        const after = linter.lint(fixed);
        assert.equal(
          after.tree.hasSyntaxErrors,
          false,
          `${f.rule} fix "${fix.title}" breaks the syntax:\n${fixed}`,
        );
        after.tree.dispose();
        assert.ok(
          count(after.findings, f.rule) < count(before.findings, f.rule),
          `${f.rule} fix "${fix.title}" at line ${f.range.start.line + 1} leaves the finding:\n${fixed}`,
        );
      }
    });
  }

  it('the LL101 fix on the motivating case gives the reference per-image axes', async () => {
    const text = [
      'from tensorflow.keras import backend as K',
      'def dice(y_true, y_pred, s=1.0):',
      '    i = K.sum(y_true * y_pred, -1)',
      '    return (2 * i + s) / (K.sum(y_true, axis=-1) + K.sum(y_pred, axis=-1) + s)',
    ].join('\n');
    const linter = await getLinter();
    const r = linter.lint(text);
    r.tree.dispose();
    const edits = r.findings.filter((f) => f.rule === 'LL101').map((f) => f.fixes![0].edits[0]);
    assert.equal(
      applyEdits(text, edits).split('\n').slice(2).join('\n'),
      [
        '    i = K.sum(y_true * y_pred, [1, 2, 3])',
        '    return (2 * i + s) / (K.sum(y_true, axis=[1, 2, 3]) + K.sum(y_pred, axis=[1, 2, 3]) + s)',
      ].join('\n'),
    );
  });
});
