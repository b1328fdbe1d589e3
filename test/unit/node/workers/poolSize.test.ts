import assert from 'node:assert/strict';
import { poolSize } from '../../../../src/node/workers/poolSize';

describe('host/workers: poolSize', () => {
  it('leaves a core for the host, keeps at least two threads and at most four', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 8, 64].map((c) => poolSize(c)),
      [2, 2, 2, 3, 4, 4],
    );
  });
  it('a configured count wins; 0 and nonsense mean automatic', () => {
    assert.equal(poolSize(8, 1), 1);
    assert.equal(poolSize(2, 6), 6);
    assert.equal(poolSize(8, 0), 4);
    assert.equal(poolSize(8, -3), 4);
    assert.equal(poolSize(8, 1.5), 4);
  });
});
