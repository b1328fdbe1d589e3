/**
 * The three volume readers against the reference volumes of tools/volume/make_volume_fixtures.py (NIfTI written by
 * nibabel, NRRD and MetaImage written by hand from their specs): same voxels, same geometry (RAS), same orientation
 * letters as nibabel's aff2axcodes, in every format and encoding.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { orientationCode } from '../../../../../src/core/volume/orientation';
import { readVolume, volumeFormatOf } from '../../../../../src/node/io/volume/read';
import { volumeImage, volumeLabelMap, volumeProbMap } from '../../../../../src/node/io/volume/maps';
import type { Volume } from '../../../../../src/node/io/volume/types';
import { repoPath } from '../../../../support/repo';

const DIR = repoPath('test/fixtures/volume');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  dims: number[];
  arrayShape: number[];
  spacing: number[];
  direction: number[][];
  origin: number[];
  orientation: string;
  imageScale: { sum: number };
  labelCounts: Record<string, number>;
};

export function readFixture(name: string): Volume {
  const path = join(DIR, name);
  return readVolume(new Uint8Array(readFileSync(path)), {
    source: name,
    readCompanion: (f) => new Uint8Array(readFileSync(join(dirname(path), f))),
  });
}

function assertGeometry(v: Volume): void {
  const g = v.geometry;
  assert.deepEqual([...g.dims], expected.dims);
  g.spacing.forEach((s, a) => assert.ok(Math.abs(s - expected.spacing[a]) < 1e-5, `spacing ${a}: ${s}`));
  g.direction.forEach((d, a) =>
    d.forEach((x, r) =>
      assert.ok(Math.abs(x - expected.direction[a][r]) < 1e-5, `direction ${a}.${r}: ${x}`),
    ),
  );
  g.origin.forEach((x, r) => assert.ok(Math.abs(x - expected.origin[r]) < 1e-4, `origin ${r}: ${x}`));
  assert.equal(orientationCode(g), expected.orientation);
}

describe('volume readers (reference volumes)', () => {
  const gtNames = ['gt.nii.gz', 'gt.nrrd', 'gt.mha'];
  const predNames = ['pred.nii.gz', 'pred_nifti2.nii', 'pred_qform.nii.gz', 'pred.seg.nrrd', 'pred.mhd'];

  it('detects each format from the bytes', () => {
    const fmt = (n: string) => volumeFormatOf(new Uint8Array(readFileSync(join(DIR, n))));
    assert.equal(fmt('gt.nii.gz'), 'nifti');
    assert.equal(fmt('pred_nifti2.nii'), 'nifti');
    assert.equal(fmt('gt.nrrd'), 'nrrd');
    assert.equal(fmt('gt.mha'), 'metaimage');
    assert.equal(fmt('pred.mhd'), 'metaimage');
    assert.equal(fmt('pred.zraw'), undefined);
  });

  for (const name of [...gtNames, ...predNames, 'image.nii.gz', 'prob.nii.gz']) {
    it(`${name}: geometry equals nibabel's (spacing, RAS direction, origin, ${expected.orientation})`, () => {
      assertGeometry(readFixture(name));
    });
  }

  it('every GT reader gives the same voxels with the class counts of the script', () => {
    const maps = gtNames.map((n) => volumeLabelMap(readFixture(n)));
    for (const m of maps) {
      assert.deepEqual([...m.shape], expected.arrayShape);
      const counts: Record<string, number> = { '0': 0, '1': 0, '2': 0 };
      for (const x of m.data) counts[String(x)]++;
      assert.deepEqual(counts, expected.labelCounts);
      assert.deepEqual(m.data, maps[0].data);
    }
  });

  it('every prediction reader (NIfTI-1, NIfTI-2, qform only, gzip NRRD int16, zraw uint16) gives the same voxels', () => {
    const maps = predNames.map((n) => volumeLabelMap(readFixture(n)));
    for (const m of maps) assert.deepEqual(Array.from(m.data), Array.from(maps[0].data));
  });

  it('the qform-only file says its geometry came from the qform', () => {
    const v = readFixture('pred_qform.nii.gz');
    assert.ok(
      v.notes.some((n) => /qform/.test(n)),
      v.notes.join('; '),
    );
  });

  it('applies scl_slope / scl_inter to images, never to label maps', () => {
    const v = readFixture('image.nii.gz');
    assert.deepEqual(v.scale, { slope: 0.5, inter: -100 });
    const img = volumeImage(v);
    let sum = 0;
    for (const x of img.data) sum += x;
    assert.ok(Math.abs(sum - expected.imageScale.sum) < 1e-6 * Math.abs(expected.imageScale.sum));
    const asLabels = readFixture('image.nii.gz');
    const m = volumeLabelMap(asLabels);
    assert.equal(m.data[0], (img.data[0] + 100) / 0.5, 'stored value, not scaled');
    assert.ok(asLabels.notes.some((n) => /scl_slope/.test(n)));
  });

  it('reads a 4-D probability volume as [C, k, j, i] whose argmax is the prediction', () => {
    const p = volumeProbMap(readFixture('prob.nii.gz'));
    assert.deepEqual(p.shape, [3, ...expected.arrayShape]);
    const pred = volumeLabelMap(readFixture('pred.nii.gz'));
    const n = pred.data.length;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < 3; c++) if (p.data[c * n + i] > p.data[best * n + i]) best = c;
      assert.equal(best, pred.data[i], `voxel ${i}`);
    }
  });

  it('uses the first volume of a 4-D file as a label map, with a note', () => {
    const v = readFixture('prob.nii.gz');
    assert.throws(() => volumeLabelMap(v), /not a whole number/);
    assert.ok(v.notes.some((n) => /first is used/.test(n)));
  });
});
