import * as assert from 'node:assert/strict';
import { zlibSync } from 'fflate';
import sharp from 'sharp';
import { InputError } from '../../../../src/core/errors';
import { decodePngImage } from '../../../../src/core/io/png';
import { decodeRaster } from '../../../../src/node/io/decode';
import {
  PLAIN_PNG_MIN_PIXELS,
  TINY_PNG,
  decodePlainPng,
  plainPng,
  warmPlainPng,
} from '../../../../src/node/io/plainPng';
import { chunk, concat } from '../../../support/pngBytes';

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };
const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** A deterministic stream of bytes (xorshift), so every run tests the same files. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

function ihdr(width: number, height: number, bitDepth: number, colorType: number, interlace = 0): Uint8Array {
  const d = new Uint8Array(13);
  const v = new DataView(d.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  d.set([bitDepth, colorType, 0, 0, interlace], 8);
  return chunk('IHDR', d);
}

/**
 * Scanlines whose filter bytes run through all five filters and whose samples are random: any such bytes are a
 * valid image, so both decoders must turn them into the same samples.
 */
function scanlines(width: number, height: number, channels: number, seed: number): Uint8Array {
  const row = 1 + width * channels;
  const raw = randomBytes(row * height, seed);
  for (let y = 0; y < height; y++) raw[y * row] = (y + seed) % 5;
  return raw;
}

interface Built {
  bytes: Uint8Array;
  raw: Uint8Array;
}

/** A PNG with the given chunks between IHDR and IEND ('IDAT' entries are replaced by the image data). */
function build(
  width: number,
  height: number,
  colorType: number,
  o: { seed?: number; before?: Uint8Array[]; after?: Uint8Array[]; split?: number; raw?: Uint8Array } = {},
): Built {
  const raw = o.raw ?? scanlines(width, height, CHANNELS[colorType] ?? 1, o.seed ?? 7);
  const z = zlibSync(raw);
  const parts: Uint8Array[] = [];
  const split = o.split ?? 1;
  const step = Math.ceil(z.length / split);
  for (let at = 0; at < z.length; at += step) parts.push(chunk('IDAT', z.subarray(at, at + step)));
  const bytes = concat([
    SIGNATURE,
    ihdr(width, height, 8, colorType),
    ...(o.before ?? []),
    ...parts,
    ...(o.after ?? []),
    chunk('IEND', new Uint8Array(0)),
  ]);
  return { bytes, raw };
}

const text = (s: string) => new TextEncoder().encode(s);

async function sameAsFastPng(bytes: Uint8Array, what: string, minPixels = 1): Promise<void> {
  const native = await decodePlainPng(bytes, 1e8, minPixels);
  assert.ok(native, `${what}: taken natively`);
  const reference = decodePngImage(bytes, { maxPixels: 1e8 });
  assert.deepEqual(
    [native.width, native.height, native.bitDepth, native.colorType, native.channels],
    [reference.width, reference.height, reference.bitDepth, reference.colorType, reference.channels],
    what,
  );
  assert.ok(native.data instanceof Uint8Array && reference.data instanceof Uint8Array, what);
  assert.equal(native.data.length, reference.data.length, what);
  assert.ok(Buffer.from(native.data).equals(Buffer.from(reference.data)), `${what}: the same samples`);
  assert.equal(native.palette, undefined);
}

/** The message a decode through the format table ends with (the viewer's and the CLI's way). */
async function refusalOf(bytes: Uint8Array, maxPixels = 1e8): Promise<string> {
  try {
    await decodeRaster(bytes, { source: 'f.png', maxPixels, role: 'image' });
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e.message;
  }
  return assert.fail('expected a refusal');
}

function fastPngRefusal(bytes: Uint8Array): string {
  try {
    decodePngImage(bytes, { source: 'f.png', maxPixels: 1e8 });
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e.message;
  }
  return assert.fail('expected fast-png to refuse it');
}

describe('node/io/plainPng: 8-bit grey, RGB and RGBA PNGs decoded natively, the same samples as fast-png', () => {
  it('random scanlines through all five filters, every colour type, odd and tiny sizes: identical samples', async () => {
    const sizes: [number, number][] = [
      [1, 1],
      [3, 5],
      [7, 1],
      [1, 9],
      [257, 131],
      [300, 256],
    ];
    let seed = 1;
    for (const colorType of [0, 2, 6]) {
      for (const [w, h] of sizes) {
        const { bytes } = build(w, h, colorType, { seed: seed++ });
        await sameAsFastPng(bytes, `colour type ${colorType}, ${w}×${h}`);
      }
    }
  });

  it('files written by an encoder (adaptive filtering, a noisy 512×384 photo) decode to the same samples', async () => {
    for (const channels of [3, 4] as const) {
      const png = await sharp({
        create: {
          width: 512,
          height: 384,
          channels,
          background: { r: 0, g: 0, b: 0 },
          noise: { type: 'gaussian', mean: 128, sigma: 30 },
        },
      })
        .png({ adaptiveFiltering: true, palette: false })
        .toBuffer();
      assert.equal(png[25], channels === 3 ? 2 : 6, 'RGB / RGBA file');
      await sameAsFastPng(new Uint8Array(png), `sharp's ${channels}-channel PNG`, PLAIN_PNG_MIN_PIXELS);
    }
    const grey = await sharp(Buffer.from(randomBytes(512 * 384, 11)), {
      raw: { width: 512, height: 384, channels: 1 },
    })
      .toColourspace('b-w')
      .png({ adaptiveFiltering: true, palette: false })
      .toBuffer();
    assert.equal(grey[25], 0, 'a grey file');
    await sameAsFastPng(new Uint8Array(grey), "sharp's grey PNG", PLAIN_PNG_MIN_PIXELS);
  });

  it('takes text, time, physical-size and sRGB chunks and image data split over several chunks', () => {
    const { bytes } = build(300, 300, 2, {
      before: [
        chunk('tEXt', text('Software\0test')),
        chunk('pHYs', new Uint8Array(9)),
        chunk('sRGB', Uint8Array.of(0)),
      ],
      after: [chunk('tIME', new Uint8Array(7))],
      split: 4,
    });
    assert.deepEqual(plainPng(bytes, 1e8), {
      width: 300,
      height: 300,
      bitDepth: 8,
      colorType: 2,
      channels: 3,
    });
  });

  it('turns down every file the narrow path does not cover', () => {
    const ok = build(300, 300, 0);
    assert.ok(plainPng(ok.bytes, 1e8), 'the plain file itself is taken');
    const flip = (b: Uint8Array, at: number) => {
      const c = b.slice();
      c[at] ^= 0xff;
      return c;
    };
    const replaceIhdr = (b: Uint8Array, bitDepth: number, colorType: number, interlace = 0) =>
      concat([SIGNATURE, ihdr(300, 300, bitDepth, colorType, interlace), b.subarray(33)]);
    // A text chunk between the two halves of the image data.
    const halves = build(300, 300, 0, { split: 2 }).bytes;
    const second = 33 + 12 + new DataView(halves.buffer).getUint32(33);
    const between = concat([
      halves.subarray(0, second),
      chunk('tEXt', text('a\0b')),
      halves.subarray(second),
    ]);
    const cases: [string, Uint8Array][] = [
      ['a palette PNG', replaceIhdr(ok.bytes, 8, 3)],
      ['grey + alpha', build(300, 300, 4).bytes],
      ['16-bit samples', replaceIhdr(ok.bytes, 16, 0)],
      ['1-bit samples', replaceIhdr(ok.bytes, 1, 0)],
      ['Adam7 interlacing', replaceIhdr(ok.bytes, 8, 0, 1)],
      [
        'a gAMA chunk',
        build(300, 300, 0, { before: [chunk('gAMA', Uint8Array.of(0, 0, 0xb1, 0x8f))] }).bytes,
      ],
      ['an iCCP chunk', build(300, 300, 0, { before: [chunk('iCCP', text('p\0\0xyz'))] }).bytes],
      ['a tRNS chunk', build(300, 300, 0, { before: [chunk('tRNS', Uint8Array.of(0, 0))] }).bytes],
      ['an eXIf chunk', build(300, 300, 0, { before: [chunk('eXIf', text('MM\0*'))] }).bytes],
      ['a chunk between image data chunks', between],
      ['a bad CRC in the image data', flip(ok.bytes, 50)],
      ['a cut-short file', ok.bytes.subarray(0, ok.bytes.length - 20)],
      ['bytes after IEND', concat([ok.bytes, Uint8Array.of(0)])],
      ['image data one row short', build(300, 300, 0, { raw: ok.raw.subarray(0, 301 * 299) }).bytes],
      ['image data one byte long', build(300, 300, 0, { raw: concat([ok.raw, Uint8Array.of(0)]) }).bytes],
      [
        'a row with filter type 5',
        build(300, 300, 0, { raw: flip(ok.raw, 301 * 7).fill(5, 301 * 7, 301 * 7 + 1) }).bytes,
      ],
      ['below the size worth loading sharp for', build(255, 256, 0).bytes],
    ];
    for (const [what, bytes] of cases) assert.equal(plainPng(bytes, 1e8), undefined, what);
    assert.equal(plainPng(ok.bytes, 300 * 300 - 1), undefined, 'over the pixel limit');
  });

  it('a lying header over a bomb is turned down after one byte past the declared size, then refused as before', async () => {
    const bomb = build(300, 300, 0, { raw: new Uint8Array(64 * 1024 * 1024) }).bytes;
    assert.ok(bomb.length < 200_000, `small on disk (${bomb.length} bytes)`);
    assert.equal(plainPng(bomb, 1e8), undefined);
    const m = await refusalOf(bomb);
    assert.equal(m, fastPngRefusal(bomb));
    assert.match(m, /decompression bomb\?\): its image data inflates to more than the 90300 bytes/);
  });

  it('files the native path turns down get the refusal they always got (bad CRC, cut short, over the limit)', async () => {
    const ok = build(300, 300, 2);
    const badCrc = ok.bytes.slice();
    badCrc[60] ^= 0xff;
    for (const bytes of [badCrc, ok.bytes.subarray(0, ok.bytes.length - 20)]) {
      assert.equal(await refusalOf(bytes), fastPngRefusal(bytes));
    }
    assert.match(
      await refusalOf(ok.bytes, 1000),
      /image is 300×300 \(90000 pixels\), above the limit of 1000 pixels/,
    );
  });

  it('the viewer gets the same raster either way: samples, range and the grey-as-RGB rule', async () => {
    const { bytes } = build(300, 300, 2, { seed: 3 });
    const r = await decodeRaster(bytes, { source: 'f.png', maxPixels: 1e8, role: 'image' });
    const reference = decodePngImage(bytes);
    assert.deepEqual(
      [r.width, r.height, r.channels, r.dtype, r.sourceDtype],
      [300, 300, 3, 'uint8', 'uint8'],
    );
    assert.ok(
      Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength).equals(Buffer.from(reference.data)),
    );
    let min = 255;
    let max = 0;
    for (const v of reference.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assert.deepEqual(r.range, { min, max });
    // Equal channels everywhere: shown as grey with its note, as the fast-png path does.
    const grey = new Uint8Array(300 * 300).map((_, i) => (i * 31) % 256);
    const rgb = await sharp(Buffer.from(grey), { raw: { width: 300, height: 300, channels: 1 } })
      .toColourspace('srgb')
      .png()
      .toBuffer();
    assert.ok(plainPng(new Uint8Array(rgb), 1e8)?.channels === 3, 'an RGB file');
    const g = await decodeRaster(new Uint8Array(rgb), { source: 'g.png', maxPixels: 1e8, role: 'image' });
    assert.equal(g.channels, 1);
    assert.ok(Buffer.from(g.data.buffer, g.data.byteOffset, g.data.byteLength).equals(Buffer.from(grey)));
    assert.deepEqual(g.notes, ['RGB file whose three channels are identical, shown as grey.']);
    // As a mask: the same class indices as through fast-png.
    const mask = await decodeRaster(new Uint8Array(rgb), { source: 'g.png', maxPixels: 1e8, role: 'labels' });
    assert.equal(mask.classes?.length, 256);
  });

  it('warming up (a pool thread does it as it starts) decodes its tiny PNG without an error', async () => {
    // warmPlainPng never throws; what it must not do is fail silently on its own file, or the warm-up warms nothing.
    await warmPlainPng();
    const { data, info } = await sharp(TINY_PNG).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, data.length > 0], [1, 1, true]);
    assert.deepEqual([...decodePngImage(new Uint8Array(TINY_PNG)).data], [0]);
  });
});
