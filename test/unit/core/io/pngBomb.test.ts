import * as assert from 'node:assert/strict';
import { zlibSync } from 'fflate';
import { encode } from 'fast-png';
import { InputError } from '../../../../src/core/errors';
import { decodePngImage } from '../../../../src/core/io/png';

/** CRC-32 of PNG chunks (ISO 3309), written here independently of any PNG library. */
function crc32(data: Uint8Array): number {
  let c = ~0;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG from its parts: the IHDR fields and the zlib stream of the IDAT chunk. */
function png(
  width: number,
  height: number,
  bitDepth: number,
  colorType: number,
  idat: Uint8Array,
): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([bitDepth, colorType, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function refusal(bytes: Uint8Array): string {
  try {
    decodePngImage(bytes, { source: 'bomb.png', maxPixels: 2 ** 28 });
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    assert.equal(e.source, 'bomb.png');
    return e.message;
  }
  return assert.fail('expected a refusal');
}

describe('core/io: PNG decompression bombs are refused before they allocate', () => {
  it('an honest 16384² RGBA 16-bit header (2 GiB decoded) is refused from the header alone', () => {
    // The pixel count equals the loader's element limit (2^28), so only the byte budget catches it.
    const m = refusal(png(16384, 16384, 16, 6, zlibSync(new Uint8Array(16))));
    assert.match(m, /2147483648 bytes decoded, above the limit of 1073741824 bytes/);
  });

  it('a 1×1 header over 64 MiB of compressed zeros is refused after at most the declared size', () => {
    const idat = zlibSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    assert.ok(idat.length < 200_000, `the bomb is small on disk (${idat.length} bytes)`);
    const before = process.memoryUsage().arrayBuffers;
    const m = refusal(png(1, 1, 8, 0, idat));
    assert.match(
      m,
      /decompression bomb\?\): its image data inflates to more than the 2 bytes its 1×1 header declares/,
    );
    // Nothing near the 64 MiB the data expands to stayed allocated (the counting stream stopped early).
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024);
  });

  it('honest images still decode, including an interlaced-size check that does not refuse them', () => {
    const data = new Uint8Array(300 * 200).map((_, i) => (i * 7) % 251);
    const bytes = encode({ width: 300, height: 200, data, channels: 1, depth: 8 });
    const img = decodePngImage(bytes, { source: 'ok.png' });
    assert.equal(img.width, 300);
    assert.deepEqual(img.data.subarray(0, 5), data.subarray(0, 5));
    // A mask that compresses ~1000:1 is verified by the counting stream and still accepted.
    const mask = encode({
      width: 1024,
      height: 1024,
      data: new Uint8Array(1024 * 1024),
      channels: 1,
      depth: 8,
    });
    assert.equal(decodePngImage(mask, { source: 'mask.png' }).data.length, 1024 * 1024);
  });
});
