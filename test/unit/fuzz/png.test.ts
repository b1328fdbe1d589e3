/**
 * Fuzzing the PNG reader (src/core/io/png.ts) and the loaders' PNG path (src/core/io/load.ts, as a label map):
 * mutated seed files, and PNGs built chunk by chunk with valid CRCs — so the damage reaches the decoder instead of
 * stopping at the checksum: any IHDR (huge or zero sizes, every depth × colour type, interlace), palettes and
 * transparency of any length, image data of the right or wrong length split over several IDAT chunks, stray
 * chunks, a missing IEND. A well-formed non-interlaced image must decode to exactly the samples it was built from.
 * Driver and counts: test/support/fuzz.ts.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { zlibSync } from 'fflate';
import { decodePngImage } from '../../../src/core/io/png';
import { loadLabelMap } from '../../../src/core/io/load';
import { fuzzIt } from '../../support/fuzz';
import { mutatedBytes } from '../../support/fuzzMutate';
import { chunk, concat, crc32 } from '../../support/pngBytes';
import { repoPath } from '../../support/repo';

const SEEDS = ['grey8', 'grey16', 'palette', 'bits1', 'rgb', 'rgba', 'grey_alpha']
  .map((n) => `test/fixtures/io/${n}.png`)
  .map((p) => new Uint8Array(readFileSync(repoPath(p))));
const LIMIT = 1_000_000;
const SOURCE = 'fuzz.png';
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** The bit depths the PNG specification allows for each colour type (table 11.1). */
const LEGAL_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Properties of any decoded image: the sample count of its size, samples within the bit depth. */
function checkImage(bytes: Uint8Array, asLabels: boolean): void {
  if (asLabels) {
    const l = loadLabelMap(bytes, { source: SOURCE, maxElements: LIMIT });
    assert.equal(
      l.data.length,
      l.shape.reduce((x, y) => x * y, 1),
    );
    return;
  }
  const img = decodePngImage(bytes, { source: SOURCE, maxPixels: LIMIT });
  assert.ok(img.width > 0 && img.height > 0 && img.width * img.height <= LIMIT);
  assert.equal(img.channels, CHANNELS[img.colorType]);
  assert.equal(img.data.length, img.width * img.height * img.channels);
  const max = 2 ** img.bitDepth;
  for (let i = 0; i < img.data.length; i++)
    if (img.data[i]! >= max) assert.fail(`sample ${img.data[i]} ≥ ${max}`);
}

/** Recomputes the CRC of every complete chunk, so a mutation reaches the decoder instead of the checksum. */
function fixCrcs(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (let o = 8; o + 12 <= out.length;) {
    const end = o + 12 + view.getUint32(o);
    if (end > out.length) break;
    view.setUint32(end - 4, crc32(out.subarray(o + 4, end - 4)));
    o = end;
  }
  return out;
}

interface PngCase {
  width: number;
  height: number;
  depth: number;
  colour: number;
  interlace: number;
  /** Compression and filter method bytes of IHDR (both must be 0). */
  methods: [number, number];
  /** Palette entries (type 3 needs 1–256, others may have one). */
  paletteSize: number | undefined;
  trns: number | undefined;
  /** Bytes added to (or cut from) the scanlines the header promises. */
  dataDelta: number;
  /** Filter type of every row (0–4 valid). */
  filter: number;
  /** How many IDAT chunks the stream is split over. */
  split: number;
  stray: boolean;
  iend: boolean;
  /** Random sample bits. */
  seed: number;
}

