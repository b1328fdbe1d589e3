// The Problems panel's first line of a lint finding: the demo's three LL101 findings (one Dice term, three sums)
// used to read as three identical sentences cut at the panel's edge; now each first line names its own code and
// is a complete clause, and the whole message follows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { shapeOf } from '../../../../src/vscode/diagnostics/ranges';
import {
  MAX_SNIPPET,
  firstClause,
  problemMessage,
  snippetText,
} from '../../../../src/vscode/diagnostics/problemText';
import { getLinter } from '../../core/lint/helpers';
import { repoPath } from '../../../support/repo';

function textAt(
  text: string,
  r: { start: { line: number; character: number }; end: { line: number; character: number } },
) {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [
    lines[r.start.line].slice(r.start.character),
    ...lines.slice(r.start.line + 1, r.end.line),
    lines[r.end.line].slice(0, r.end.character),
  ].join('\n');
}

describe('diagnostics: the Problems panel line', () => {
  it('the demo’s three LL101 findings get three distinct, complete first lines and keep the full message', async () => {
    const text = readFileSync(repoPath('demo/losses/dice_keras.py'), 'utf8');
    assert.ok(shapeOf(text).lineCount > 20);
    const { findings } = (await getLinter()).lint(text);
    const ll101 = findings.filter((f) => f.rule === 'LL101');
    assert.equal(ll101.length, 3);
    assert.equal(new Set(ll101.map((f) => f.message)).size, 1, 'the rule says the same thing three times');
    const shown = ll101.map((f) => problemMessage(f.message, textAt(text, f.range)));
    const firstLines = shown.map((m) => m.split('\n')[0]);
    assert.deepEqual(firstLines, [
      'K.sum(y_true * y_pred, axis=-1): Dice term is summed over axis -1 (C) only',
      'K.sum(y_true, -1): Dice term is summed over axis -1 (C) only',
      'K.sum(y_pred, -1): Dice term is summed over axis -1 (C) only',
    ]);
    for (let i = 0; i < 3; i++) assert.equal(shown[i].slice(firstLines[i].length + 1), ll101[i].message);
  });

  it('clauses end at the first separator; long code is shortened with an ellipsis; short messages stay as they are', () => {
    assert.equal(firstClause('Unguarded log: log(0) is -inf. More.'), 'Unguarded log');
    assert.equal(firstClause('A; b, so c'), 'A');
    assert.equal(firstClause('Just one sentence.'), 'Just one sentence');
    const long = 'tf.reduce_sum(tf.multiply(y_true_flattened, y_pred_flattened), axis=[1, 2])';
    const s = snippetText(long);
    assert.equal(s.length, MAX_SNIPPET);
    assert.ok(s.endsWith('…'));
    assert.equal(snippetText('a  +\n   b'), 'a + b');
    assert.equal(problemMessage('Short'), 'Short');
    assert.equal(problemMessage('Short.', 'x'), 'x: Short\nShort.');
  });
});
