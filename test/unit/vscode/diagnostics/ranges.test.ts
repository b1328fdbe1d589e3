import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  clampRange,
  editsOverlap,
  rangeContains,
  rangeInside,
  shapeOf,
} from '../../../../src/vscode/diagnostics/ranges';

const r = (l1: number, c1: number, l2: number, c2: number) => ({
  start: { line: l1, character: c1 },
  end: { line: l2, character: c2 },
});

// Lines: "abc" (3), "" (0), "hello" (5).
const TEXT = 'abc\n\nhello';
const shape = shapeOf(TEXT);

describe('host/diagnostics ranges', () => {
  it('keeps a range that is inside the text unchanged', () => {
    assert.deepEqual(clampRange(shape, r(0, 1, 2, 4)), r(0, 1, 2, 4));
  });

  it('clamps lines and columns past the end, and negative positions, into the text', () => {
    assert.deepEqual(clampRange(shape, r(0, 2, 0, 99)), r(0, 2, 0, 3));
    assert.deepEqual(clampRange(shape, r(1, 0, 7, 0)), r(1, 0, 2, 5));
    assert.deepEqual(clampRange(shape, r(-3, -1, 0, 2)), r(0, 0, 0, 2));
    assert.deepEqual(
      clampRange(shape, r(9, 9, 9, 9)),
      r(2, 0, 2, 5),
      'a point past the end becomes the last line',
    );
  });

  it('orders reversed ends and widens an empty range to a visible one', () => {
    assert.deepEqual(clampRange(shape, r(2, 4, 0, 1)), r(0, 1, 2, 4));
    assert.deepEqual(clampRange(shape, r(2, 1, 2, 1)), r(2, 1, 2, 5), 'to the end of the line');
    assert.deepEqual(clampRange(shape, r(0, 3, 0, 3)), r(0, 0, 0, 3), 'at the end: the whole line');
    assert.deepEqual(clampRange(shape, r(1, 0, 1, 0)), r(1, 0, 1, 0), 'an empty line stays empty');
  });

  it('counts \\r\\n and lone \\r as line breaks like VS Code', () => {
    const s = shapeOf('ab\r\ncde\rf');
    assert.equal(s.lineCount, 3);
    assert.deepEqual(
      [0, 1, 2].map((l) => s.lineLength(l)),
      [2, 3, 1],
    );
  });

  it('property: every clamped range lies inside the text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 8 }).map((s) => s.replace(/[\r\n]/g, '')),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.integer({ min: -5, max: 20 }), { minLength: 4, maxLength: 4 }),
        (lines, [a, b, c, d]) => {
          const s = shapeOf(lines.join('\n'));
          const out = clampRange(s, r(a, b, c, d));
          assert.ok(rangeInside(s, out), JSON.stringify({ lines, out }));
        },
      ),
    );
  });

  it('rangeInside rejects what does not fit, rangeContains includes both ends', () => {
    assert.equal(rangeInside(shape, r(0, 0, 2, 5)), true);
    assert.equal(rangeInside(shape, r(0, 0, 2, 6)), false);
    assert.equal(rangeInside(shape, r(0, 0, 3, 0)), false);
    assert.equal(rangeInside(shape, r(0, 2, 0, 1)), false);
    assert.equal(rangeInside(shape, r(0, 0.5, 0, 1)), false);
    assert.equal(rangeContains(r(1, 2, 1, 5), { line: 1, character: 2 }), true);
    assert.equal(rangeContains(r(1, 2, 1, 5), { line: 1, character: 5 }), true);
    assert.equal(rangeContains(r(1, 2, 1, 5), { line: 1, character: 6 }), false);
    assert.equal(rangeContains(r(1, 2, 3, 0), { line: 2, character: 99 }), true);
  });

  it('editsOverlap detects shared text but allows touching edits', () => {
    const e = (l1: number, c1: number, l2: number, c2: number) => ({
      range: r(l1, c1, l2, c2),
      newText: 'x',
    });
    assert.equal(editsOverlap([e(0, 0, 0, 2), e(0, 2, 0, 4)]), false);
    assert.equal(editsOverlap([e(0, 3, 0, 5), e(0, 0, 0, 4)]), true);
    assert.equal(editsOverlap([e(1, 0, 1, 1), e(0, 0, 2, 0)]), true);
    assert.equal(editsOverlap([]), false);
  });
});
