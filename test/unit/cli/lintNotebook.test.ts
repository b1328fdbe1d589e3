import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonFinding } from '../../../src/cli/commands/lint';
import { notebookCode } from '../../../src/cli/ipynb';
import { main } from '../../../src/cli/main';
import { useTempDir } from '../../support/tempDir';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd });
  return { code, out, err };
}

/** A notebook as Jupyter writes it: a markdown cell, then code cells whose sources are lists of lines. */
function notebook(codeCells: string[][], language = 'python'): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language, display_name: 'Python 3' } },
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Training\n'] },
      ...codeCells.map((source) => ({
        cell_type: 'code',
        metadata: {},
        execution_count: null,
        outputs: [],
        source,
      })),
    ],
  });
}

// The demo's mistake, split over two cells as a notebook user writes it: imports, then the Dice with axis=-1.
const IMPORTS = ['from tensorflow.keras import backend as K\n'];
const DICE = [
  'def dice_coef(y_true, y_pred, smooth=1):\n',
  '    intersection = K.sum(y_true * y_pred, axis=-1)\n',
  '    return (2.0 * intersection + smooth) / (K.sum(y_true, -1) + K.sum(y_pred, -1) + smooth)\n',
];

describe('cli: seglens lint on Jupyter notebooks', () => {
  const tmp = useTempDir('seglens-nb');

  it('reads the code cells and their Jupyter numbers (markdown cells count, are not linted)', () => {
    const nb = notebookCode(notebook([IMPORTS, DICE]), 'x.ipynb');
    assert.deepEqual(nb.cellNumbers, [2, 3]);
    assert.equal(nb.cells[1], DICE.join(''));
    assert.equal(nb.otherLanguage, undefined);
    assert.equal(notebookCode(notebook([DICE], 'R'), 'x.ipynb').otherLanguage, 'R');
  });

  it('finds the axis=-1 Dice in a notebook cell, with the cell number and in-cell positions', async () => {
    writeFileSync(join(tmp.path, 'train.ipynb'), notebook([IMPORTS, DICE]));
    const r = await run(['lint', 'train.ipynb', '--json'], tmp.path);
    assert.equal(r.code, 1, r.err);
    const list = JSON.parse(r.out) as JsonFinding[];
    const ll101 = list.filter((f) => f.rule === 'LL101');
    // The three wrong-axis sums, as in the demo's .py file (columns from Python: s.index("K.sum") + 1).
    assert.equal(ll101.length, 3);
    assert.ok(ll101.every((f) => f.cell === 3));
    assert.deepEqual(
      ll101.map((f) => [f.line, f.column]),
      [
        [2, 20],
        [3, 45],
        [3, 65],
      ],
    );
    const text = await run(['lint', 'train.ipynb'], tmp.path);
    assert.match(text.out, /^train\.ipynb#cell3:2:20: error LL101 /m);
  });

  it('is found in directories beside .py files; a broken notebook is named with exit 2', async () => {
    const d = join(tmp.path, 'proj');
    mkdirSync(d);
    writeFileSync(join(d, 'ok.ipynb'), notebook([['x = 1\n']]));
    writeFileSync(join(d, 'bad.ipynb'), '{"cells": [');
    const r = await run(['lint', 'proj', '--json'], tmp.path);
    assert.equal(r.code, 2);
    assert.deepEqual(JSON.parse(r.out), []);
    assert.match(r.err, /bad\.ipynb: .*not a notebook: invalid JSON/);
  });
});

describe('cli: seglens lint walks folders once by real path', () => {
  const tmp = useTempDir('seglens-walk');

  it('symlink loops (a -> ., b -> .) and two links to one file give each file once, quickly', async () => {
    const d = join(tmp.path, 'proj');
    mkdirSync(d);
    writeFileSync(join(d, 'loss.py'), 'from tensorflow.keras import backend as K\n' + DICE.join(''));
    symlinkSync('.', join(d, 'a'));
    symlinkSync('.', join(d, 'b'));
    symlinkSync('loss.py', join(d, 'again.py'));
    const r = await run(['lint', 'proj', '--json'], tmp.path);
    assert.equal(r.code, 1, r.err);
    const files = new Set((JSON.parse(r.out) as JsonFinding[]).map((f) => f.file));
    assert.equal(files.size, 1, [...files].join(', '));
    assert.match(r.out, /"rule": "LL101"/);
  });
});
