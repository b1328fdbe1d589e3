import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { internalErrors } from '../../../../src/core/lint/linter';
import { getLinter, key, parseExpectations, type Expected } from './helpers';
import { repoPath } from '../../../support/repo';

const DIR = repoPath('test/fixtures/lint');
const files = readdirSync(DIR)
  .filter((f) => /^LL\d{3}_(bad|good)\w*\.py$/.test(f))
  .sort();

describe('lint fixtures', () => {
  after(() => assert.deepEqual(internalErrors, [], 'no rule threw'));
  for (const file of files) {
    const ruleId = file.slice(0, 5);
    const bad = file.includes('_bad');
    it(`${file}: ${bad ? 'exactly the expected findings' : `no ${ruleId} finding and no error or warning`}`, async () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const linter = await getLinter();
      const { findings, tree } = linter.lint(text);
      tree.dispose();
      const actual: Expected[] = findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        line: f.range.start.line,
        start: f.range.start.character,
        end: f.range.end.line === f.range.start.line ? f.range.end.character : -1,
      }));
      if (bad) {
        const expected = parseExpectations(text);
        assert.ok(
          expected.some((e) => e.rule === ruleId),
          `${file} must expect at least one ${ruleId}`,
        );
        // Info findings of other rules are hints, not part of what a fixture pins down.
        const relevant = actual.filter(
          (a) => a.severity !== 'info' || a.rule === ruleId || expected.some((e) => e.rule === a.rule),
        );
        assert.deepEqual(relevant.map(key).sort(), expected.map(key).sort());
      } else {
        const bad = actual.filter((a) => a.rule === ruleId || a.severity !== 'info');
        assert.deepEqual(bad.map(key), []);
      }
    });
  }
});
