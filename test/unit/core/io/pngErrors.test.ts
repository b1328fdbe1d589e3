/**
 * Error messages for broken PNGs: a file cut short names the chunk it ends in, and corrupt compressed data says
 * so instead of fast-png's bare "Error while decompressing the data:". The PNGs are built here byte by byte
 * (chunk layout and CRC-32 as in the PNG specification), so the tests know exactly where each file breaks.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zlibSync } from 'fflate';
import { InputError } from '../../../../src/core/errors';
import { decodePngImage } from '../../../../src/core/io/png';
import { pngOf } from '../../../support/pngBytes';
import { repoPath } from '../../../support/repo';

/** An 8-bit grey PNG of `width`×`height` whose IDAT holds `idat` (a zlib stream, valid or not). */
function greyPng(width: number, height: number, idat: Uint8Array): Uint8Array {
  return pngOf(width, height, 8, 0, idat);
}

/** Rows with filter byte 0 and a pattern that does not compress to nothing. */
function rows(width: number, height: number): Uint8Array {
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = (x * 31 + y * 17 + x * y) & 0xff;
  return raw;
}

function messageOf(bytes: Uint8Array): string {
  try {
    decodePngImage(bytes, { source: 'mask.png' });
  } catch (e) {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('the PNG decoded although it is broken');
}

describe('io/png: messages for broken files', () => {
  const width = 40;
  const height = 30;
  const good = greyPng(width, height, zlibSync(rows(width, height)));

  it('the hand-built PNG is valid (so the broken variants differ only where they are broken)', () => {
    const img = decodePngImage(good, { source: 'mask.png' });
    assert.equal(img.data.length, width * height);
    assert.equal(img.data[3 * width + 5], (5 * 31 + 3 * 17 + 15) & 0xff);
  });

  it('names the chunk a truncated file ends in, with its size and what is left', () => {
    // IDAT starts after the 8-byte signature and the 25-byte IHDR chunk, at byte 33.
    const idatLength = new DataView(good.buffer).getUint32(33);
    const cut = good.subarray(0, 33 + 8 + 10);
    assert.equal(
      messageOf(cut),
      `mask.png: corrupt or truncated PNG: the file ends inside its IDAT chunk (the chunk at byte 33 needs ${idatLength + 12} bytes, 18 are left)`,
    );
    const noEnd = good.subarray(0, good.length - 12);
    assert.equal(
      messageOf(noEnd),
      `mask.png: corrupt or truncated PNG: the file ends at byte ${good.length - 12} without an IEND chunk`,
    );
  });

  it('says the compressed data is corrupt when the chunks are intact but the zlib stream is not', () => {
    const stream = zlibSync(rows(width, height));
    // Bytes after the 2-byte zlib header set to a block type that does not exist (BTYPE = 11).
    const broken = stream.slice();
    broken[2] = 0x07;
    const message = messageOf(greyPng(width, height, broken));
    assert.match(message, /^mask\.png: corrupt or truncated PNG: the compressed image data is corrupt \(/);
    assert.ok(!message.trimEnd().endsWith(':'), message);
  });

  it('never ends a message with a bare colon, for every prefix of a real PIL file and of the built one', () => {
    const pil = new Uint8Array(readFileSync(join(repoPath('test/fixtures/io'), 'grey8.png')));
    for (const file of [pil, good]) {
      for (let n = 0; n < file.length; n++) {
        const message = messageOf(file.subarray(0, n));
        assert.match(message, /^mask\.png: /);
        assert.ok(!message.trimEnd().endsWith(':'), `prefix of ${n} bytes: ${message}`);
        if (n >= 33) assert.match(message, /the file ends/, `prefix of ${n} bytes: ${message}`);
      }
    }
  });
});
