import * as assert from 'node:assert/strict';
import { parseArgs, numberFlag } from '../../../src/cli/args';
import { UsageError } from '../../../src/cli/command';

describe('cli/args', () => {
  it('parses values, booleans, = form and positionals', () => {
    const a = parseArgs(['x.py', '--k', '3', '--json', '--t=0.25', 'y.py'], {
      values: ['k', 't'],
      booleans: ['json'],
    });
    assert.deepEqual(a.positionals, ['x.py', 'y.py']);
    assert.equal(numberFlag(a, 'k'), 3);
    assert.equal(numberFlag(a, 't'), 0.25);
    assert.ok(a.booleans.has('json'));
  });
  it('rejects unknown flags, missing values and non-numbers', () => {
    assert.throws(() => parseArgs(['--nope'], {}), UsageError);
    assert.throws(() => parseArgs(['--k'], { values: ['k'] }), /needs a value/);
    assert.throws(() => numberFlag(parseArgs(['--k', 'abc'], { values: ['k'] }), 'k'), /must be a number/);
  });
});
