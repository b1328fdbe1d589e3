/**
 * Fuzzing of the NPY, NPZ and PNG parsers: 10,500 generated inputs (truncations, flipped bytes, lying headers,
 * huge shapes, wrong dtypes, corrupt archives and chunks). Each input must either parse into a consistent array
 * or be rejected with an InputError; any other exception, a hang or a crash fails the suite. Seeds are fixed so a
 * failure reproduces.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { InputError } from '../../../../src/core/errors';
import { readNpy } from '../../../../src/core/io/npy';
import { readNpz } from '../../../../src/core/io/npz';
import { decodePngImage } from '../../../../src/core/io/png';
import { loadLabelMap, loadProbMap } from '../../../../src/core/io/load';
import { repoPath } from '../../../support/repo';

const IO = repoPath('test/fixtures/io');
const file = (n: string): Uint8Array => new Uint8Array(readFileSync(join(IO, n)));
const NPY_SEEDS = [
  'f4_le_C.npy',
  'i8_be_F.npy',
  'f2_le_C.npy',
  'b1_le_C.npy',
  'u2_be_C.npy',
  'v2_u2.npy',
  'scalar_f8.npy',
].map(file);
const NPZ_SEEDS = ['stored.npz', 'deflated.npz', 'positional.npz'].map(file);
const PNG_SEEDS = [
  'grey8.png',
  'grey16.png',
  'palette.png',
  'bits1.png',
  'rgb.png',
  'rgba.png',
  'grey_alpha.png',
].map(file);
const LIMIT = 1_000_000;

/** Either a consistent result or an InputError; anything else is a parser bug. */
function parsesOrRejects(parse: () => { length: number; expected: number } | void): void {
  try {
    const r = parse();
    if (r) assert.equal(r.length, r.expected, 'decoded length disagrees with the header');
  } catch (e) {
    if (!(e instanceof InputError)) {
      throw new Error(`not an InputError: ${e instanceof Error ? e.stack : String(e)}`, { cause: e });
    }
  }
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; flips: [number, number][] }
  | { kind: 'header'; at: number; bytes: Uint8Array }
  | { kind: 'splice'; at: number; bytes: Uint8Array };

