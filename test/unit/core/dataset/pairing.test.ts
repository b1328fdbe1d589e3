/** Pairing rules of docs/architecture.md §3 over path lists (pure; no file system). */
import * as assert from 'node:assert/strict';
import {
  DEFAULT_PAIRING_PATTERNS,
  pairSamples,
  patternsFromRules,
} from '../../../../src/core/dataset/pairing';
import { DEFAULT_PAIRING_RULES } from '../../../../src/core/dataset/roles';
import { compileGlob, matchGlob } from '../../../../src/core/dataset/glob';

describe('dataset/pairing', () => {
  it('pairs sibling folders by stem', () => {
    const r = pairSamples([
      '/d/images/a.png',
      '/d/images/b.jpg',
      '/d/masks/a.png',
      '/d/masks/b.png',
      '/d/probs/a.npy',
      '/d/preds/b.png',
      '/d/notes.txt',
    ]);
    assert.deepEqual(r.samples, [
      { id: 'a', image: '/d/images/a.png', gt: '/d/masks/a.png', prob: '/d/probs/a.npy' },
      { id: 'b', image: '/d/images/b.jpg', gt: '/d/masks/b.png', pred: '/d/preds/b.png' },
    ]);
    assert.deepEqual(r.unmatched, ['/d/notes.txt']);
    assert.deepEqual(r.conflicts, []);
  });

  it('pairs suffixes side by side, case-insensitively, with Windows separators', () => {
    const r = pairSamples([
      'C:\\x\\scan1.PNG',
      'C:\\x\\scan1_mask.png',
      'C:\\x\\scan1_prob.npz',
      'C:\\x\\scan2_GT.png',
    ]);
    assert.deepEqual(r.samples, [
      { id: 'scan1', image: 'C:\\x\\scan1.PNG', gt: 'C:\\x\\scan1_mask.png', prob: 'C:\\x\\scan1_prob.npz' },
      { id: 'scan2', gt: 'C:\\x\\scan2_GT.png' },
    ]);
  });

  it('keeps samples of different folders apart and names them by relative folder', () => {
    const r = pairSamples([
      '/d/run1/images/a.png',
      '/d/run1/labels/a.png',
      '/d/run2/images/a.png',
      '/d/run2/gt/a_gt.png',
    ]);
    assert.deepEqual(
      r.samples.map((s) => [s.id, s.gt]),
      [
        ['run1/a', '/d/run1/labels/a.png'],
        ['run2/a', '/d/run2/gt/a_gt.png'],
      ],
    );
  });

  it('reports several files for one role and uses the first', () => {
    const r = pairSamples(['/d/images/a.png', '/d/images/a.jpg', '/d/masks/a.png']);
    assert.equal(r.samples.length, 1);
    assert.deepEqual(r.conflicts, [
      { id: 'a', role: 'image', used: '/d/images/a.jpg', ignored: ['/d/images/a.png'] },
    ]);
  });

  it('accepts user patterns per role', () => {
    const r = pairSamples(['/d/img/001.tif', '/d/seg/001-label.png', '/d/out/001.npy'], {
      image: ['img/*.tif'],
      gt: ['seg/*-label.png'],
      prob: ['out/*.npy'],
    });
    assert.deepEqual(r.samples, [
      { id: '001', image: '/d/img/001.tif', gt: '/d/seg/001-label.png', prob: '/d/out/001.npy' },
    ]);
  });

  it('compiles globs: first * captures the stem, **/ spans folders, braces alternate', () => {
    const g = compileGlob('**/masks/*_{mask,gt}.png');
    assert.deepEqual(matchGlob(g, '/a/b/masks/x_y_mask.png'), { folder: '/a/b/', stem: 'x_y' });
    assert.equal(matchGlob(g, '/a/b/masks/x.png'), null);
    assert.throws(() => compileGlob('masks/a.png'), /needs a '\*'/);
    assert.throws(() => compileGlob('{a,b/*.png'), /unbalanced/);
  });

  it('pairs the demo layout: one sample per slice, both model folders as candidates, no conflicts', () => {
    const slices = ['048', '052', '092'];
    const paths = slices.flatMap((s) => [
      `demo/images/slice_${s}.png`,
      `demo/masks/slice_${s}.png`,
      `demo/probs/unet_dice_axis_bug/slice_${s}.npy`,
      `demo/probs/unet_bce/slice_${s}.npy`,
    ]);
    const r = pairSamples([...paths, 'demo/models/unet_bce.onnx']);
    assert.deepEqual(r.unmatched, ['demo/models/unet_bce.onnx']);
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.samples[2], {
      id: 'slice_092',
      image: 'demo/images/slice_092.png',
      gt: 'demo/masks/slice_092.png',
      prob: 'demo/probs/unet_bce/slice_092.npy',
      probCandidates: [
        { path: 'demo/probs/unet_bce/slice_092.npy', label: 'unet_bce', model: 'unet_bce' },
        {
          path: 'demo/probs/unet_dice_axis_bug/slice_092.npy',
          label: 'unet_dice_axis_bug',
          model: 'unet_dice_axis_bug',
        },
      ],
    });
    assert.deepEqual(
      r.samples.map((s) => s.id),
      ['slice_048', 'slice_052', 'slice_092'],
    );
  });

  it('puts the flat map first, models A→Z after it; two files in one place are still a conflict', () => {
    const r = pairSamples([
      '/d/images/a.png',
      '/d/probs/u/a.npy',
      '/d/probs/B/a.npy',
      '/d/probs/u/a_prob.npy',
      '/d/probs/a.npy',
      '/d/probs/a.npz',
      '/d/preds/m/a.png',
    ]);
    const [s] = r.samples;
    assert.equal(s.prob, '/d/probs/a.npy');
    assert.deepEqual(s.probCandidates, [
      { path: '/d/probs/a.npy', label: 'probs/a.npy' },
      { path: '/d/probs/B/a.npy', label: 'B', model: 'B' },
      { path: '/d/probs/u/a.npy', label: 'u', model: 'u' },
    ]);
    assert.deepEqual(s.predCandidates, [{ path: '/d/preds/m/a.png', label: 'm', model: 'm' }]);
    assert.deepEqual(r.conflicts, [
      { id: 'a', role: 'prob', used: '/d/probs/a.npy', ignored: ['/d/probs/a.npz'] },
      { id: 'a', role: 'prob', used: '/d/probs/u/a.npy', ignored: ['/d/probs/u/a_prob.npy'] },
    ]);
  });

  it('does not take a project folder called probs/ for a model layout', () => {
    const r = pairSamples(['/home/probs/images/a.npy', '/home/probs/masks/a.png', '/home/probs/x/y/a.npy']);
    assert.deepEqual(r.samples, [
      { id: 'a', image: '/home/probs/images/a.npy', gt: '/home/probs/masks/a.png' },
      { id: 'x/y/a', image: '/home/probs/x/y/a.npy' },
    ]);
  });

  it('pairs volumes by the stem before their whole ending (issue 16)', () => {
    const r = pairSamples([
      '/d/masks/case_01.nii.gz',
      '/d/probs/case_01.nii.gz',
      '/d/masks/b.seg.nrrd',
      '/d/probs/b_prob.nrrd',
      '/d/masks/c.mha',
      '/d/probs/c.mhd',
      '/d/probs/c.zraw',
    ]);
    assert.deepEqual(
      r.samples.map((s) => [s.id, s.gt, s.prob]),
      [
        ['b', '/d/masks/b.seg.nrrd', '/d/probs/b_prob.nrrd'],
        ['c', '/d/masks/c.mha', '/d/probs/c.mhd'],
        ['case_01', '/d/masks/case_01.nii.gz', '/d/probs/case_01.nii.gz'],
      ],
    );
    assert.deepEqual(r.unmatched, ['/d/probs/c.zraw']);
  });

  it('derives its default globs from the same folder and suffix rules as the folder walk', () => {
    assert.deepEqual(DEFAULT_PAIRING_PATTERNS, patternsFromRules(DEFAULT_PAIRING_RULES));
    const p = patternsFromRules({ ...DEFAULT_PAIRING_RULES, maskFolders: ['seg'], maskSuffixes: [] });
    const exts = 'png,tif,tiff,npy,npz,nii.gz,seg.nrrd,nii,nrrd,nhdr,mha,mhd';
    assert.deepEqual(p.gt, [`seg/*.{${exts}}`, `*.{${exts}}`]);
    const r = pairSamples(['/d/images/a.png', '/d/seg/a.png', '/d/masks/a.png'], { gt: p.gt.slice(0, 1) });
    assert.equal(r.samples.find((x) => x.id === 'a')?.gt, '/d/seg/a.png');
  });
});
