// The compact pixels of the viewer's messages: every codec round-trips exactly, the smallest is chosen, and
// anything malformed is refused with a PixelsError instead of being read out of bounds.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  type LabelArray,
  type PackedLabels,
  PixelsError,
  heatmapLevels,
  packHeatmapSteps,
  packLabels,
  packLabelsSteps,
  packedBytes,
  runToEnd,
  unpackLabels,
} from '../../../src/protocol/viewerPixels';

function roundTrip(a: LabelArray, slice?: number): PackedLabels {
  const p = slice ? runToEnd(packLabelsSteps(a, slice)) : packLabels(a);
  const back = unpackLabels(p, a.length);
  assert.equal(back.constructor, a.constructor, 'same sample type');
  assert.deepEqual(back, a);
  return p;
}

/** A disc of class 1 on 0: two runs per row it crosses. */
function disc(w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) out[y * w + x] = Math.hypot(x - w / 2, y - h / 2) < w / 4 ? 1 : 0;
  return out;
}

describe('protocol: viewer pixels (run-length and bit-packed labels, heatmap levels)', () => {
  it('all zero and all one: one run, whatever the length (runs far longer than 2^16)', () => {
    for (const n of [1, 2, 7, 65535, 65536, 65537, 300_001, 1 << 21]) {
      for (const v of [0, 1]) {
        const p = roundTrip(new Uint8Array(n).fill(v));
        // One or two samples are no larger raw (ties go to raw).
        if (n <= 2) {
          assert.equal(p.codec, 'raw');
          continue;
        }
        assert.equal(p.codec, 'runs');
        assert.equal(p.codec === 'runs' && p.runs, 1);
        // One value and a varint of ⌈log128(n + 1)⌉ bytes.
        assert.equal(packedBytes(p), 1 + Math.ceil(Math.log2(n + 1) / 7));
      }
    }
  });

  it('a 4096² disc crosses in a few kB instead of 16 MB', () => {
    const a = disc(4096, 4096);
    const p = roundTrip(a);
    assert.equal(p.codec, 'runs');
    // 2048 rows cross the disc: two changes each, plus the first run.
    assert.equal(p.codec === 'runs' && p.runs, 2 * 2047 + 1);
    assert.ok(packedBytes(p) < 20_000, `${packedBytes(p)} bytes`);
  });

  it('noise with few classes is bit-packed (1, 2 or 4 bits), odd lengths included', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
    for (const [classes, bits] of [
      [2, 1],
      [3, 2],
      [4, 2],
      [5, 4],
      [16, 4],
    ] as const) {
      for (const n of [1001, 4097, 12345]) {
        const a = new Uint16Array(n);
        for (let i = 0; i < n; i++) a[i] = 100 + Math.floor(rand() * classes);
        a[n - 1] = 100 + classes - 1; // every class present
        a[0] = 100;
        const p = roundTrip(a);
        if (n > 16) {
          assert.equal(p.codec, 'bits', `${classes} classes, n ${n}`);
          assert.equal(p.codec === 'bits' && p.bits, bits);
          assert.equal(packedBytes(p), Math.ceil((n * bits) / 8) + 2 * classes);
        }
      }
    }
  });

  it('noise with many classes stays raw (nothing smaller exists)', () => {
    const a = new Uint8Array(5000);
    for (let i = 0; i < a.length; i++) a[i] = (i * 7919) % 40;
    const p = roundTrip(a);
    assert.equal(p.codec, 'raw');
    assert.equal(packedBytes(p), 5000);
  });

  it('65536 and more classes: int32 labels round-trip (runs or raw), uint16 uses every value', () => {
    const many = new Int32Array(200_000);
    for (let i = 0; i < many.length; i++) many[i] = Math.floor(i / 2) * 3 - 50_000; // 100,000 classes, negative too
    const p = roundTrip(many);
    assert.equal(p.codec, 'runs');
    const all = new Uint16Array(65536 * 3);
    for (let i = 0; i < all.length; i++) all[i] = i % 65536;
    assert.equal(roundTrip(all).codec, 'raw');
    const blocks = new Int32Array(70_000 * 10);
    for (let i = 0; i < blocks.length; i++) blocks[i] = 2_000_000_000 - Math.floor(i / 10);
    assert.equal(roundTrip(blocks).codec, 'runs');
  });

  it('the result does not depend on the slice size the host spreads the work over', () => {
    const a = disc(101, 37);
    const whole = packLabels(a);
    for (const slice of [1, 2, 7, 100, 101, 3737, 1 << 20])
      assert.deepEqual(runToEnd(packLabelsSteps(a, slice)), whole);
    const noisy = new Uint8Array(999).map((_, i) => (i * 31) % 3);
    const bits = packLabels(noisy);
    assert.equal(bits.codec, 'bits');
    for (const slice of [1, 5, 64, 998]) assert.deepEqual(runToEnd(packLabelsSteps(noisy, slice)), bits);
  });

  it('yields between slices: a 4096² map takes several steps, each of at most one slice per pass', () => {
    const a = disc(4096, 4096);
    const steps = packLabelsSteps(a, 1 << 20);
    let yields = 0;
    while (!steps.next().done) yields++;
    // Two passes of 16 slices, no yield after the last slice of each.
    assert.equal(yields, 30);
  });

  it('property: any label array round-trips through every codec choice', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }).map((v) => Uint8Array.from(v)),
          fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 300 }).map((v) => Uint8Array.from(v)),
          fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 300 }).map((v) => Uint16Array.from(v)),
          fc
            .array(
              fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 300 })),
              {
                maxLength: 20,
              },
            )
            .map((runs) => Int32Array.from(runs.flatMap(([v, len]) => Array<number>(len).fill(v)))),
        ),
        fc.integer({ min: 1, max: 64 }),
        (a, slice) => {
          roundTrip(a, slice);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an empty array packs and unpacks to an empty array', () => {
    assert.equal(roundTrip(new Uint8Array(0)).codec, 'raw');
  });

  it('heatmap levels are what the stage draws: round(255·p), clamped, NaN as 0', () => {
    const p = Float32Array.from([0, 1, 0.5, 0.499, 0.001, 0.002, -0.3, 1.7, NaN, 0.998, 1 / 255, 0.5 / 255]);
    const out = new Uint8Array(p.length);
    heatmapLevels(p, out);
    assert.deepEqual([...out], [0, 255, 128, 127, 0, 1, 0, 255, 0, 254, 1, 1]);
    const packed = runToEnd(packHeatmapSteps(p, 5));
    assert.deepEqual([...unpackLabels(packed, p.length)], [...out]);
  });

  it('malformed packed pixels are refused with a PixelsError naming the problem', () => {
    const good = packLabels(disc(64, 64)) as Extract<PackedLabels, { codec: 'runs' }>;
    const bad: [unknown, number, RegExp][] = [
      [null, 1, /not an object/],
      [{ ...good, dtype: 'float32' }, 4096, /dtype/],
      [good, 4095, /expected 4095/],
      [{ ...good, length: 4095 }, 4095, /cover/],
      [{ ...good, lengths: good.lengths.slice(0, good.lengths.byteLength - 1) }, 4096, /end early|cover/],
      [
        { ...good, lengths: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).buffer },
        4096,
        /too long|early/,
      ],
      [{ ...good, values: new Uint8Array(2).buffer, lengths: new Uint8Array([0, 1]).buffer }, 4096, /cover/],
      [{ codec: 'raw', dtype: 'uint16', length: 3, data: new ArrayBuffer(5) }, 3, /uint16 buffer/],
      [{ codec: 'raw', dtype: 'uint8', length: 3, data: [1, 2, 3] }, 3, /not an ArrayBuffer/],
      [
        {
          codec: 'bits',
          dtype: 'uint8',
          length: 8,
          bits: 1,
          table: new Uint8Array([4]).buffer,
          data: new Uint8Array([2]).buffer,
        },
        8,
        /outside a table/,
      ],
      [
        {
          codec: 'bits',
          dtype: 'uint8',
          length: 9,
          bits: 1,
          table: new Uint8Array([4, 5]).buffer,
          data: new Uint8Array([2]).buffer,
        },
        9,
        /bytes of 1-bit/,
      ],
      [
        {
          codec: 'bits',
          dtype: 'uint8',
          length: 8,
          bits: 3,
          table: new Uint8Array([4]).buffer,
          data: new Uint8Array([2]).buffer,
        },
        8,
        /bits must be/,
      ],
      [{ codec: 'zip', dtype: 'uint8', length: 8 }, 8, /unknown codec/],
    ];
    for (const [x, n, re] of bad)
      assert.throws(
        () => unpackLabels(x, n),
        (e: unknown) => e instanceof PixelsError && re.test(e.message),
        String(re),
      );
  });
});
