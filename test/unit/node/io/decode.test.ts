import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { writeNpy } from '../../../../src/core/io/npy';
import { decodeRaster, detectFormat } from '../../../../src/node/io/decode';
import type { DecodeRole, Raster } from '../../../../src/node/io/raster';
import { repoPath } from '../../../support/repo';

const ROOT = repoPath('test/fixtures/images');
interface Expected {
  shape: number[];
  dtype: string;
  min: number;
  max: number;
  data?: number[];
  palette?: number[];
}
const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'expected.json'), 'utf8')) as Record<string, Expected>;

function bytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(ROOT, rel)));
}

function decode(rel: string, role: DecodeRole, maxPixels = 50_000_000): Promise<Raster> {
  return decodeRaster(bytes(rel), { source: rel, maxPixels, role });
}

/** Compares a raster with numpy's reading of the same file (exactly, or within `tol` for lossy formats). */
function assertMatches(r: Raster, rel: string, tol = 0) {
  const e = EXPECTED[rel];
  const [h, w] = e.shape;
  const c = e.shape.length === 3 ? e.shape[2] : 1;
  assert.deepEqual([r.height, r.width, r.channels], [h, w, c], `${rel}: shape`);
  assert.ok(e.data, `${rel}: expected data recorded`);
  assert.equal(r.data.length, e.data.length);
  let worst = 0;
  for (let i = 0; i < e.data.length; i++) worst = Math.max(worst, Math.abs(r.data[i] - e.data[i]));
  assert.ok(worst <= tol, `${rel}: max abs difference ${worst} > ${tol}`);
  if (tol === 0) assert.deepEqual([r.range.min, r.range.max], [e.min, e.max], `${rel}: range`);
}