const pngCase: fc.Arbitrary<PngCase> = fc.record({
  width: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 20 }) },
    fc.constantFrom(0, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 65536, 16384, 1_000_001),
  ),
  height: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 20 }) },
    fc.constantFrom(0, 2 ** 31 - 1, 2 ** 32 - 1, 16384),
  ),
  depth: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(1, 2, 4, 8, 16) }, fc.constantFrom(0, 3, 32, 255)),
  colour: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 2, 3, 4, 6) }, fc.constantFrom(1, 5, 7, 255)),
  interlace: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.constantFrom(1, 2)),
  methods: fc.oneof(
    { weight: 10, arbitrary: fc.constant<[number, number]>([0, 0]) },
    fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
  ),
  paletteSize: fc.option(fc.oneof(fc.integer({ min: 1, max: 256 }), fc.constantFrom(0, 257, 300)), {
    freq: 2,
    nil: undefined,
  }),
  trns: fc.option(fc.integer({ min: 0, max: 300 }), { freq: 6, nil: undefined }),
  dataDelta: fc.oneof(
    { weight: 6, arbitrary: fc.constant(0) },
    fc.integer({ min: -20, max: 20 }),
    fc.constantFrom(5_000),
  ),
  filter: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: 0, max: 6 })),
  split: fc.integer({ min: 1, max: 3 }),
  stray: fc.boolean(),
  iend: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false)),
  seed: fc.nat(),
});

/** A small deterministic generator for sample values. */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

/** The PNG of a case and, when it is a well-formed non-interlaced image, the samples it holds. */
function buildPng(c: PngCase): { bytes: Uint8Array; samples?: number[] } {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, c.width >>> 0);
  v.setUint32(4, c.height >>> 0);
  ihdr.set([c.depth, c.colour, c.methods[0], c.methods[1], c.interlace], 8);
  const channels = CHANNELS[c.colour] ?? 1;
  const small = c.width > 0 && c.height > 0 && c.width * c.height <= 4096;
  const rowBytes = Math.ceil((c.width * channels * c.depth) / 8);
  const rand = lcg(c.seed);
  const samples: number[] = [];
  let raw = new Uint8Array(0);
  if (small && c.depth <= 16 && c.depth > 0) {
    raw = new Uint8Array(c.height * (1 + rowBytes));
    const max = 2 ** c.depth;
    const paletteMax = c.colour === 3 && c.paletteSize ? Math.min(c.paletteSize, max) : max;
    for (let y = 0; y < c.height; y++) {
      const row = y * (1 + rowBytes);
      raw[row] = c.filter;
      for (let x = 0; x < c.width * channels; x++) {
        const s = rand() % paletteMax;
        samples.push(s);
        if (c.depth === 16) {
          raw[row + 1 + 2 * x] = s >> 8;
          raw[row + 2 + 2 * x] = s & 0xff;
        } else {
          const bit = x * c.depth;
          raw[row + 1 + (bit >> 3)] |= s << (8 - c.depth - (bit & 7));
        }
      }
    }
  }
  let data: Uint8Array = raw;
  if (c.dataDelta > 0) data = concat([raw, new Uint8Array(c.dataDelta).map(() => rand() & 0xff)]);
  else if (c.dataDelta < 0) data = raw.subarray(0, Math.max(0, raw.length + c.dataDelta));
  const z = zlibSync(data);
  const parts: Uint8Array[] = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
  ];
  if (c.paletteSize !== undefined)
    parts.push(
      chunk(
        'PLTE',
        new Uint8Array(3 * c.paletteSize).map(() => rand() & 0xff),
      ),
    );
  if (c.trns !== undefined)
    parts.push(
      chunk(
        'tRNS',
        new Uint8Array(c.trns).map(() => rand() & 0xff),
      ),
    );
  if (c.stray) parts.push(chunk('tEXt', new TextEncoder().encode('Comment\0fuzz')));
  const step = Math.ceil(z.length / c.split);
  for (let o = 0; o < z.length; o += step) parts.push(chunk('IDAT', z.subarray(o, o + step)));
  if (c.iend) parts.push(chunk('IEND', new Uint8Array(0)));
  const wellFormed =
    small &&
    LEGAL_DEPTHS[c.colour]?.includes(c.depth) === true &&
    c.methods[0] === 0 &&
    c.methods[1] === 0 &&
    c.interlace === 0 &&
    c.dataDelta === 0 &&
    c.filter === 0 &&
    c.iend &&
    (c.colour === 3
      ? c.paletteSize !== undefined && c.paletteSize >= 1 && c.paletteSize <= 2 ** c.depth
      : c.paletteSize === undefined || (c.colour !== 0 && c.colour !== 4)) &&
    c.trns === undefined;
  return { bytes: concat(parts), samples: wellFormed ? samples : undefined };
}

