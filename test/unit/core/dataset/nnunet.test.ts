/**
 * The MSD / nnU-Net layouts: raw data (imagesTr/CASE_0000 ↔ labelsTr/CASE, the Decathlon's 4-D files without a
 * channel id) and prediction folders (CASE.nii.gz + CASE.npz), with what does not pair listed and why, and the
 * generated nnU-Net case of test/fixtures/volume.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pairNnUnetPredictions, pairNnUnetRaw, splitVolumeName } from '../../../../src/core/dataset/nnunet';
import { repoPath } from '../../../support/repo';

describe('core/dataset nnU-Net / MSD layouts', () => {
  it('splits compound volume endings', () => {
    assert.deepEqual(splitVolumeName('liver_3_0000.nii.gz'), { stem: 'liver_3_0000', ending: '.nii.gz' });
    assert.deepEqual(splitVolumeName('Seg.seg.nrrd'), { stem: 'Seg', ending: '.seg.nrrd' });
    assert.deepEqual(splitVolumeName('a.MHA'), { stem: 'a', ending: '.mha' });
    assert.equal(splitVolumeName('a.npz'), undefined);
    assert.equal(splitVolumeName('.nii.gz'), undefined);
  });

  it('pairs channels of a case with its label, per split, and lists what does not pair', () => {
    const r = pairNnUnetRaw([
      'Dataset001/imagesTr/brain_001_0001.nii.gz',
      'Dataset001/imagesTr/brain_001_0000.nii.gz',
      'Dataset001/labelsTr/brain_001.nii.gz',
      'Dataset001/imagesTr/brain_002_0000.nii.gz',
      'Dataset001/imagesTr/brain_002_0002.nii.gz',
      'Dataset001/labelsTr/brain_009.nii.gz',
      'Dataset001/imagesTs/brain_100_0000.nii.gz',
      'Dataset001/imagesTr/._brain_001_0000.nii.gz',
      'Dataset001/dataset.json',
    ]);
    assert.ok(r);
    assert.deepEqual(r.cases, [
      {
        id: 'Tr/brain_001',
        images: ['Dataset001/imagesTr/brain_001_0000.nii.gz', 'Dataset001/imagesTr/brain_001_0001.nii.gz'],
        gt: 'Dataset001/labelsTr/brain_001.nii.gz',
      },
      {
        id: 'Tr/brain_002',
        images: ['Dataset001/imagesTr/brain_002_0000.nii.gz', 'Dataset001/imagesTr/brain_002_0002.nii.gz'],
      },
      { id: 'Ts/brain_100', images: ['Dataset001/imagesTs/brain_100_0000.nii.gz'] },
    ]);
    assert.deepEqual(
      r.unmatched.map((u) => [u.path, u.reason.split(' ').slice(0, 4).join(' ')]),
      [
        ['Dataset001/imagesTr/._brain_001_0000.nii.gz', 'macOS resource fork ("._"'],
        ['Dataset001/imagesTr/brain_002_0002.nii.gz', 'case brain_002: channel ids'],
        ['Dataset001/labelsTr/brain_009.nii.gz', 'a label map without'],
      ],
    );
  });

  it('the Decathlon layout (one 4-D file per case, no channel id) pairs by the same name', () => {
    const r = pairNnUnetRaw([
      'Task01_BrainTumour/imagesTr/BRATS_001.nii.gz',
      'Task01_BrainTumour/labelsTr/BRATS_001.nii.gz',
    ]);
    assert.deepEqual(r?.cases, [
      {
        id: 'Tr/BRATS_001',
        images: ['Task01_BrainTumour/imagesTr/BRATS_001.nii.gz'],
        gt: 'Task01_BrainTumour/labelsTr/BRATS_001.nii.gz',
      },
    ]);
    assert.equal(pairNnUnetRaw(['images/a.png', 'labels/a.png']), undefined);
  });

  it('prediction folders: segmentation + probabilities; an .npz alone is unmatched', () => {
    const r = pairNnUnetPredictions([
      'out/case_1.nii.gz',
      'out/case_1.npz',
      'out/case_1.pkl',
      'out/case_2.nii.gz',
      'out/case_3.npz',
    ]);
    assert.deepEqual(r.predictions, [
      { id: 'case_1', pred: 'out/case_1.nii.gz', prob: 'out/case_1.npz' },
      { id: 'case_2', pred: 'out/case_2.nii.gz' },
    ]);
    assert.deepEqual(
      r.unmatched.map((u) => u.path),
      ['out/case_3.npz'],
    );
  });

  it('the generated nnU-Net case of the fixtures pairs (test/unit/cli/volumeMetrics.test.ts scores it)', () => {
    const root = repoPath('test/fixtures/volume/nnunet');
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    const files = walk(root).map((f) => relative(root, f));
    const raw = pairNnUnetRaw(files);
    const preds = pairNnUnetPredictions(files.filter((f) => f.startsWith('predictions/')));
    assert.deepEqual(raw?.cases, [
      { id: 'Tr/case_001', images: ['imagesTr/case_001_0000.nii.gz'], gt: 'labelsTr/case_001.nii.gz' },
    ]);
    assert.deepEqual(preds.predictions, [
      { id: 'case_001', pred: 'predictions/case_001.nii.gz', prob: 'predictions/case_001.npz' },
    ]);
  });
});
