import * as assert from 'node:assert/strict';
import { zlibSync } from 'fflate';
import { encode } from 'fast-png';
import { InputError } from '../../../../src/core/errors';
import { decodePngImage } from '../../../../src/core/io/png';
import { pngOf } from '../../../support/pngBytes';

const png = pngOf;

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
    // Nothing near the 64 MiB the data expands to was allocated (the counting stream stopped early; 8 KiB pushes
    // leave ~23 MiB of inflated pieces for the collector).
    const kept = process.memoryUsage().arrayBuffers - before;
    assert.ok(kept < 32 * 1024 * 1024, `${kept} bytes kept`);
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
