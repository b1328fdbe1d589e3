/**
 * Bad volume files: every problem is an InputError naming the file and saying what is wrong, and sizes are checked
 * from the header before anything is decompressed. The files are the reference volumes with one thing broken.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputError } from '../../../../../src/core/errors';
import { volumeImage, volumeLabelMap, volumeProbMap } from '../../../../../src/node/io/volume/maps';
import { readVolume } from '../../../../../src/node/io/volume/read';
import { loadVolumeFile } from '../../../../../src/node/io/load';
import { repoPath } from '../../../../support/repo';

const DIR = repoPath('test/fixtures/volume');
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, name)));
/** An uncompressed NIfTI-1 of the reference grid (gt.nii.gz inflated). */
const niiOf = (name: string): Uint8Array => new Uint8Array(gunzipSync(bytesOf(name)));
const text = (b: Uint8Array): string => new TextDecoder('latin1').decode(b);
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

function refuses(bytes: Uint8Array, pattern: RegExp, o: { maxElements?: number } = {}): void {
  assert.throws(
    () => readVolume(bytes, { source: 'broken.vol', ...o }),
    (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.source, 'broken.vol');
      assert.match(e.message, /^broken\.vol: /);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

describe('volume readers: bad input', () => {
  it('truncated gzip (NIfTI .nii.gz and gzip NRRD)', () => {
    const gz = bytesOf('gt.nii.gz');
    refuses(gz.subarray(0, gz.length - 30), /gzip data is truncated/);
    const nrrd = bytesOf('pred.seg.nrrd');
    refuses(nrrd.subarray(0, nrrd.length - 40), /gzip data is truncated/);
  });

  it('header/data size mismatch: raw data short or long, compressed data longer than announced', () => {
    const nii = niiOf('gt.nii.gz');
    refuses(nii.subarray(0, nii.length - 7), /header\/data size mismatch; the file may be truncated/);
    refuses(new Uint8Array([...nii, 0, 0, 0]), /header\/data size mismatch/);
    refuses(
      new Uint8Array(gzipSync(new Uint8Array([...nii, 1, 2, 3, 4]))),
      /more than the \d+ bytes the header announces/,
    );
    const nrrd = bytesOf('gt.nrrd');
    refuses(nrrd.subarray(0, nrrd.length - 1), /holds 7679 bytes but the header announces 7680/);
    const mha = bytesOf('gt.mha');
    refuses(mha.subarray(0, mha.length - 100), /size mismatch/);
  });

  it('dim[0] that lies: outside 1–7, or smaller than the data', () => {
    for (const d0 of [0, 8, -3]) {
      const nii = niiOf('gt.nii.gz');
      new DataView(nii.buffer).setInt16(40, d0, true);
      refuses(nii, new RegExp(`dim\\[0\\] = ${d0} is not a number of dimensions`));
    }
    const nii = niiOf('gt.nii.gz');
    new DataView(nii.buffer).setInt16(40, 2, true); // says 2-D, the data holds 16 slices
    refuses(nii, /size mismatch/);
    const zero = niiOf('gt.nii.gz');
    new DataView(zero.buffer).setInt16(46, 0, true); // dim[3] = 0
    refuses(zero, /dim\[3\] = 0/);
  });

  it('NaN voxels in a label map or a probability volume name the voxel', () => {
    const nii = niiOf('prob.nii.gz');
    const view = new DataView(nii.buffer);
    const offset = view.getFloat32(108, true);
    // Whole numbers in the first volume except one NaN at voxel (1, 2, 0).
    for (let i = 0; i < 24 * 20 * 16; i++) view.setFloat32(offset + 4 * i, 1, true);
    view.setFloat32(offset + 4 * (1 + 24 * 2), NaN, true);
    const v = readVolume(nii, { source: 'p.nii' });
    assert.throws(
      () => volumeProbMap(v),
      /p\.nii: the probability volume has a NaN .* at voxel \(i 1, j 2, k 0\)/,
    );
    assert.throws(
      () => volumeLabelMap(readVolume(nii, { source: 'p.nii' })),
      /p\.nii: the label map has a NaN at voxel \(i 1, j 2, k 0\)/,
    );
  });

  it('NaN voxels in an image are counted in a note; an image of only NaN is refused', () => {
    const nii = niiOf('prob.nii.gz');
    const view = new DataView(nii.buffer);
    const offset = view.getFloat32(108, true);
    view.setFloat32(offset, NaN, true);
    view.setFloat32(offset + 4, Infinity, true);
    const v = readVolume(nii, { source: 'i.nii' });
    const img = volumeImage(v);
    assert.equal(img.nanCount, 2);
    assert.ok(v.notes.some((n) => /2 voxels are NaN or infinite/.test(n)));
    for (let i = 0; i < 24 * 20 * 16; i++) view.setFloat32(offset + 4 * i, NaN, true);
    assert.throws(
      () => volumeImage(readVolume(nii, { source: 'i.nii' })),
      /i\.nii: every voxel of the image is NaN/,
    );
  });

  it('non-orthogonal directions (sheared sform, NRRD space directions, MetaImage TransformMatrix) are refused', () => {
    const nii = niiOf('gt.nii.gz');
    const view = new DataView(nii.buffer);
    view.setFloat32(280 + 4, view.getFloat32(280 + 4, true) + 0.3, true); // srow_x[1]: shear axis j towards x
    refuses(nii, /sform: the voxel axes are not orthogonal \(axes i and j meet at [\d.]+°, not 90°\)/);
    const nrrd = text(bytesOf('gt.nrrd')).replace(
      /space directions: \(([^,]+),/,
      'space directions: ($1 + 0.5,',
    );
    const fixed = nrrd.replace(
      /space directions: \(([-\d.e]+) \+ 0\.5,/,
      (_m, x: string) => `space directions: (${Number(x) + 0.5},`,
    );
    refuses(latin1(fixed), /not orthogonal/);
    const mha = text(bytesOf('gt.mha')).replace(
      /TransformMatrix = .*/,
      'TransformMatrix = 1 0 0 0.2 1 0 0 0 1',
    );
    refuses(latin1(mha), /not orthogonal \(axes i and j/);
  });

  it('unsupported encodings and voxel types are named', () => {
    refuses(
      latin1(text(bytesOf('gt.nrrd')).replace('encoding: raw', 'encoding: bzip2')),
      /unsupported NRRD encoding 'bzip2'/,
    );
    refuses(
      latin1(text(bytesOf('gt.nrrd')).replace('type: uint8', 'type: block')),
      /unsupported NRRD type 'block'/,
    );
    refuses(
      latin1(text(bytesOf('gt.mha')).replace('MET_UCHAR', 'MET_STRING')),
      /unsupported MetaImage ElementType 'MET_STRING'/,
    );
    const nii = niiOf('gt.nii.gz');
    new DataView(nii.buffer).setInt16(70, 128, true);
    refuses(nii, /unsupported NIfTI datatype RGB24/);
    const pair = niiOf('gt.nii.gz');
    pair.set([0x6e, 0x69, 0x31], 344); // "ni1": a .hdr/.img pair
    refuses(pair, /\.hdr\/\.img pair is not supported/);
  });

  it('checks the voxel limit from the header before decompressing', () => {
    const gz = bytesOf('prob.nii.gz');
    // Truncated data: were it decompressed first, the error would be about truncation.
    refuses(gz.subarray(0, 600), /24×20×16×3 \(23040 voxels\), above the limit of 10000 voxels/, {
      maxElements: 10000,
    });
    refuses(bytesOf('gt.nrrd'), /above the limit of 100 voxels/, { maxElements: 100 });
    refuses(bytesOf('gt.mha'), /above the limit of 100 voxels/, { maxElements: 100 });
  });

  it('a separate data file: named when it cannot be read; read next to the header by the loader', () => {
    refuses(bytesOf('pred.mhd'), /the voxels are in a separate file 'pred\.zraw'/);
    const v = loadVolumeFile('pred.mhd', { cwd: DIR });
    assert.equal(v.format, 'metaimage');
    const missing = latin1(text(bytesOf('pred.mhd')).replace('pred.zraw', 'nowhere.zraw'));
    assert.throws(() => loadVolumeFile('x.mhd', { cwd: DIR, bytes: missing }), /nowhere\.zraw: cannot read/);
  });

  it('empty and unknown files', () => {
    refuses(new Uint8Array(0), /the file is empty/);
    refuses(latin1('hello world, not a volume'), /not a NIfTI, NRRD or MetaImage volume/);
  });

  it('negative or fractional labels are refused for label maps', () => {
    const nii = niiOf('prob.nii.gz');
    assert.throws(
      () => volumeLabelMap(readVolume(nii, { source: 'p.nii' })),
      /value 0\.(1|8)\d* at voxel \(i 0, j 0, k 0\) is not a whole number/,
    );
  });
});
