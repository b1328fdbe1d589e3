import assert from 'node:assert/strict';
import { OptionError, describeValue } from '../../../src/core/errors';

describe('core/errors: option values in messages', () => {
  it('describes scalars as JSON, collections by their first items at a bounded depth and length', () => {
    assert.equal(describeValue('CHW'), '"CHW"');
    assert.equal(describeValue(0.95), '0.95');
    assert.equal(describeValue(NaN), 'NaN');
    assert.equal(describeValue(undefined), 'undefined');
    assert.equal(describeValue([1, 2, 3, 4, 5]), '[1,2,3,4,…]');
    assert.equal(describeValue({ a: [[[[1]]]] }), '{"a":[[[…]]]}');
    assert.ok(describeValue('x'.repeat(500)).length <= 80);
    let deep: unknown = 1;
    for (let i = 0; i < 50_000; i++) deep = [deep];
    assert.equal(describeValue(deep), '[[[[…]]]]');
    assert.match(
      new OptionError('numClasses', deep, 'an integer').message,
      /^option numClasses = \[\[\[\[…\]\]\]\] is invalid/,
    );
  });
});
