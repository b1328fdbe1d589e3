import * as assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { readNpyHeader } from '../../../../src/core/io/npy';
import { parsePyLiteral } from '../../../../src/core/io/pyLiteral';

/** A version-1.0 .npy file with a hand-written header dict and `dataBytes` zero bytes of data. */
function npy(header: string, dataBytes = 8): Uint8Array {
  let h = header;
  while ((10 + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const out = new Uint8Array(10 + h.length + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
  return out;
}

function refusal(bytes: Uint8Array): string {
  try {
    readNpyHeader(bytes, { source: 'a.npy' });
  } catch (e) {
    assert.ok(e instanceof InputError);
    return e.message;
  }
  return assert.fail('expected a refusal');
}

// Expected outcomes were checked once with numpy 1.24 `np.load` on the same bytes (the comment on each case).
describe('core/io: the .npy header is read as the Python literal it is', () => {
  it('a repeated key keeps its last value (numpy: float32, shape (1,))', () => {
    const h = readNpyHeader(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (1,), }"));
    assert.deepEqual(h.shape, [1]);
    assert.equal(h.dtype, 'float32');
  });

  it('refuses extra keys like numpy ("Header does not contain the correct keys")', () => {
    assert.match(
      refusal(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}")),
      /keys are \{descr, fortran_order, shape, x\}/,
    );
  });

  it('(1) is a number, not a tuple (numpy: "shape is not valid: 1")', () => {
    assert.match(
      refusal(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1), }")),
      /shape is not a tuple/,
    );
  });

  it('names a datetime64 array as such instead of calling the header malformed (numpy reads datetime64[ns])', () => {
    assert.match(refusal(npy("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (1,), }")), /datetime64/);
  });

  it('text inside a string is not a key; 0-d arrays and Python 2 longs still read', () => {
    assert.deepEqual(
      readNpyHeader(npy("{'shape': (2L, 1L), 'fortran_order': True, 'descr': '|u1'}", 2)).shape,
      [2, 1],
    );
    assert.deepEqual(readNpyHeader(npy("{'descr': '<f8', 'fortran_order': False, 'shape': ()}")).shape, []);
    assert.deepEqual(parsePyLiteral("{'a': \"'shape': (9,)\"}"), new Map([['a', "'shape': (9,)"]]));
  });

  it('bounds nesting and reports where parsing stopped', () => {
    assert.throws(() => parsePyLiteral('('.repeat(100) + ')'.repeat(100)), /nesting too deep/);
    assert.match(
      refusal(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)")),
      /malformed \.npy header \(/,
    );
  });
});