async function rejects(p: Promise<unknown>, source: string, pattern: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.equal(e.source, source);
    assert.ok(e.message.startsWith(`${source}: `), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('host/imaging: decodeRaster against numpy/PIL readings', () => {
  it('RGB PNG as an image: exact uint8 RGB', async () => {
    const r = await decode('images/case1.png', 'image');
    assert.equal(r.dtype, 'uint8');
    assert.equal(r.format, 'png');
    assertMatches(r, 'images/case1.png');
  });

  it('palette PNG as labels keeps the indices and the palette (not RGB)', async () => {
    const r = await decode('masks/case1.png', 'labels');
    assertMatches(r, 'masks/case1.png');
    assert.deepEqual(r.classes, [0, 1, 2, 5]);
    assert.equal(r.sourceDtype, 'uint8 palette');
    const pal = EXPECTED['masks/case1.png'].palette as number[];
    assert.deepEqual(r.palette?.slice(0, 6).flat(), pal);
  });

  it('palette PNG as an image is shown in its palette colours', async () => {
    const r = await decode('masks/case1.png', 'image');
    assert.equal(r.channels, 3);
    const idx = EXPECTED['masks/case1.png'].data as number[];
    const i = idx.indexOf(1);
    assert.deepEqual([...r.data.subarray(i * 3, i * 3 + 3)], [128, 0, 0]);
  });

  it('16-bit grey PNG stays 16-bit with its full range', async () => {
    const r = await decode('images/scan16.png', 'image');
    assert.equal(r.dtype, 'uint16');
    assert.equal(r.sourceDtype, 'uint16');
    assertMatches(r, 'images/scan16.png');
    assert.ok(r.range.max > 255);
  });

  it('JPEG through sharp matches PIL within rounding of the IDCT', async () => {
    const r = await decode('images/photo.jpg', 'image');
    assert.equal(r.format, 'jpeg');
    assertMatches(r, 'images/photo.jpg', 3);
  });

  it('grey16 TIFF through sharp keeps 16 bits', async () => {
    const r = await decode('formats/grey16.tif', 'image');
    assert.equal(r.dtype, 'uint16');
    assertMatches(r, 'formats/grey16.tif');
  });

  it('float32 TIFF through sharp keeps floats', async () => {
    const r = await decode('formats/float32.tif', 'image');
    assert.equal(r.dtype, 'float32');
    assertMatches(r, 'formats/float32.tif');
  });

  it('lossless WebP through sharp is exact', async () => {
    assertMatches(await decode('formats/lossless.webp', 'image'), 'formats/lossless.webp');
  });

  it('24-bit and 8-bit palette BMP through our reader', async () => {
    assertMatches(await decode('formats/rgb24.bmp', 'image'), 'formats/rgb24.bmp');
    const labels = await decode('formats/palette8.bmp', 'labels');
    assertMatches(labels, 'formats/palette8.bmp');
    assert.deepEqual(labels.classes, [0, 1, 2, 5]);
  });

  it('colour-coded RGB mask becomes indices: black 0, then by packed colour', async () => {
    const r = await decode('formats/colour_mask.png', 'labels');
    assertMatches(r, 'formats/colour_mask.png');
    assert.deepEqual(r.palette, [
      [0, 0, 0],
      [0, 255, 0],
      [255, 0, 0],
    ]);
    assert.match(r.notes.join(' '), /3 class indices/);
  });

  it('a grey mask stored as RGB keeps its grey values as indices, without a colour note', async () => {
    const r = await decode('formats/grey_as_rgb_mask.png', 'labels');
    assertMatches(r, 'formats/grey_as_rgb_mask.png');
    assert.deepEqual(r.classes, [0, 1, 2, 5]);
    assert.deepEqual(r.notes, []);
    assert.equal(r.palette, undefined);
  });

  it('an RGB image with identical channels is sent as grey, with a note', async () => {
    const r = await decode('formats/grey_as_rgb_mask.png', 'image');
    assert.equal(r.channels, 1);
    assert.equal(r.sourceDtype, 'uint8');
    assert.deepEqual([...r.data], EXPECTED['formats/grey_as_rgb_mask.png'].data);
    assert.match(r.notes.join(' '), /three channels are identical, shown as grey/);
    // A real colour image keeps its three channels.
    assert.equal((await decode('images/case1.png', 'image')).channels, 3);
  });

  it('NPY: int64 labels, float32 grey, channel-first RGB', async () => {
    const l = await decode('formats/labels_i64.npy', 'labels');
    assert.equal(l.dtype, 'int32');
    assertMatches(l, 'formats/labels_i64.npy');
    const f = await decode('formats/grey_f32.npy', 'image');
    assert.equal(f.dtype, 'float32');
    assertMatches(f, 'formats/grey_f32.npy');
    const chw = await decode('formats/rgb_chw.npy', 'image');
    assertMatches(chw, 'formats/rgb_chw.npy');
    assert.match(chw.notes.join(' '), /Channel-first/);
  });

  it('NPZ: the first array, with a note naming it', async () => {
    const r = await decode('formats/pair.npz', 'image');
    assertMatches(r, 'formats/pair.npz');
    assert.match(r.notes.join(' '), /'image' \(first of 2/);
  });

  it('detects formats by content, not by name', () => {
    assert.equal(detectFormat(bytes('images/case1.png')), 'png');
    assert.equal(detectFormat(bytes('images/photo.jpg')), 'jpeg');
    assert.equal(detectFormat(bytes('formats/grey16.tif')), 'tiff');
    assert.equal(detectFormat(bytes('formats/lossless.webp')), 'webp');
    assert.equal(detectFormat(bytes('formats/rgb24.bmp')), 'bmp');
    assert.equal(detectFormat(bytes('formats/grey_f32.npy')), 'npy');
    assert.equal(detectFormat(bytes('formats/pair.npz')), 'npz');
    assert.equal(detectFormat(bytes('images/notes.png')), undefined);
  });
});

describe('host/imaging: bad input names the file and the problem', () => {
  it('truncated PNG', async () => {
    await rejects(decode('images/corrupt.png', 'image'), 'images/corrupt.png', /corrupt or truncated PNG/);
  });
  it('a text file named .png', async () => {
    await rejects(
      decode('images/notes.png', 'image'),
      'images/notes.png',
      /unknown or unsupported file format/,
    );
  });
  it('an empty file', async () => {
    await rejects(
      decodeRaster(new Uint8Array(0), { source: 'e.png', maxPixels: 10, role: 'image' }),
      'e.png',
      /empty/,
    );
  });
  it('a header above the pixel limit is refused before decoding', async () => {
    await rejects(
      decode('formats/huge_header.png', 'image'),
      'formats/huge_header.png',
      /100000×100000 \(10000000000 pixels\), above the limit of 50000000 pixels \(setting seglens.maxPixels\)/,
    );
  });
  it('the pixel limit applies to every format', async () => {
    for (const rel of [
      'images/photo.jpg',
      'formats/grey16.tif',
      'formats/rgb24.bmp',
      'formats/grey_f32.npy',
      'formats/pair.npz',
      'images/case1.png',
      'formats/lossless.webp',
    ]) {
      await assert.rejects(decode(rel, 'image', 100), (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.match(e.message, /32×24 \(768 pixels\), above the limit of 100 pixels/, rel);
        return true;
      });
    }
  });
  it('negative values are not class indices', async () => {
    await rejects(
      decode('formats/negative.npy', 'labels'),
      'formats/negative.npy',
      /mask value -1 at index 0 is not a class index/,
    );
  });
  it('a probability map opened as a mask is refused with a hint', async () => {
    await rejects(
      decode('formats/prob_f32.npy', 'labels'),
      'formats/prob_f32.npy',
      /is this a probability map\?/,
    );
  });
  it('truncated JPEG, TIFF and BMP', async () => {
    for (const rel of ['images/photo.jpg', 'formats/grey16.tif', 'formats/rgb24.bmp']) {
      const b = bytes(rel);
      await assert.rejects(
        decodeRaster(b.subarray(0, Math.floor(b.length * 0.6)), {
          source: rel,
          maxPixels: 1e6,
          role: 'image',
        }),
        (e: unknown) => {
          assert.ok(e instanceof InputError, `${rel}: ${String(e)}`);
          assert.ok(e.message.startsWith(`${rel}: `));
          assert.match(e.message, /corrupt|truncated/i);
          return true;
        },
      );
    }
  });
});

describe('host/imaging: probability maps', () => {
  it('a binary [H, W] map is shown as is', async () => {
    const r = await decode('probs/case1.npy', 'prob');
    assert.equal(r.dtype, 'float32');
    assert.equal(r.sourceDtype, 'probabilities [1, 24, 32]');
    assertMatches(r, 'probs/case1.npy', 1e-7);
  });
  it('a softmax [2, H, W] map is shown as the foreground probability 1 − p0', async () => {
    const r = await decode('images/scan16_prob.npy', 'prob');
    assertMatches(r, 'images/scan16_prob.npy', 1e-6);
    assert.match(r.notes.join(' '), /1 − p\(class 0\), of 2 softmax channels/);
  });
  it('per-class sigmoid channels (no background channel) are shown as their per-pixel maximum', async () => {
    // A [3, 4, 6] map, zero except four hand-set pixels: the channels do not sum to 1, so the display is the
    // largest class probability at each pixel.
    const n = 24;
    const data = new Float32Array(3 * n);
    const set = [
      [0.1, 0.9, 0.0, 0.2],
      [0.3, 0.05, 0.0, 0.7],
      [0.2, 0.1, 0.01, 0.6],
    ];
    set.forEach((vals, k) => vals.forEach((v, i) => (data[k * n + i] = v)));
    const npy = writeNpy({ dtype: 'float32', shape: [3, 4, 6], data });
    const r = await decodeRaster(npy, { source: 'sigmoid.npy', maxPixels: 100, role: 'prob' });
    const expected = new Float32Array(n);
    expected.set([0.3, 0.9, 0.01, 0.7]);
    assert.deepEqual([...r.data], [...expected]);
    assert.match(r.notes.join(' '), /largest of 3 per-class \(sigmoid\) probabilities/);
  });
  it('logits, NaN and non-float files are refused by name', async () => {
    await rejects(
      decode('formats/logits.npy', 'prob'),
      'formats/logits.npy',
      /outside \[0, 1\]: these look like logits/,
    );
    await rejects(decode('formats/prob_nan.npy', 'prob'), 'formats/prob_nan.npy', /NaN or infinite/);
    await rejects(
      decode('images/case1.png', 'prob'),
      'images/case1.png',
      /must be a float TIFF, NPY or NPZ file/,
    );
    await rejects(decode('formats/grey16.tif', 'prob'), 'formats/grey16.tif', /must hold floats/);
  });
  it('checks the pixel limit from the .npy header', async () => {
    await rejects(
      decode('probs/case1.npy', 'prob', 100),
      'probs/case1.npy',
      /32×24 \(768 pixels\), above the limit of 100/,
    );
  });
});
