/**
 * Fuzzing the NPZ reader (src/core/io/npz.ts) and the loaders' NPZ path (src/core/io/load.ts): mutated seed
 * archives, and archives built member by member (valid, damaged and random .npy members, odd names, stored or
 * deflated) whose ZIP directory is then edited to lie: huge or zero sizes, unknown compression methods, wrong
 * offsets. Driver and counts: test/support/fuzz.ts.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { writeNpy } from '../../../src/core/io/npy';
import { readNpz } from '../../../src/core/io/npz';
import { readArrayFile } from '../../../src/core/io/load';
import type { NDArray } from '../../../src/core/ndarray';
import { fuzzIt } from '../../support/fuzz';
import { INTERESTING, applyByteEdit, mutatedBytes, type ByteEdit } from '../../support/fuzzMutate';
import { repoPath } from '../../support/repo';

const SEEDS = [
  'test/fixtures/io/stored.npz',
  'test/fixtures/io/deflated.npz',
  'test/fixtures/io/positional.npz',
  'test/fixtures/volume/nnunet/predictions/case_001.npz',
].map((p) => new Uint8Array(readFileSync(repoPath(p))));
const LIMIT = 1_000_000;
const SOURCE = 'fuzz.npz';

function checkArray(a: NDArray): void {
  assert.ok(a.shape.every((d) => Number.isSafeInteger(d) && d >= 0));
  const n = a.shape.reduce((x, y) => x * y, 1);
  assert.ok(n <= LIMIT);
  assert.equal(a.data.length, n);
}

/** Both entry points: every array of the archive, and the one array the loaders pick. */
function readBoth(bytes: Uint8Array, which: boolean): void {
  if (which) {
    const all = readNpz(bytes, { source: SOURCE, maxElements: LIMIT, maxBytes: 1 << 24 });
    assert.ok(Object.keys(all).length > 0);
    for (const a of Object.values(all)) checkArray(a);
  } else {
    const a = readArrayFile(bytes, { source: SOURCE, maxElements: LIMIT });
    assert.ok(!('width' in a), 'an archive decoded as an image');
    checkArray(a);
  }
}

const member = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom('uint8', 'float32', 'int64', 'float64'),
        fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
      )
      .map(([dtype, shape]) => {
        const n = shape.reduce((x, y) => x * y, 1);
        const data =
          dtype === 'uint8'
            ? new Uint8Array(n).map((_, i) => i)
            : dtype === 'float32'
              ? new Float32Array(n).map((_, i) => i / 7)
              : dtype === 'int64'
                ? new BigInt64Array(n).map((_, i) => BigInt(i))
                : new Float64Array(n).map((_, i) => -i);
        return writeNpy({ dtype, shape, data } as NDArray);
      }),
  },
  fc.uint8Array({ maxLength: 96 }),
  // A valid .npy with a damaged header.
  fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 255 })).map(([at, v]) => {
    const b = writeNpy({ dtype: 'uint16', shape: [3, 2], data: new Uint16Array(6) });
    b[at * 7] = v;
    return b;
  }),
  // Zeros: a member that deflates to almost nothing.
  fc.integer({ min: 0, max: 4096 }).map((n) => new Uint8Array(n)),
);

const name = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('prob.npy', 'arr_0.npy', 'mask.npy', 'labels.npy', 'x.npy', 'a/b.npy'),
  },
  fc.string({ minLength: 1, maxLength: 8 }).map((s) => `${s}.npy`),
  fc.constantFrom('readme.txt', 'prob', '.npy', 'dir/'),
);

/** Edits of the ZIP structures' integer fields: offsets relative to each local or central header. */
interface ZipEdit {
  central: boolean;
  /** Index of the header among its kind. */
  entry: number;
  /** 8 method, 18 compressed size, 22 uncompressed size (local); central: 10, 20, 24, 42 local offset. */
  field: number;
  value: number;
}

const zipEdit: fc.Arbitrary<ZipEdit> = fc.boolean().chain((central) =>
  fc.record({
    central: fc.constant(central),
    entry: fc.integer({ min: 0, max: 3 }),
    field: central ? fc.constantFrom(10, 20, 24, 42, 28) : fc.constantFrom(8, 18, 22, 26),
    value: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 4096 })),
  }),
);

