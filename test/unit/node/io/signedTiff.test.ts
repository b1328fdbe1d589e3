// Signed 16-bit and multi-page TIFF (issue 17, "wrong results, silently"): CT in Hounsfield units used to be clipped
// at 0 by libvips' cast to unsigned, and a stack of pages read as its first page without a word. The files are
// written by greyTiff.ts; Pillow 9.4 reads the same bytes as the same values
// (Image.open(f) -> mode "I", [[-32768, -1024, -1], [0, 3071, 32767]], n_frames 2, second frame 5…10).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { decodeRaster } from '../../../../src/node/io/decode';
import { loadImageFile } from '../../../../src/node/io/load';
import { useTempDir } from '../../../support/tempDir';
import { greyTiff16 } from './greyTiff';

const HU = Int16Array.from([-32768, -1024, -1, 0, 3071, 32767]);
const SECOND = Int16Array.from([5, 6, 7, 8, 9, 10]);

describe('node/io TIFF: signed 16-bit samples and several pages', () => {
  const tmp = useTempDir('seglens-tiff');

  it('a signed 16-bit image keeps its negative values exactly (float32 samples, int16 source)', async () => {
    const r = await decodeRaster(greyTiff16(3, 2, [HU]), { source: 'ct.tif', maxPixels: 1e6, role: 'image' });
    assert.equal(r.dtype, 'float32');
    assert.equal(r.sourceDtype, 'int16');
    assert.equal(r.channels, 1);
    assert.deepEqual([...r.data], [...HU]);
    assert.deepEqual(r.range, { min: -32768, max: 32767 });
    assert.ok(r.notes.includes('Signed 16-bit samples kept as stored (-32768 to 32767), not clipped at 0.'));
  });

  it('the model runner is fed the same Hounsfield values, not values clipped at 0', async () => {
    const file = join(tmp.path, 'ct.tif');
    writeFileSync(file, greyTiff16(3, 2, [HU]));
    const image = await loadImageFile(file);
    assert.ok(image.data instanceof Float32Array);
    assert.deepEqual([...image.data], [...HU]);
  });

  it('a signed mask with non-negative labels reads as labels; a negative label is refused naming the value', async () => {
    const mask = await decodeRaster(greyTiff16(3, 2, [Int16Array.from([0, 1, 2, 0, 300, 1])]), {
      source: 'm.tif',
      maxPixels: 1e6,
      role: 'labels',
    });
    assert.deepEqual([...mask.data], [0, 1, 2, 0, 300, 1]);
    assert.deepEqual(mask.classes, [0, 1, 2, 300]);
    await assert.rejects(
      decodeRaster(greyTiff16(3, 2, [HU]), { source: 'ct.tif', maxPixels: 1e6, role: 'labels' }),
      (e: unknown) => e instanceof InputError && /mask value -32768 .* not a class index/.test(e.message),
    );
  });

  it('unsigned 16-bit is unchanged: uint16 samples, no note', async () => {
    const u = Uint16Array.from([0, 1, 1024, 40000, 65535, 7]);
    const r = await decodeRaster(greyTiff16(3, 2, [u]), { source: 'u.tif', maxPixels: 1e6, role: 'image' });
    assert.equal(r.dtype, 'uint16');
    assert.deepEqual([...r.data], [...u]);
    assert.deepEqual(r.notes, []);
  });

  it('a multi-page TIFF reads page 1 and says how many pages it holds', async () => {
    for (const role of ['image', 'labels'] as const) {
      const r = await decodeRaster(greyTiff16(3, 2, [SECOND, HU, HU]), {
        source: 'stack.tif',
        maxPixels: 1e6,
        role,
      });
      assert.deepEqual([...r.data], [...SECOND]);
      assert.ok(
        r.notes.some((n) => n.startsWith('TIFF holds 3 pages; only the first is read')),
        r.notes.join(' | '),
      );
    }
    const one = await decodeRaster(greyTiff16(3, 2, [SECOND]), {
      source: 's.tif',
      maxPixels: 1e6,
      role: 'image',
    });
    assert.ok(!one.notes.some((n) => n.includes('pages')));
  });
});
