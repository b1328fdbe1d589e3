// Which opened volume is the image, the ground truth, the prediction or the probability volume, and which of a
// clicked file's folder-mates complete its set (the fixture folder and the demo's names, nnU-Net folders).
import assert from 'node:assert/strict';
import {
  assignVolumeRoles,
  completeFromFolder,
  volumeEnding,
  volumeRoleOfName,
} from '../../../../src/vscode/volume/roles';

describe('volume roles (vscode/volume/roles)', () => {
  it('endings: the longest volume ending wins, other files have none', () => {
    assert.equal(volumeEnding('a/pred.seg.nrrd'), '.seg.nrrd');
    assert.equal(volumeEnding('CASE.NII.GZ'), '.nii.gz');
    assert.equal(volumeEnding('x.mhd'), '.mhd');
    assert.equal(volumeEnding('x.raw'), undefined);
    assert.equal(volumeEnding('x.gz'), undefined);
  });

  it('roles by name and folder', () => {
    const cases: [string, string][] = [
      ['/d/t1.nii.gz', 'image'],
      ['/d/labels.nii.gz', 'gt'],
      ['/d/case_01_gt.nrrd', 'gt'],
      ['/d/prob_unet_bce.nii.gz', 'prob'],
      ['/d/case_01_prob.nii.gz', 'prob'],
      ['/d/pred.mhd', 'pred'],
      ['/d/pred.seg.nrrd', 'pred'],
      ['/d/Segment_1.seg.nrrd', 'gt'],
      ['/data/labelsTr/la_003.nii.gz', 'gt'],
      ['/data/imagesTr/la_003_0000.nii.gz', 'image'],
      // "ref" and "seg" as words, not inside other words.
      ['/d/prefix.nii', 'image'],
      ['/d/brain_seg.nii', 'gt'],
    ];
    for (const [p, role] of cases) assert.equal(volumeRoleOfName(p), role, p);
  });

  it('files chosen together: one per role, the first wins and the others are noted', () => {
    const r = assignVolumeRoles([
      '/d/image.nii.gz',
      '/d/gt.nii.gz',
      '/d/pred.nii.gz',
      '/d/pred_origin.nii.gz',
    ]);
    assert.deepEqual(r.files, { image: '/d/image.nii.gz', gt: '/d/gt.nii.gz', pred: '/d/pred.nii.gz' });
    assert.match(r.notes[0], /pred_origin\.nii\.gz left out: pred\.nii\.gz is already the pred/);
  });

  it('a clicked file alone: its folder completes the set, same ending first, then the shortest name', () => {
    const fixtures = [
      'config3.json',
      'expected.json',
      'gt.mha',
      'gt.nii.gz',
      'gt.nrrd',
      'image.nii.gz',
      'pred.mhd',
      'pred.nii.gz',
      'pred.seg.nrrd',
      'pred.zraw',
      'pred_direction.nii.gz',
      'pred_nifti2.nii',
      'pred_origin.nii.gz',
      'pred_qform.nii.gz',
      'pred_spacing.nii.gz',
      'prob.nii.gz',
      '._gt.nii.gz',
    ];
    const r = completeFromFolder('/f/gt.nii.gz', fixtures);
    assert.deepEqual(r.files, {
      gt: '/f/gt.nii.gz',
      image: '/f/image.nii.gz',
      pred: '/f/pred.nii.gz',
      prob: '/f/prob.nii.gz',
    });
    // From the NRRD ground truth, the NRRD prediction is preferred.
    assert.equal(completeFromFolder('/f/gt.nrrd', fixtures).files.pred, '/f/pred.seg.nrrd');
    const demo = completeFromFolder('/demo/volume/t1.nii.gz', [
      'README.md',
      'labels.json',
      'labels.nii.gz',
      'prob_unet_bce.nii.gz',
      't1.nii.gz',
    ]);
    assert.deepEqual(demo.files, {
      image: '/demo/volume/t1.nii.gz',
      gt: '/demo/volume/labels.nii.gz',
      prob: '/demo/volume/prob_unet_bce.nii.gz',
    });
    assert.deepEqual(demo.notes, []);
  });
});