function applyZipEdit(zip: Uint8Array, e: ZipEdit): Uint8Array {
  const sig = e.central ? 0x02014b50 : 0x04034b50;
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let seen = 0;
  for (let o = 0; o + 4 <= zip.length; o++) {
    if (view.getUint32(o, true) !== sig) continue;
    if (seen++ !== e.entry) continue;
    const out = zip.slice();
    const at = o + e.field;
    const v = new DataView(out.buffer);
    const wide = e.field !== 8 && e.field !== 10 && e.field !== 26 && e.field !== 28;
    if (at + (wide ? 4 : 2) > out.length) return out;
    if (wide) v.setUint32(at, e.value >>> 0, true);
    else v.setUint16(at, e.value & 0xffff, true);
    return out;
  }
  return zip;
}

interface BuiltZip {
  bytes: Uint8Array;
  which: boolean;
}

const builtZip: fc.Arbitrary<BuiltZip> = fc
  .record({
    members: fc.array(fc.tuple(name, member), { minLength: 0, maxLength: 4 }),
    level: fc.constantFrom(0 as const, 1 as const, 6 as const),
    zipEdits: fc.array(zipEdit, { maxLength: 3 }),
    byteEdits: fc.array(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      { maxLength: 1 },
    ),
    which: fc.boolean(),
  })
  .map(({ members, level, zipEdits, byteEdits, which }) => {
    let bytes: Uint8Array = zipSync(Object.fromEntries(members), { level });
    for (const e of zipEdits) bytes = applyZipEdit(bytes, e);
    for (const e of byteEdits as ByteEdit[]) bytes = applyByteEdit(bytes, e);
    return { bytes, which };
  });

describe('fuzz: NPZ archives', () => {
  fuzzIt(
    'NPZ: mutated seed archives parse consistently or are refused naming the file',
    () => ({
      name: 'npz-mutated',
      source: SOURCE,
      inputs: fc.tuple(mutatedBytes(SEEDS, 160), fc.boolean()),
      parse: ([m, which]) => readBoth(m.bytes, which),
      dump: ([m]) => m.bytes,
    }),
    { seed: 11, minParsedShare: 0.01 },
  );

  fuzzIt(
    'NPZ: generated archives with lying directories (sizes, methods, offsets) parse consistently or are refused',
    () => ({
      name: 'npz-built',
      source: SOURCE,
      inputs: builtZip,
      parse: (z) => readBoth(z.bytes, z.which),
      dump: (z) => z.bytes,
    }),
    { seed: 12, minParsedShare: 0.05 },
  );
});

describe('NPZ: what the fuzz found', () => {
  it('a directory claiming more than deflate can expand to is refused before anything is allocated', function () {
    this.timeout(60_000);
    const honest = zipSync(
      { 'a.npy': writeNpy({ dtype: 'uint8', shape: [4], data: new Uint8Array(4) }) },
      { level: 9 },
    );
    // Claim 2^31 - 2 bytes (under every byte limit) in the central directory and the local header.
    const lying = applyZipEdit(
      applyZipEdit(honest, { central: true, entry: 0, field: 24, value: 2 ** 31 - 2 }),
      {
        central: false,
        entry: 0,
        field: 22,
        value: 2 ** 31 - 2,
      },
    );
    const before = process.memoryUsage().arrayBuffers;
    assert.throws(
      () => readNpz(lying, { source: 'claims.npz' }),
      /^InputError: claims\.npz: member a\.npy claims 2147483646 bytes from \d+ compressed bytes, more than deflate/,
    );
    assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 24);
    // A member that really compresses ~1000:1 (16 MiB of zeros) is still read.
    const zeros = zipSync(
      { 'z.npy': writeNpy({ dtype: 'uint8', shape: [1 << 24], data: new Uint8Array(1 << 24) }) },
      { level: 9 },
    );
    assert.equal(readNpz(zeros, { source: 'zeros.npz' }).z!.data.length, 1 << 24);
  });
});
