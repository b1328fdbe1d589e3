import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { csvCell, csvRow } from '../../../src/core/csv';

describe('core/csv: one RFC 4180 cell writer', () => {
  it('quotes only when needed and doubles quotes', () => {
    assert.equal(csvCell('slice_048'), 'slice_048');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(' padded '), '" padded "');
    assert.equal(csvCell(null), '');
  });

  it('neutralises formula-like text but keeps numbers numbers', () => {
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell(-0.5), '-0.5');
    assert.equal(csvCell(Number.POSITIVE_INFINITY), 'Infinity');
    assert.equal(csvCell(Number.NaN), 'NaN');
  });

  it("round-trips through Python's csv module (an independent RFC 4180 reader)", () => {
    const cells = ['id,1', 'q"uote', 'multi\nline', '=cmd', 'plain', '-3'];
    const text = csvRow(cells) + '\n';
    const py = spawnSync(
      '/usr/bin/python3',
      ['-c', 'import csv,sys,json; print(json.dumps(next(csv.reader(sys.stdin))))'],
      { input: text, encoding: 'utf8' },
    );
    assert.equal(py.status, 0, py.stderr);
    assert.deepEqual(JSON.parse(py.stdout), ['id,1', 'q"uote', 'multi\nline', "'=cmd", 'plain', "'-3"]);
  });
});
