import * as assert from 'node:assert/strict';
import { lintNotebookCells } from '../../../../src/core/lint';
import { getLinter } from './helpers';

describe('lint notebooks', () => {
  it('lints cells as one namespace and maps findings (and fixes) back to their cell', async () => {
    const cells = [
      '%matplotlib inline\nfrom tensorflow.keras import backend as K',
      '!pip install something\n\ndef dice_coef(y_true, y_pred, smooth=1.0):\n    inter = K.sum(y_true * y_pred, axis=-1)\n    return (2 * inter + smooth) / (K.sum(y_true + y_pred, axis=-1) + smooth)',
      'model.compile(loss=lambda t, p: 1 - dice_coef(t, p))',
    ];
    const out = lintNotebookCells(await getLinter(), cells);
    assert.equal(out.length, 3);
    assert.deepEqual(out[0].findings, []);
    const f = out[1].findings.filter((x) => x.rule === 'LL101');
    assert.equal(f.length, 2);
    // Cell-relative: line 3 of cell 1 is `    inter = K.sum(...)`, K.sum at column 12.
    assert.deepEqual(f[0].range.start, { line: 3, character: 12 });
    const edit = f[0].fixes![0].edits[0];
    const lineText = cells[1].split('\n')[edit.range.start.line];
    assert.equal(lineText.slice(edit.range.start.character, edit.range.end.character), '-1');
    assert.deepEqual(out[2].findings, []);
  });
});
