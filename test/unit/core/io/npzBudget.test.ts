import * as assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { InputError } from '../../../../src/core/errors';
import { readArrayFile } from '../../../../src/core/io/load';
import { writeNpy } from '../../../../src/core/io/npy';

function npyOf(n: number, fill: number): Uint8Array {
  return writeNpy({ dtype: 'float32', shape: [n], data: new Float32Array(n).fill(fill) });
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e.message;
  }
  return assert.fail('expected a refusal');
}

describe('core/io: .npz arrays are chosen from the directory and budgeted before inflating', () => {
  it('inflates only the chosen member of an archive holding several large arrays', () => {
    const big = 4 * 1024 * 1024; // 16 MiB of float32 each
    const zip = zipSync(
      { 'prob.npy': npyOf(1000, 0.25), 'a.npy': npyOf(big, 1), 'b.npy': npyOf(big, 2) },
      { level: 6 },
    );
    const before = process.memoryUsage().arrayBuffers;
    const a = readArrayFile(zip, { source: 'many.npz' });
    assert.ok(!('width' in a));
    assert.deepEqual(a.shape, [1000]);
    assert.equal(a.data[0], 0.25);
    assert.ok(
      process.memoryUsage().arrayBuffers - before < 8 * 1024 * 1024,
      'the two 16 MiB members stayed compressed',
    );
  });

  it('refuses a member larger than the element budget from its declared size, before inflating it', () => {
    const zip = zipSync({ 'x.npy': npyOf(1 << 20, 0) }, { level: 9 });
    assert.match(
      refusal(() => readArrayFile(zip, { source: 'x.npz', maxElements: 1000 })),
      /would inflate to \d+ bytes/,
    );
  });

  it('names at most ten arrays when it cannot choose', () => {
    const members: Record<string, Uint8Array> = {};
    for (let i = 0; i < 2000; i++) members[`m${i}.npy`] = npyOf(1, i);
    const m = refusal(() => readArrayFile(zipSync(members), { source: 'lots.npz' }));
    assert.match(
      m,
      /^lots\.npz: holds 2000 arrays \(m0, m1, .*, m9, … and 1990 more\); say which one to read$/,
    );
  });
});
