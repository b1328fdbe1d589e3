/**
 * NPY / NPZ / PNG readers against files written by numpy and PIL (tools/io/make_io_fixtures.py): every dtype,
 * both byte orders, C and Fortran order, float16 specials, int64 extremes, version 2.0 headers, stored and
 * deflated archives, and every PNG colour type incl. 1- and 2-bit depths and palette indices.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { NDArray } from '../../../../src/core/ndarray';
import { readNpy, readNpyHeader, writeNpy } from '../../../../src/core/io/npy';
import { readNpz } from '../../../../src/core/io/npz';
import { decodePngImage, readPngHeader } from '../../../../src/core/io/png';
import { repoPath } from '../../../support/repo';

const DIR = repoPath('test/fixtures/io');
const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, name)));
interface Expected {
  npy: Record<string, { dtype: string; shape: number[]; values: string[] }>;
  npz: Record<string, Record<string, { shape: number[]; values: string[] }>>;
  png: Record<
    string,
    {
      shape: number[];
      channels: number;
      bitDepth: number;
      colorType: number;
      values: string[];
      palette?: number[][];
    }
  >;
}
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Expected;

const DTYPE: Record<string, string> = {
  b1: 'bool',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
};

/** Compares values exactly: BigInt for 64-bit integers, Object.is for floats (so -0 and NaN count). */
function assertValues(a: NDArray, values: string[], label: string): void {
  assert.equal(a.data.length, values.length, `${label}: length`);
  for (let i = 0; i < values.length; i++) {
    const v = a.data[i];
    const e = values[i];
    if (typeof v === 'bigint') assert.equal(v, BigInt(e), `${label}[${i}]`);
    else {
      const want = e === 'nan' ? Number.NaN : e === 'inf' ? Infinity : e === '-inf' ? -Infinity : Number(e);
      // float16 and float32 values are compared after rounding the float64 repr to float32 (their storage).
      const w = a.dtype === 'float32' || a.dtype === 'float16' ? Math.fround(want) : want;
      assert.ok(Object.is(v, w), `${label}[${i}]: ${v} ≠ ${e}`);
    }
  }
}

describe('io/npy: files written by numpy', () => {
  for (const [name, e] of Object.entries(expected.npy)) {
    it(`reads ${name}`, () => {
      const a = readNpy(bytes(name), { source: name });
      assert.equal(a.dtype, DTYPE[e.dtype]);
      assert.deepEqual([...a.shape], e.shape);
      assertValues(a, e.values, name);
    });
  }
  it('covers every dtype in both byte orders and both memory orders', () => {
    const names = Object.keys(expected.npy);
    for (const code of Object.keys(DTYPE)) {
      for (const order of ['C', 'F'])
        assert.ok(names.includes(`${code}_le_${order}.npy`), `${code} ${order}`);
      if (!['b1', 'u1', 'i1'].includes(code))
        assert.ok(names.includes(`${code}_be_F.npy`), `${code} big-endian`);
    }
  });
  it('reports the header without decoding, and refuses arrays above maxElements from the header', () => {
    const h = readNpyHeader(bytes('f8_be_F.npy'));
    assert.deepEqual(h.shape, [3, 4, 5]);
    assert.equal(h.fortranOrder, true);
    assert.equal(h.littleEndian, false);
    assert.throws(
      () => readNpy(bytes('f8_le_C.npy'), { source: 'x.npy', maxElements: 59 }),
      /x\.npy: .*above the limit/,
    );
  });
  it('reads straight from a node Buffer (whose slice() is a view into a shared pool)', () => {
    for (const name of ['f4_le_C.npy', 'i1_le_F.npy', 'u2_be_C.npy']) {
      const a = readNpy(readFileSync(join(DIR, name)));
      assertValues(a, expected.npy[name].values, name);
      assert.equal(a.data.buffer.byteLength, a.data.byteLength, `${name}: owns its buffer`);
    }
  });
  it('round-trips writeNpy for every writable dtype', () => {
    for (const name of [
      'u1_le_C.npy',
      'i2_be_F.npy',
      'u4_le_C.npy',
      'i8_be_C.npy',
      'f4_le_F.npy',
      'f8_be_C.npy',
    ]) {
      const a = readNpy(bytes(name));
      const b = readNpy(writeNpy(a));
      assert.equal(b.dtype, a.dtype);
      assert.deepEqual(b.shape, a.shape);
      assert.deepEqual(b.data, a.data);
    }
  });
});

describe('io/npz: archives written by numpy', () => {
  for (const [name, arrays] of Object.entries(expected.npz)) {
    it(`reads ${name}`, () => {
      const got = readNpz(bytes(name), { source: name });
      assert.deepEqual(Object.keys(got).sort(), Object.keys(arrays).sort());
      for (const [key, e] of Object.entries(arrays)) {
        assert.deepEqual([...got[key].shape], e.shape);
        assertValues(got[key], e.values, `${name}/${key}`);
      }
    });
  }
  it('reads only the requested array and names the missing one', () => {
    assert.deepEqual(Object.keys(readNpz(bytes('deflated.npz'), { only: ['mask'] })), ['mask']);
    assert.throws(
      () => readNpz(bytes('deflated.npz'), { source: 'd.npz', only: ['nope'] }),
      /d\.npz: no array named nope/,
    );
  });
  it('refuses members above maxBytes before inflating them', () => {
    assert.throws(
      () => readNpz(bytes('deflated.npz'), { source: 'd.npz', maxBytes: 100 }),
      (e: unknown) => {
        return e instanceof InputError && /would inflate to 224 bytes/.test(e.message);
      },
    );
  });
  it('refuses a non-zip and a truncated archive with InputError', () => {
    assert.throws(() => readNpz(bytes('f4_le_C.npy'), { source: 'a.npz' }), InputError);
    const b = bytes('deflated.npz');
    assert.throws(() => readNpz(b.subarray(0, b.length - 30), { source: 'a.npz' }), InputError);
  });
});

describe('io/png: files written by PIL', () => {
  for (const [name, e] of Object.entries(expected.png)) {
    it(`decodes ${name} (bit depth ${e.bitDepth}, colour type ${e.colorType})`, () => {
      const h = readPngHeader(bytes(name), name);
      assert.deepEqual([h.height, h.width], e.shape);
      assert.equal(h.bitDepth, e.bitDepth);
      assert.equal(h.colorType, e.colorType);
      const img = decodePngImage(bytes(name), { source: name });
      assert.equal(img.channels, e.channels);
      assert.deepEqual(Array.from(img.data, String), e.values);
      if (e.palette) assert.deepEqual(img.palette?.slice(0, e.palette.length), e.palette);
    });
  }
  it('refuses images above maxPixels from the header', () => {
    assert.throws(
      () => decodePngImage(bytes('grey8.png'), { source: 'g.png', maxPixels: 34 }),
      /g\.png: image is 7×5/,
    );
  });
});