/** Mutations: truncate, flip bytes, overwrite a run near the header, or splice random bytes. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('flip' as const),
    flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 6,
    }),
  }),
  fc.record({
    kind: fc.constant('header' as const),
    at: fc.integer({ min: 0, max: 40 }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    bytes: fc.uint8Array({ minLength: 0, maxLength: 32 }),
  }),
);

function mutate(seed: Uint8Array, m: Mutation): Uint8Array {
  const b = Uint8Array.from(seed);
  switch (m.kind) {
    case 'truncate':
      return b.subarray(0, Math.floor(m.at * b.length));
    case 'flip':
      for (const [pos, v] of m.flips) b[Math.min(b.length - 1, Math.floor(pos * b.length))] = v;
      return b;
    case 'header':
      b.set(m.bytes.subarray(0, Math.max(0, b.length - m.at)), Math.min(m.at, b.length));
      return b;
    case 'splice': {
      const at = Math.floor(m.at * b.length);
      const out = new Uint8Array(b.length + m.bytes.length);
      out.set(b.subarray(0, at));
      out.set(m.bytes, at);
      out.set(b.subarray(at), at + m.bytes.length);
      return out;
    }
  }
}
function npyHeader(descr: string, fortran: string, shape: string, version = 1): Uint8Array {
  const text = `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }`.padEnd(118) + '\n';
  const head = version === 1 ? 10 : 12;
  const out = new Uint8Array(head + text.length + 64);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  if (version === 1) {
    out[8] = text.length & 0xff;
    out[9] = text.length >> 8;
  } else out[8] = text.length;
  for (let i = 0; i < text.length; i++) out[head + i] = text.charCodeAt(i);
  return out;
}

describe('io fuzz: parsers reject bad input with InputError only', () => {
  it('NPY: 2,500 mutated numpy files', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NPY_SEEDS), mutation, (seed, m) => {
        const bytes = mutate(seed, m);
        parsesOrRejects(() => {
          const a = readNpy(bytes, { source: 'fuzz.npy', maxElements: LIMIT });
          return { length: a.data.length, expected: a.shape.reduce((x, y) => x * y, 1) };
        });
      }),
      { numRuns: 2500, seed: 1 },
    );
  });

  it('NPY: 2,000 generated headers (lying shapes, huge shapes, wrong dtypes, bad versions)', () => {
    const descr = fc.oneof(
      fc.constantFrom(
        "'<f4'",
        "'>i8'",
        "'|b1'",
        "'<f2'",
        "'<c8'",
        "'|O'",
        "'<U3'",
        "'<f3'",
        "'V8'",
        "[('a', '<f4')]",
        "'<M8[s]'",
      ),
      fc.string({ maxLength: 8 }).map((s) => `'${s}'`),
    );
    const dim = fc.oneof(
      fc.integer({ min: 0, max: 20 }),
      fc.constantFrom(2 ** 31, 2 ** 53, 9e18, -1),
      fc.string({ maxLength: 3 }),
    );
    const shape = fc.array(dim, { maxLength: 5 }).map((d) => `(${d.join(', ')}${d.length === 1 ? ',' : ''})`);
    fc.assert(
      fc.property(
        descr,
        fc.constantFrom('True', 'False', 'Maybe'),
        shape,
        fc.constantFrom(1, 2, 3, 4),
        (d, f, s, v) => {
          parsesOrRejects(() => {
            const a = readNpy(npyHeader(d, f, s, v), { source: 'gen.npy', maxElements: LIMIT });
            return { length: a.data.length, expected: a.shape.reduce((x, y) => x * y, 1) };
          });
        },
      ),
      { numRuns: 2000, seed: 2 },
    );
  });

  it('NPZ: 2,000 mutated archives and 500 archives with odd members', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NPZ_SEEDS), mutation, (seed, m) => {
        parsesOrRejects(() => {
          readNpz(mutate(seed, m), { source: 'fuzz.npz', maxElements: LIMIT, maxBytes: 1 << 24 });
        });
      }),
      { numRuns: 2000, seed: 3 },
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 6 }).map((s) => `${s}.npy`),
          fc.uint8Array({ maxLength: 64 }),
          {
            maxKeys: 3,
          },
        ),
        fc.boolean(),
        (members, deflate) => {
          const zip = zipSync(members, { level: deflate ? 6 : 0 });
          parsesOrRejects(() => {
            readNpz(zip, { source: 'odd.npz', maxElements: LIMIT });
          });
        },
      ),
      { numRuns: 500, seed: 4 },
    );
  });

  it('PNG: 3,500 mutated PIL files, decoded directly and as label maps', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PNG_SEEDS), mutation, fc.boolean(), (seed, m, asLabels) => {
        const bytes = mutate(seed, m);
        parsesOrRejects(() => {
          if (asLabels) {
            const l = loadLabelMap(bytes, { source: 'fuzz.png', maxElements: LIMIT });
            return { length: l.data.length, expected: l.shape[0] * l.shape[1] };
          }
          const img = decodePngImage(bytes, { source: 'fuzz.png', maxPixels: LIMIT });
          return { length: img.data.length, expected: img.width * img.height * img.channels };
        });
      }),
      { numRuns: 3500, seed: 5 },
    );
  });
});

describe('io fuzz: probability-map loader', () => {
  it('NPY/NPZ → ProbMap: 1,000 mutated maps (layouts, logits, NaN) parse or fail with InputError', () => {
    const seeds = ['f4_le_C.npy', 'f2_le_C.npy', 'f8_be_F.npy', 'deflated.npz', 'u1_le_C.npy'].map(file);
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        mutation,
        fc.constantFrom(undefined, 2, 3, 4, 5),
        fc.constantFrom(undefined, 'CHW' as const, 'HWC' as const),
        fc.constantFrom(undefined, 'sigmoid' as const),
        (seed, m, numClasses, layout, logits) => {
          parsesOrRejects(() => {
            const p = loadProbMap(mutate(seed, m), {
              source: 'fuzz.npy',
              numClasses,
              layout,
              logits,
              maxElements: LIMIT,
            });
            for (const v of p.data) assert.ok(v >= 0 && v <= 1, `value ${v} outside [0, 1]`);
            return { length: p.data.length, expected: p.shape.reduce((x, y) => x * y, 1) };
          });
        },
      ),
      { numRuns: 1000, seed: 6 },
    );
  });
});

/** CRC-32 of PNG chunks (type + data), so lying headers get past the CRC check and reach the decoder. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('io fuzz: PNG headers that lie with a valid CRC', () => {
  it('500 PNGs whose IHDR claims another size, depth or colour type: parsed consistently or InputError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PNG_SEEDS),
        fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.constantFrom(2 ** 31 - 1, 2 ** 32 - 1, 65536)),
        fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.constantFrom(2 ** 31 - 1, 1)),
        fc.constantFrom(1, 2, 4, 8, 16, 3, 32),
        fc.constantFrom(0, 2, 3, 4, 6, 1, 7),
        fc.constantFrom(0, 1, 2),
        (seed, w, h, depth, colour, interlace) => {
          const b = Uint8Array.from(seed);
          const view = new DataView(b.buffer);
          view.setUint32(16, w);
          view.setUint32(20, h);
          b[24] = depth;
          b[25] = colour;
          b[28] = interlace;
          view.setUint32(29, crc32(b.subarray(12, 29)));
          parsesOrRejects(() => {
            const img = decodePngImage(b, { source: 'lying.png', maxPixels: LIMIT });
            return { length: img.data.length, expected: img.width * img.height * img.channels };
          });
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});
