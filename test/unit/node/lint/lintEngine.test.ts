import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TextChange } from '../../../../src/core/lint/types';
import { LintEngine } from '../../../../src/node/lint/lintEngine';
import type { LintResult } from '../../../../src/node/lint/workerProtocol';
import { kerasDemo, torchDemo, wasmBytes } from '../../vscode/diagnostics/helpers';

type Result = LintResult;

function asResult(r: LintResult): Result {
  assert.ok(Array.isArray(r.findings), JSON.stringify(r));
  return r;
}

const positions = (r: Result) => r.findings.map((f) => [f.rule, f.range.start.line, f.range.start.character]);

describe('host/diagnostics lint engine (the worker side)', () => {
  const engine = new LintEngine(async () => wasmBytes());
  after(() => engine.dispose());

  it('an incremental re-lint after edits gives exactly the findings of a lint from scratch', async () => {
    const text = kerasDemo();
    asResult(await engine.lint({ key: 'k', text, options: {}, keep: true }));
    // Two changes in one event, later one first (as VS Code reports them): a comment line at the top and a blank
    // line before the function.
    const defAt = text.indexOf('def dice_coef');
    const edits: TextChange[] = [
      { rangeOffset: defAt, rangeLength: 0, text: '\n' },
      { rangeOffset: 0, rangeLength: 0, text: '# header\n' },
    ];
    const edited = '# header\n' + text.slice(0, defAt) + '\n' + text.slice(defAt);
    const inc = asResult(await engine.lint({ key: 'k', text: edited, options: {}, edits, keep: true }));
    assert.equal(inc.incremental, true);
    const scratch = asResult(await engine.lint({ key: 'other', text: edited, options: {}, keep: false }));
    assert.equal(scratch.incremental, false);
    assert.deepEqual(positions(inc), positions(scratch));
    // Shifted by the two inserted lines, from the demo's lines 22 and 23 (0-based).
    assert.deepEqual(positions(inc), [
      ['LL101', 24, 19],
      ['LL101', 25, 44],
      ['LL101', 25, 64],
    ]);
  });

  it('property: after random edits (several per event, as VS Code orders them) incremental equals scratch', async () => {
    const base = kerasDemo();
    const snippets = ['\n', '# c\n', 'x', '    y = K.sum(y_true, -1)\n', ')', 'def g(:\n', ''];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), len: fc.nat({ max: 12 }), text: fc.constantFrom(...snippets) }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (raw) => {
          // One event's changes refer to the text before the event; VS Code lists them from the end backwards, so
          // applying them in order keeps each offset valid.
          const changes = raw
            .map((c) => {
              const start = c.at % (base.length + 1);
              return { rangeOffset: start, rangeLength: Math.min(c.len, base.length - start), text: c.text };
            })
            .sort((a, b) => b.rangeOffset - a.rangeOffset)
            .filter((c, i, all) => i === 0 || c.rangeOffset + c.rangeLength <= all[i - 1].rangeOffset);
          let edited = base;
          for (const c of changes) {
            edited = edited.slice(0, c.rangeOffset) + c.text + edited.slice(c.rangeOffset + c.rangeLength);
          }
          asResult(await engine.lint({ key: 'p', text: base, options: {}, keep: true }));
          const inc = asResult(
            await engine.lint({
              key: 'p',
              text: edited,
              options: {},
              edits: changes,
              keep: true,
            }),
          );
          const scratch = asResult(await engine.lint({ key: 'q', text: edited, options: {}, keep: false }));
          assert.equal(inc.incremental, true);
          assert.deepEqual(positions(inc), positions(scratch));
        },
      ),
      { numRuns: 15, seed: 20261127 },
    );
  });

  it('edits that do not lead to the text sent are not trusted: the result equals a lint from scratch', async () => {
    asResult(await engine.lint({ key: 'w', text: torchDemo(), options: {}, keep: true }));
    const wrong: TextChange[] = [{ rangeOffset: 0, rangeLength: 0, text: 'zzz' }];
    const text = kerasDemo();
    const r = asResult(await engine.lint({ key: 'w', text, options: {}, edits: wrong, keep: true }));
    const scratch = asResult(await engine.lint({ key: 'w2', text, options: {}, keep: false }));
    assert.deepEqual(positions(r), positions(scratch));
    assert.equal(r.findings.length, 3);
  });

  it('keeps a tree only when asked and frees it on close', async () => {
    const before = engine.treeCount;
    asResult(await engine.lint({ key: 'tmp', text: 'x = 1\n', options: {}, keep: true }));
    assert.equal(engine.treeCount, before + 1);
    engine.close('tmp');
    assert.equal(engine.treeCount, before);
    asResult(await engine.lint({ key: 'tmp2', text: 'x = 1\n', options: {}, keep: false }));
    assert.equal(engine.treeCount, before);
  });

  it('syntax errors, deep nesting and the size cap give answers, not exceptions', async () => {
    const broken = asResult(
      await engine.lint({
        key: 'b',
        text: 'def f(:\n  K.sum((((\n',
        options: {},
        keep: false,
      }),
    );
    assert.equal(broken.hasSyntaxErrors, true);
    const deep = '('.repeat(5000) + '1' + ')'.repeat(5000);
    asResult(await engine.lint({ key: 'd', text: `x = ${deep}\n`, options: {}, keep: false }));
    const big = asResult(
      await engine.lint({
        key: 'c',
        text: 'x = 1\n'.repeat(100),
        options: { maxLength: 100 },
        keep: true,
      }),
    );
    assert.deepEqual(
      big.findings.map((f) => f.rule),
      ['LL000'],
    );
  });

  it('a parser that cannot load fails the lint with an error naming the problem, and is retried', async () => {
    let attempts = 0;
    const failing = new LintEngine(async () => {
      attempts++;
      throw new Error('cannot read tree-sitter.wasm');
    });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(failing.lint({ key: 'x', text: 'x = 1', options: {}, keep: false }), {
        message: 'cannot read tree-sitter.wasm',
      });
    }
    assert.equal(attempts, 2);
  });
});
