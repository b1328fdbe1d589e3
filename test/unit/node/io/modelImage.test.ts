import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeRaster } from '../../../../src/node/io/decode';
import { loadImageFile } from '../../../../src/node/io/load';
import { makeTempDir } from '../../../support/tempDir';
import { floatTiff } from './floatTiff';

/** A 16×8 JPEG stored red on the left half, blue on the right, tagged with EXIF `orientation`. */
async function orientedJpeg(orientation: number): Promise<Uint8Array> {
  const rgb = new Uint8Array(16 * 8 * 3);
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 16; x++) rgb.set(x < 8 ? [255, 0, 0] : [0, 0, 255], (y * 16 + x) * 3);
  const jpeg = await sharp(rgb, { raw: { width: 16, height: 8, channels: 3 } })
    .jpeg({ quality: 100 })
    .withMetadata({ orientation })
    .toBuffer();
  return new Uint8Array(jpeg);
}

function pixel(data: ArrayLike<number>, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return [data[i], data[i + 1], data[i + 2]];
}

describe('node/io: images as a model sees them', () => {
  let tmp: string;
  before(() => {
    tmp = makeTempDir('seglens-model-image').path;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('applies the EXIF orientation of a phone photo, as photo viewers do, and says so', async () => {
    const r = await decodeRaster(await orientedJpeg(6), { source: 'p.jpg', maxPixels: 1e6, role: 'image' });
    // Orientation 6 = rotate 90° clockwise: the stored left (red) half becomes the top.
    assert.deepEqual([r.width, r.height], [8, 16]);
    const top = pixel(r.data, 8, 4, 2);
    const bottom = pixel(r.data, 8, 4, 13);
    assert.ok(top[0] > 200 && top[2] < 60, `top is red: ${top}`);
    assert.ok(bottom[2] > 200 && bottom[0] < 60, `bottom is blue: ${bottom}`);
    assert.match(
      r.notes.join('\n'),
      /EXIF orientation 6 applied \(rotated 90° clockwise\), as photo viewers show it: the file stores 16×8 pixels, shown and used as 8×16/,
    );
    // Orientation 1 (or none) changes nothing and says nothing.
    const plain = await decodeRaster(await orientedJpeg(1), {
      source: 'q.jpg',
      maxPixels: 1e6,
      role: 'image',
    });
    assert.deepEqual([plain.width, plain.height], [16, 8]);
    assert.equal(plain.notes.length, 0);
  });

  it('passes the decoder notes on with the pixels to the model runner', async () => {
    const path = join(tmp, 'phone.jpg');
    writeFileSync(path, await orientedJpeg(8));
    const image = await loadImageFile(path);
    assert.deepEqual([image.width, image.height], [8, 16]);
    assert.match(
      (image.notes ?? []).join('\n'),
      /EXIF orientation 8 applied \(rotated 90° counter-clockwise\)/,
    );
  });

  it('keeps every band of an RGB float TIFF for a model, with the stored values (no gamma)', async () => {
    const w = 3;
    const h = 2;
    const samples = Float32Array.from({ length: w * h * 3 }, (_, i) => (i % 3) * 0.25 + i * 0.001);
    const path = join(tmp, 'rgb.tif');
    writeFileSync(path, floatTiff(w, h, 3, samples));
    const image = await loadImageFile(path);
    assert.equal(image.channels, 3);
    assert.ok(image.data instanceof Float32Array);
    assert.deepEqual(Array.from(image.data), Array.from(samples));
    assert.match((image.notes ?? []).join('\n'), /All 3 float bands kept/);
    // The viewer still shows one band, now with its stored values rather than gamma-encoded ones.
    const shown = await decodeRaster(floatTiff(w, h, 3, samples), {
      source: 's',
      maxPixels: 1e6,
      role: 'image',
    });
    assert.equal(shown.channels, 1);
    assert.deepEqual(
      Array.from(shown.data),
      Array.from({ length: w * h }, (_, i) => samples[i * 3]),
    );
  });

  it('names the CLI flag or the VS Code setting that lifts the pixel limit', async () => {
    const jpeg = await orientedJpeg(1);
    await assert.rejects(
      decodeRaster(jpeg, { source: 'big.jpg', maxPixels: 100, role: 'image' }),
      /above the limit of 100 pixels \(setting seglens\.maxPixels\)/,
    );
    const path = join(tmp, 'big.jpg');
    writeFileSync(path, jpeg);
    await assert.rejects(
      loadImageFile(path, 100, { limitHint: 'raise it with --max-pixels' }),
      /\(raise it with --max-pixels\)/,
    );
  });
});
