/** Pairing rules of DESIGN.md §3 over path lists (pure; no file system). */
import * as assert from 'node:assert/strict';
import { pairSamples } from '../../../src/core/dataset/pairing';
import { compileGlob, matchGlob } from '../../../src/core/dataset/glob';

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
});