describe('fuzz: PNG', () => {
  fuzzIt(
    'PNG: mutated seed files decode consistently (as images and as label maps) or are refused naming the file',
    () => ({
      name: 'png-mutated',
      source: SOURCE,
      inputs: fc
        .tuple(mutatedBytes(SEEDS, 64), fc.boolean(), fc.boolean())
        .map(([m, asLabels, recrc]) => ({ bytes: recrc ? fixCrcs(m.bytes) : m.bytes, asLabels })),
      parse: ({ bytes, asLabels }) => checkImage(bytes, asLabels),
      dump: ({ bytes }) => bytes,
    }),
    { seed: 21, minParsedShare: 0.01 },
  );

  fuzzIt(
    'PNG: built chunk by chunk (valid CRCs; lying IHDR, palettes, data lengths, filters, IDAT splits) — a well-formed image decodes to its samples',
    () => ({
      name: 'png-built',
      source: SOURCE,
      inputs: pngCase,
      parse: (c) => {
        const { bytes, samples } = buildPng(c);
        if (!LEGAL_DEPTHS[c.colour]?.includes(c.depth)) {
          // Depths the specification does not allow for the colour type (RGB at 4 bits, …) are refused by name.
          assert.throws(
            () => decodePngImage(bytes, { source: SOURCE }),
            /fuzz\.png: (corrupt PNG header: bit depth|PNG has an empty size)/,
          );
        }
        if (samples) {
          let img;
          try {
            img = decodePngImage(bytes, { source: SOURCE, maxPixels: LIMIT });
          } catch (e) {
            throw new assert.AssertionError({ message: `a well-formed PNG was refused: ${String(e)}` });
          }
          assert.deepEqual(Array.from(img.data), samples);
        }
        checkImage(bytes, false);
      },
      dump: (c) => buildPng(c).bytes,
    }),
    { seed: 22, minParsedShare: 0.05 },
  );
});

describe('PNG: what the fuzz found', () => {
  it('a 1-pixel-wide 2-bit image decodes to its samples, not to its packed bytes', () => {
    // Rows of filter byte 0 and one byte holding one 2-bit sample in its top bits: samples 0, 1, 2, 3.
    const { bytes, samples } = buildPng({
      width: 1,
      height: 4,
      depth: 2,
      colour: 0,
      interlace: 0,
      methods: [0, 0],
      paletteSize: undefined,
      trns: undefined,
      dataDelta: 0,
      filter: 0,
      split: 1,
      stray: false,
      iend: true,
      seed: 1,
    });
    assert.ok(samples && samples.some((s) => s > 0));
    const img = decodePngImage(bytes, { source: SOURCE });
    assert.deepEqual(Array.from(img.data), samples);
    assert.ok(img.data.every((v) => v < 4));
  });

  it('an interlaced 1/2/4-bit PNG is refused by name (its decoder would return wrong samples)', () => {
    const ihdr = new Uint8Array(13);
    new DataView(ihdr.buffer).setUint32(0, 3);
    new DataView(ihdr.buffer).setUint32(4, 3);
    ihdr.set([1, 0, 0, 0, 1], 8);
    const bytes = concat([
      Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlibSync(new Uint8Array(16))),
      chunk('IEND', new Uint8Array(0)),
    ]);
    assert.throws(
      () => decodePngImage(bytes, { source: 'i.png' }),
      /i\.png: interlaced \(Adam7\) PNGs of 1-bit samples/,
    );
  });
});
