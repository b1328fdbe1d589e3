import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Finding } from '../../../../src/core/lint/types';
import {
  cellOfLine,
  findingsByCell,
  joinCells,
  neutraliseMagics,
  rangeInCell,
} from '../../../../src/vscode/diagnostics/notebook';
import { sharedLinter } from './helpers';

const r = (l1: number, c1: number, l2: number, c2: number) => ({
  start: { line: l1, character: c1 },
  end: { line: l2, character: c2 },
});

describe('host/diagnostics notebooks', () => {
  it('turns IPython magics into comments of the same length', () => {
    assert.equal(
      neutraliseMagics('%matplotlib inline\nx = 1\n  !pip install x'),
      '#matplotlib inline\nx = 1\n  #pip install x',
    );
    assert.equal(neutraliseMagics('%%time\nx = 1\n\n  y = 2'), '#%time\n# = 1\n\n  # = 2');
    assert.equal(neutraliseMagics('x = a % b\ny = not x'), 'x = a % b\ny = not x');
  });

  it('joins cells with newlines and records where each starts (hand-counted)', () => {
    const j = joinCells(['a\nb', 'c', '', 'd\r\ne\nf']);
    assert.equal(j.text, 'a\nb\nc\n\nd\ne\nf');
    assert.deepEqual(j.firstLines, [0, 2, 3, 4]);
    assert.deepEqual(j.lineCounts, [2, 1, 1, 3]);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((l) => cellOfLine(j, l)),
      [0, 0, 1, 2, 3, 3, 3, -1],
    );
  });

  it('property: every line of the joined text maps to the cell it came from (brute force)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom('x', 'y = 1', ''), { maxLength: 5 }), {
          minLength: 1,
          maxLength: 6,
        }),
        (cells) => {
          const texts = cells.map((lines) => lines.join('\n'));
          const j = joinCells(texts);
          const owner: number[] = [];
          texts.forEach((t, i) => t.split('\n').forEach(() => owner.push(i)));
          assert.equal(j.text.split('\n').length, owner.length);
          owner.forEach((cell, line) => assert.equal(cellOfLine(j, line), cell));
        },
      ),
    );
  });

  it('moves ranges into their cell and cuts one that runs into the next cell', () => {
    const j = joinCells(['a\nbb', 'ccc\nd']);
    assert.deepEqual(rangeInCell(j, 1, r(2, 1, 3, 1)), r(0, 1, 1, 1));
    assert.equal(rangeInCell(j, 1, r(1, 0, 1, 1)), undefined);
    const cut = rangeInCell(j, 0, r(1, 0, 2, 2));
    assert.deepEqual(cut?.start, { line: 1, character: 0 });
    assert.equal(cut?.end.line, 1);
  });

  it('splits real findings by cell, with fixes that stay in their cell', async () => {
    const cells = [
      '%matplotlib inline\nfrom tensorflow.keras import backend as K',
      'def dice_coef(y_true, y_pred, smooth=1):\n    intersection = K.sum(y_true * y_pred, axis=-1)\n' +
        '    return (2.0 * intersection + smooth) / (K.sum(y_true, -1) + K.sum(y_pred, -1) + smooth)',
      'model.compile(optimizer="adam", loss=lambda t, p: 1 - dice_coef(t, p))',
    ];
    const j = joinCells(cells);
    const linter = await sharedLinter();
    const res = linter.lint(j.text);
    res.tree.dispose();
    const per = findingsByCell(j, res.findings);
    assert.deepEqual(
      per.map((f) => f.length),
      [0, 3, 0],
    );
    // Expected positions counted by hand from the cell text: line 1 col 19, line 2 cols 44 and 64.
    assert.deepEqual(
      per[1].map((f) => [f.rule, f.range.start.line, f.range.start.character]),
      [
        ['LL101', 1, 19],
        ['LL101', 2, 44],
        ['LL101', 2, 64],
      ],
    );
    const cellLines = cells[1].split('\n');
    for (const f of per[1]) {
      const fix = f.fixes?.find((x) => x.preferred);
      assert.ok(fix);
      for (const e of fix.edits) {
        assert.equal(
          cellLines[e.range.start.line].slice(e.range.start.character, e.range.end.character),
          '-1',
        );
      }
    }
  });

  it('drops a fix whose edit would leave the cell', () => {
    const j = joinCells(['x = 1', 'y = 2']);
    const f: Finding = {
      rule: 'LL999',
      name: 'test',
      severity: 'error',
      message: 'm',
      range: r(0, 0, 0, 1),
      docs: 'docs/rules/README.md',
      fixes: [
        { title: 'inside', edits: [{ range: r(0, 0, 0, 1), newText: 'z' }] },
        { title: 'across', edits: [{ range: r(0, 0, 1, 1), newText: 'z' }] },
      ],
    };
    const [[moved]] = findingsByCell(j, [f]);
    assert.deepEqual(
      moved.fixes?.map((x) => x.title),
      ['inside'],
    );
  });
});
