/**
 * `seglens decode` on a probability volume: decoded whole per class, the mask written as NIfTI on the input's grid
 * (sform and qform both readable), argmax equal to the prediction the fixture script derived the probabilities from.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../../../src/core/io/npy';
import { geometryDifferences } from '../../../src/core/volume/compare';
import { volumeLabelMap } from '../../../src/node/io/volume/maps';
import { readVolume } from '../../../src/node/io/volume/read';
import { repoPath } from '../../support/repo';
import { cli } from './cliHelper';
import { makeTempDir } from '../../support/tempDir';

const DIR = repoPath('test/fixtures/volume');
const read = (path: string) => readVolume(new Uint8Array(readFileSync(path)), { source: path });

describe('seglens decode on volumes', () => {
  let out: string;
  before(() => (out = makeTempDir('seglens-volume').path));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('argmax of prob.nii.gz written as .nii.gz equals pred.nii.gz on the same grid', async () => {
    const target = join(out, 'argmax.nii.gz');
    const r = await cli(
      ['decode', '--input', 'prob.nii.gz', '--decoder', 'argmax', '--output', target, '--json'],
      DIR,
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { shape: number[]; notes: string[] };
    assert.deepEqual(json.shape, [1, 3, 16, 20, 24]);
    assert.ok(
      json.notes.some((n) => /volume 24×20×16 at 0\.8×1\.1×2\.5 mm \(3 channels\) decoded whole/.test(n)),
    );
    const written = read(target);
    const pred = read(join(DIR, 'pred.nii.gz'));
    assert.deepEqual(geometryDifferences(written.geometry, pred.geometry), []);
    assert.equal(written.dtype, 'uint8');
    assert.deepEqual(volumeLabelMap(written).data, volumeLabelMap(pred).data);
  });

  it('the written qform alone gives the same grid (quaternion and qfac of a flipped oblique axis set)', async () => {
    const target = join(out, 'q.nii');
    const r = await cli(['decode', '--input', 'prob.nii.gz', '--decoder', 'argmax', '--output', target], DIR);
    assert.equal(r.code, 0, r.stderr);
    const bytes = new Uint8Array(readFileSync(target));
    new DataView(bytes.buffer, bytes.byteOffset).setInt16(254, 0, true); // sform_code 0: the reader must use the qform
    const v = readVolume(bytes, { source: 'q.nii' });
    assert.ok(v.notes.some((n) => /qform/.test(n)));
    assert.deepEqual(geometryDifferences(v.geometry, read(join(DIR, 'pred.nii.gz')).geometry), []);
  });

  it('multilabel output is one volume per class (4-D NIfTI)', async () => {
    const target = join(out, 'ml.nii.gz');
    const r = await cli(
      [
        'decode',
        '--input',
        'prob.nii.gz',
        '--decoder',
        'threshold',
        '--threshold',
        '0.5',
        '--output',
        target,
      ],
      DIR,
    );
    assert.equal(r.code, 0, r.stderr);
    const v = read(target);
    assert.equal(v.channels, 3);
    const pred = volumeLabelMap(read(join(DIR, 'pred.nii.gz')));
    const n = pred.data.length;
    for (let i = 0; i < n; i++)
      for (let c = 0; c < 3; c++) assert.equal(v.data[c * n + i], pred.data[i] === c ? 1 : 0);
  });

  it('--per-slice decodes each slice along k on its own: equal to decoding that slice cut out as a .npy', async () => {
    const target = join(out, 'per-slice.nii.gz');
    const r = await cli(
      [
        'decode',
        '--input',
        'prob.nii.gz',
        '--decoder',
        'rankdice',
        '--per-slice',
        '--output',
        target,
        '--json',
      ],
      DIR,
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as {
      shape: number[];
      notes: string[];
      images: { classes: { k: number }[] }[];
    };
    assert.deepEqual(json.shape, [16, 3, 20, 24]);
    assert.equal(json.images.length, 16);
    assert.ok(json.notes.some((n) => /decoded per slice: image b is slice k = b .*16 slices/.test(n)));
    const written = read(target);
    assert.equal(written.channels, 3);
    assert.deepEqual(geometryDifferences(written.geometry, read(join(DIR, 'pred.nii.gz')).geometry), []);
    // The reference: each slice's [3, 20, 24] probabilities cut from the file's data by index, decoded alone.
    const prob = read(join(DIR, 'prob.nii.gz'));
    const [C, K, P] = [3, 16, 20 * 24];
    const scaled = (x: number) => x * prob.scale.slope + prob.scale.inter;
    for (let k = 0; k < K; k++) {
      const slice = new Float32Array(C * P);
      for (let c = 0; c < C; c++)
        for (let p = 0; p < P; p++) slice[c * P + p] = scaled(Number(prob.data[(c * K + k) * P + p]));
      const file = join(out, `slice${k}.npy`);
      writeFileSync(file, writeNpy({ dtype: 'float32', shape: [C, 20, 24], data: slice }));
      const maskFile = join(out, `slice${k}_mask.npy`);
      const one = await cli(
        ['decode', '--input', file, '--decoder', 'rankdice', '--output', maskFile, '--json', '--force'],
        DIR,
      );
      assert.equal(one.code, 0, one.stderr);
      const alone = JSON.parse(one.stdout) as { images: { classes: { k: number }[] }[] };
      assert.deepEqual(
        json.images[k].classes.map((c) => c.k),
        alone.images[0].classes.map((c) => c.k),
        `slice ${k}`,
      );
      const mask = readNpy(new Uint8Array(readFileSync(maskFile)), { source: maskFile }).data;
      for (let c = 0; c < C; c++)
        for (let p = 0; p < P; p++)
          assert.equal(
            Number(written.data[(c * K + k) * P + p]),
            Number(mask[c * P + p]),
            `slice ${k} class ${c}`,
          );
    }
  });

  it('--per-slice argmax (multiclass) writes the label volume in the file layout: equal to pred.nii.gz', async () => {
    const target = join(out, 'per-slice-argmax.nii.gz');
    const r = await cli(
      ['decode', '--input', 'prob.nii.gz', '--decoder', 'argmax', '--per-slice', '--output', target],
      DIR,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(volumeLabelMap(read(target)).data, volumeLabelMap(read(join(DIR, 'pred.nii.gz'))).data);
  });

  it('--per-slice on a .npy input is a usage error (exit 2)', async () => {
    const r = await cli(
      [
        'decode',
        '--input',
        repoPath('test/fixtures/metrics/p08_probability_binary/img0_prob.npy'),
        '--decoder',
        'rankdice',
        '--per-slice',
      ],
      DIR,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--per-slice needs a volume --input/);
  });

  it('refuses a .nii output for a .npy input (no grid to write) with exit 2', async () => {
    const r = await cli(
      [
        'decode',
        '--input',
        repoPath('test/fixtures/metrics/p08_probability_binary/img0_prob.npy'),
        '--decoder',
        'argmax',
        '--output',
        join(out, 'x.nii'),
      ],
      DIR,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs a volume --input/);
  });
});
