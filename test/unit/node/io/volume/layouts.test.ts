/**
 * Header variants the reference volumes do not cover, built byte by byte here with values worked out by hand:
 * NRRD channel axes (first = interleaved, as in a Slicer .seg.nrrd, or last), ascii and big-endian data, spacings
 * without directions, a detached .nhdr; MetaImage interleaved channels and MSB data; a big-endian NIfTI-1.
 */
import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { orientationCode } from '../../../../../src/core/volume/orientation';
import { loadVolumeFile } from '../../../../../src/node/io/load';
import { volumeLabelMap, volumeProbMap } from '../../../../../src/node/io/volume/maps';
import { readVolume } from '../../../../../src/node/io/volume/read';
import { makeTempDir } from '../../../../support/tempDir';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

describe('volume header variants', () => {
  it('NRRD list axis first (interleaved channels) becomes channel-first', () => {
    // sizes 2 (channels) × 3 × 2 × 1: voxel v holds (v, 10 + v) interleaved.
    const head =
      'NRRD0004\ntype: float\ndimension: 4\nspace: left-posterior-superior\nsizes: 2 3 2 1\n' +
      'space directions: none (2,0,0) (0,3,0) (0,0,4)\nkinds: list domain domain domain\nendian: little\n' +
      'encoding: raw\nspace origin: (10,20,30)\n\n';
    const values = new Float32Array(12);
    for (let v = 0; v < 6; v++) {
      values[2 * v] = v / 10;
      values[2 * v + 1] = (10 + v) / 100;
    }
    const v = readVolume(cat(enc(head), new Uint8Array(values.buffer)), { source: 'a.nrrd' });
    assert.equal(v.channels, 2);
    assert.deepEqual([...v.geometry.dims], [3, 2, 1]);
    assert.deepEqual([...v.geometry.spacing], [2, 3, 4]);
    assert.deepEqual([...v.geometry.origin], [-10, -20, 30]); // LPS → RAS
    assert.equal(orientationCode(v.geometry), 'LPS');
    const p = volumeProbMap(v);
    assert.deepEqual(p.shape, [2, 1, 2, 3]);
    assert.deepEqual(
      Array.from(p.data).map((x) => Math.round(x * 100)),
      [0, 10, 20, 30, 40, 50, 10, 11, 12, 13, 14, 15],
    );
  });

  it('NRRD ascii encoding, spacings without directions, and big-endian raw int16', () => {
    const ascii = readVolume(
      enc(
        'NRRD0004\ntype: int\ndimension: 3\nsizes: 2 2 1\nspacings: 0.5 0.25 2\nencoding: ascii\n\n0 1\n2 3\n',
      ),
      { source: 'b.nrrd' },
    );
    assert.deepEqual(Array.from(volumeLabelMap(ascii).data), [0, 1, 2, 3]);
    assert.deepEqual([...ascii.geometry.spacing], [0.5, 0.25, 2]);
    assert.ok(ascii.notes.some((n) => /no space directions/.test(n)));
    const be = new Uint8Array([0, 1, 1, 0, 0, 2, 0, 3]); // 1, 256, 2, 3 as big-endian int16
    const v = readVolume(
      cat(
        enc(
          'NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 1\nspace: RAS\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nendian: big\nencoding: raw\n\n',
        ),
        be,
      ),
      { source: 'c.nrrd' },
    );
    assert.deepEqual(Array.from(v.data), [1, 256, 2, 3]);
    assert.equal(orientationCode(v.geometry), 'RAS');
  });

  it('a detached .nhdr and an .mhd are read with their data files next to them', () => {
    const dir = makeTempDir('seglens-nhdr').path;
    try {
      writeFileSync(join(dir, 'd.raw'), new Uint8Array([5, 6, 7, 8]));
      writeFileSync(
        join(dir, 'd.nhdr'),
        'NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 1\nencoding: raw\ndata file: d.raw\n',
      );
      assert.deepEqual(Array.from(loadVolumeFile('d.nhdr', { cwd: dir }).data), [5, 6, 7, 8]);
      writeFileSync(
        join(dir, 'm.mhd'),
        'ObjectType = Image\nNDims = 3\nDimSize = 2 1 1\nElementType = MET_SHORT\nElementNumberOfChannels = 2\n' +
          'BinaryDataByteOrderMSB = True\nElementSpacing = 1 1 1\nElementDataFile = m.raw\n',
      );
      // Two voxels × two channels, big-endian int16, channels interleaved: (1, 2), (3, 4).
      writeFileSync(join(dir, 'm.raw'), new Uint8Array([0, 1, 0, 2, 0, 3, 0, 4]));
      const m = loadVolumeFile('m.mhd', { cwd: dir });
      assert.equal(m.channels, 2);
      assert.deepEqual(Array.from(m.data), [1, 3, 2, 4]);
      assert.equal(orientationCode(m.geometry), 'LPS', 'ITK identity directions are LPS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a big-endian NIfTI-1 with only pixdim (method 1)', () => {
    const h = new DataView(new ArrayBuffer(352 + 4));
    h.setInt32(0, 348, false);
    [3, 2, 1, 1, 1, 1, 1, 1].forEach((d, i) => h.setInt16(40 + 2 * i, d, false));
    h.setInt16(70, 4, false); // int16
    h.setInt16(72, 16, false);
    [1, 0.7, 0.8, 0.9].forEach((p, i) => h.setFloat32(76 + 4 * i, p, false));
    h.setFloat32(108, 352, false);
    [0x6e, 0x2b, 0x31, 0].forEach((b, i) => h.setUint8(344 + i, b));
    h.setInt16(352, 300, false);
    h.setInt16(354, -2, false);
    const v = readVolume(new Uint8Array(h.buffer), { source: 'be.nii' });
    assert.deepEqual(Array.from(v.data), [300, -2]);
    assert.deepEqual(
      v.geometry.spacing.map((s) => Math.round(s * 10) / 10),
      [0.7, 0.8, 0.9],
    );
    assert.deepEqual([...v.geometry.origin], [0, 0, 0]);
    assert.ok(v.notes.some((n) => /pixdim only/.test(n)));
    assert.throws(() => volumeLabelMap(v), /negative label -2 at voxel \(i 1, j 0, k 0\)/);
  });
});

describe('volume header variants (2-D)', () => {
  it('a 2-D NRRD with 2-vector directions is a rank-2 volume of shape [nj, ni]', () => {
    const head =
      'NRRD0004\ntype: uchar\ndimension: 2\nspace dimension: 2\nsizes: 3 2\n' +
      'space directions: (0.5,0) (0,2)\nspace origin: (1,2)\nencoding: raw\n\n';
    const v = readVolume(cat(enc(head), new Uint8Array([0, 1, 2, 3, 4, 5])), { source: 'e.nrrd' });
    assert.equal(v.geometry.rank, 2);
    assert.deepEqual([...v.geometry.spacing], [0.5, 2, 1]);
    assert.deepEqual([...v.geometry.origin], [1, 2, 0]);
    const m = volumeLabelMap(v);
    assert.deepEqual(m.shape, [2, 3]);
    assert.deepEqual(Array.from(m.data), [0, 1, 2, 3, 4, 5]);
    assert.throws(
      () => readVolume(enc(head), { source: 'e.nrrd' }),
      /holds 0 bytes but the header announces 6/,
    );
  });
});
