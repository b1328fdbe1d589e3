import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { internalErrors } from '../../../../src/core/lint/linter';
import { lineStartsOf } from '../../../../src/core/lint/syntax';
import type { Finding } from '../../../../src/core/lint/types';
import { getLinter } from './helpers';
import { repoPath } from '../../../support/repo';

const DIR = repoPath('test/fixtures/lint');
const TEXTS = readdirSync(DIR)
  .filter((f) => f.endsWith('.py'))
  .sort()
  .map((f) => readFileSync(join(DIR, f), 'utf8'));

/** Every range lies inside the text: lines exist and characters are within their line. */
function assertInside(text: string, findings: readonly Finding[]): void {
  const starts = lineStartsOf(text);
  for (const f of findings) {
    for (const p of [f.range.start, f.range.end]) {
      assert.ok(p.line >= 0 && p.line < starts.length, `line ${p.line} outside 0..${starts.length - 1}`);
      const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
      assert.ok(
        p.character >= 0 && starts[p.line] + p.character <= lineEnd,
        `character ${p.character} outside line`,
      );
    }
  }
}

describe('lint robustness (fuzzed edits of the fixtures)', () => {
  after(() => assert.deepEqual(internalErrors, []));

  it('never throws and keeps every finding inside the document', async () => {
    const linter = await getLinter();
    const edit = fc.record({
      file: fc.nat({ max: TEXTS.length - 1 }),
      at: fc.nat(),
      del: fc.nat({ max: 40 }),
      insert: fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom(
          '(',
          ')',
          ':',
          '\n',
          '    ',
          '"""',
          '#',
          '[',
          ', -1)',
          '.sum(dim=1)',
          '\u00e9\ud83d\ude00',
          '\\',
        ),
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = TEXTS[edits[0].file];
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.del);
        }
        const r = linter.lint(text);
        assertInside(text, r.findings);
        r.tree.dispose();
      }),
      { numRuns: 100, seed: 20261127 },
    );
  });

  it('incremental lints with multi-change events match fresh lints', async () => {
    const linter = await getLinter();
    const text = TEXTS.slice(0, 8).join('\n');
    let prev = linter.lint(text);
    let current = text;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.string({ maxLength: 5 }), (a, b, s) => {
        // Two changes in one event, in descending offset order as VS Code reports multi-cursor edits.
        const hi = Math.max(a, b) % (current.length + 1);
        const lo = Math.min(a, b) % (hi + 1);
        const next = current.slice(0, lo) + s + current.slice(lo, hi) + s + current.slice(hi);
        const r = linter.lint(
          next,
          {},
          {
            tree: prev.tree,
            edits: [
              { rangeOffset: hi, rangeLength: 0, text: s },
              { rangeOffset: lo, rangeLength: 0, text: s },
            ],
          },
        );
        const full = linter.lint(next);
        assert.deepEqual(r.findings, full.findings);
        full.tree.dispose();
        prev = r;
        current = next;
      }),
      { numRuns: 25, seed: 7 },
    );
    prev.tree.dispose();
  });
});
