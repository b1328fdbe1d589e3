/** Volumes through the format table's 2-D decode path: the middle slice across k, with a note saying so. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRaster } from '../../../../../src/node/io/load';
import { volumeImage, volumeLabelMap } from '../../../../../src/node/io/volume/maps';
import { readVolume } from '../../../../../src/node/io/volume/read';
import { repoPath } from '../../../../support/repo';

const DIR = repoPath('test/fixtures/volume');
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, name)));
const N = 24 * 20;

describe('volumes in the file-format table (middle slice)', () => {
  for (const [name, format] of [
    ['gt.nii.gz', 'nifti'],
    ['gt.nrrd', 'nrrd'],
    ['gt.mha', 'metaimage'],
  ]) {
    it(`${name}: labels of slice k = 8 of 16, detected as ${format}`, async () => {
      const r = await decodeRaster(bytesOf(name), { source: name, maxPixels: 1e6, role: 'labels' });
      assert.equal(r.format, format);
      assert.deepEqual([r.width, r.height], [24, 20]);
      const all = volumeLabelMap(readVolume(bytesOf(name), { source: name })).data;
      assert.deepEqual(Array.from(r.data), Array.from(all.subarray(8 * N, 9 * N)));
      assert.match(
        r.notes[0],
        /volume 24×20×16 \(LAS, 0\.8×1\.1×2\.5 mm\): showing the middle slice k = 8 of 16/,
      );
    });
  }

  it('an image slice has scl_slope / scl_inter applied', async () => {
    const r = await decodeRaster(bytesOf('image.nii.gz'), { source: 'i', maxPixels: 1e6, role: 'image' });
    const img = volumeImage(readVolume(bytesOf('image.nii.gz'), { source: 'i' }));
    assert.deepEqual(Array.from(r.data), Array.from(img.data.subarray(8 * N, 9 * N)));
    assert.equal(r.dtype, 'float32');
  });

  it('refuses a slice above the pixel limit, an .mhd without its data file, and volumes as probability maps', async () => {
    await assert.rejects(
      decodeRaster(bytesOf('gt.nrrd'), { source: 'g', maxPixels: 100, role: 'labels' }),
      /24×20 \(480 pixels\)/,
    );
    await assert.rejects(
      decodeRaster(bytesOf('pred.mhd'), { source: 'pred.mhd', maxPixels: 1e6, role: 'labels' }),
      /pred\.mhd: the voxels are in a separate file 'pred\.zraw'/,
    );
    await assert.rejects(
      decodeRaster(bytesOf('prob.nii.gz'), { source: 'p', maxPixels: 1e6, role: 'prob' }),
      /a probability map must be a float TIFF, NPY or NPZ file, not NIfTI/,
    );
  });
});
