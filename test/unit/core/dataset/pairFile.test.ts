/**
 * The folder walk from one opened file (core/dataset/pairFile.ts) over an in-memory directory tree: flat and
 * per-model probability and prediction folders (the demo workspace's layout among them), the order of the
 * candidates, and how many folders the walk lists.
 */
import * as assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { ListDir, pairFile } from '../../../../src/core/dataset/pairFile';
import {
  DEFAULT_PAIRING_RULES,
  assignRoles,
  modelFolderOf,
  roleOf,
} from '../../../../src/core/dataset/roles';
import { repoPath } from '../../../support/repo';

/** A virtual file system from file paths (folders are implied); `listed` records every folder listed. */
function tree(files: string[]): ListDir & { listed: string[] } {
  const listed: string[] = [];
  const list = async (dir: string) => {
    listed.push(dir);
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    const names = new Set<string>();
    for (const f of files) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]);
    return names.size ? [...names] : undefined;
  };
  return Object.assign(list, { listed });
}

const R = DEFAULT_PAIRING_RULES;

/** The demo workspace (demo/): 12 slices, masks, and probability maps of two models, one folder each. */
const SLICES = ['048', '052', '056', '060', '064', '068', '072', '076', '080', '084', '088', '092'];
const DEMO = [
  '/w/demo/labels.json',
  '/w/demo/models/unet_bce.onnx',
  '/w/demo/models/unet_dice_axis_bug.onnx',
  ...SLICES.flatMap((s) => [
    `/w/demo/images/slice_${s}.png`,
    `/w/demo/masks/slice_${s}.png`,
    `/w/demo/probs/unet_bce/slice_${s}.npy`,
    `/w/demo/probs/unet_dice_axis_bug/slice_${s}.npy`,
  ]),
];

describe('dataset/pairFile: per-model probability folders', () => {
  it('opening a demo image finds its mask and both models, the first model A→Z shown', async () => {
    const r = await pairFile('/w/demo/images/slice_060.png', R, tree(DEMO));
    assert.equal(r.image, '/w/demo/images/slice_060.png');
    assert.equal(r.gt, '/w/demo/masks/slice_060.png');
    assert.equal(r.prob, '/w/demo/probs/unet_bce/slice_060.npy');
    assert.deepEqual(r.probCandidates, [
      { path: '/w/demo/probs/unet_bce/slice_060.npy', label: 'unet_bce', model: 'unet_bce' },
      {
        path: '/w/demo/probs/unet_dice_axis_bug/slice_060.npy',
        label: 'unet_dice_axis_bug',
        model: 'unet_dice_axis_bug',
      },
    ]);
    assert.equal(r.pred, undefined);
    assert.deepEqual(r.predCandidates, []);
    assert.deepEqual(r.notes, [
      'Ground truth masks/slice_060.png paired from the sibling folder.',
      'Probability map unet_bce/slice_060.npy paired from the model folder unet_bce.',
      'Probability maps found: unet_bce, unet_dice_axis_bug (showing unet_bce).',
    ]);
  });

  it('pairs the real demo/ folder of the repository the same way', async () => {
    const demo = repoPath('demo').replace(/\\/g, '/');
    const listDir: ListDir = (dir) => readdir(dir).catch(() => undefined);
    const r = await pairFile(`${demo}/images/slice_048.png`, R, listDir);
    assert.equal(r.gt, `${demo}/masks/slice_048.png`);
    assert.deepEqual(
      r.probCandidates.map((c) => [c.label, c.path]),
      [
        ['unet_bce', `${demo}/probs/unet_bce/slice_048.npy`],
        ['unet_dice_axis_bug', `${demo}/probs/unet_dice_axis_bug/slice_048.npy`],
      ],
    );
  });

  it('opening one model’s map shows that map, finds the image through probs/, and lists every model', async () => {
    const opened = '/w/demo/probs/unet_dice_axis_bug/slice_092.npy';
    const r = await pairFile(opened, R, tree(DEMO));
    assert.deepEqual(
      [r.image, r.gt, r.prob],
      ['/w/demo/images/slice_092.png', '/w/demo/masks/slice_092.png', opened],
    );
    assert.deepEqual(
      r.probCandidates.map((c) => c.label),
      ['unet_bce', 'unet_dice_axis_bug'],
    );
    assert.equal(r.notes[0], 'Image images/slice_092.png paired from the sibling folder.');
    assert.equal(
      r.notes.at(-1),
      'Probability maps found: unet_bce, unet_dice_axis_bug (showing unet_dice_axis_bug).',
    );
  });

  it('orders candidates: suffix, flat folder files, then model folders A→Z ignoring case, across probs/ and probabilities/', async () => {
    const files = [
      '/d/images/a.png',
      '/d/images/a_prob.npy',
      '/d/probs/a.npy',
      '/d/probs/b.npy',
      '/d/probs/zeta/a.npy',
      '/d/probs/Beta/a.npz',
      '/d/probabilities/a.tif',
      '/d/probabilities/alpha/a_prob.npy',
      '/d/probabilities/gamma/b.npy',
    ];
    const r = await pairFile('/d/images/a.png', R, tree(files));
    assert.deepEqual(r.probCandidates, [
      { path: '/d/images/a_prob.npy', label: 'a_prob.npy' },
      { path: '/d/probs/a.npy', label: 'probs/a.npy' },
      { path: '/d/probabilities/a.tif', label: 'probabilities/a.tif' },
      { path: '/d/probabilities/alpha/a_prob.npy', label: 'alpha', model: 'alpha' },
      { path: '/d/probs/Beta/a.npz', label: 'Beta', model: 'Beta' },
      { path: '/d/probs/zeta/a.npy', label: 'zeta', model: 'zeta' },
    ]);
    assert.equal(r.prob, '/d/images/a_prob.npy', 'the single prob stays the first candidate');
    assert.match(r.notes.join('\n'), /Probability map a_prob\.npy paired by its suffix\./);
  });

  it('keeps the flat probs/<stem>.npy first and as the one shown', async () => {
    const r = await pairFile(
      '/d/images/a.png',
      R,
      tree(['/d/images/a.png', '/d/probs/a.npy', '/d/probs/m1/a.npy']),
    );
    assert.equal(r.prob, '/d/probs/a.npy');
    assert.deepEqual(
      r.probCandidates.map((c) => c.label),
      ['probs/a.npy', 'm1'],
    );
  });

  it('skips model folders without the stem, non-float maps, hidden entries, and never lists files', async () => {
    const fs = tree([
      '/d/images/a.png',
      '/d/probs/b.npy',
      '/d/probs/c.npy',
      '/d/probs/m1/b.npy',
      '/d/probs/m2/a.png',
      '/d/probs/.cache/a.npy',
      '/d/probs/m3/a.npy',
    ]);
    const r = await pairFile('/d/images/a.png', R, fs);
    assert.deepEqual(r.probCandidates, [{ path: '/d/probs/m3/a.npy', label: 'm3', model: 'm3' }]);
    assert.deepEqual(r.notes.slice(1), ['Probability map m3/a.npy paired from the model folder m3.']);
    assert.ok(
      !fs.listed.includes('/d/probs/b.npy') && !fs.listed.includes('/d/probs/c.npy'),
      fs.listed.join(),
    );
    assert.ok(!fs.listed.includes('/d/probs/.cache'));
  });

  it('lists a file opened directly even when the walk cannot reach it (no image found)', async () => {
    const r = await pairFile('/d/probs/m1/a.npy', R, tree(['/d/probs/m1/a.npy']));
    assert.equal(r.image, undefined);
    assert.equal(r.prob, '/d/probs/m1/a.npy');
    assert.deepEqual(r.probCandidates, [{ path: '/d/probs/m1/a.npy', label: 'm1', model: 'm1' }]);
    assert.deepEqual(r.notes, ['No matching image found for a.npy.']);
  });
});

describe('dataset/pairFile: predictions', () => {
  it('finds predictions by suffix, in preds/ and in preds/<model>/, preferring PNG over JPEG', async () => {
    const files = [
      '/d/images/a.png',
      '/d/masks/a.png',
      '/d/preds/a.jpg',
      '/d/preds/a.png',
      '/d/predictions/unet/a.png',
      '/d/predictions/deeplab/a_pred.npy',
    ];
    const r = await pairFile('/d/images/a.png', R, tree(files));
    assert.equal(r.gt, '/d/masks/a.png');
    assert.deepEqual(r.predCandidates, [
      { path: '/d/preds/a.png', label: 'preds/a.png' },
      { path: '/d/predictions/deeplab/a_pred.npy', label: 'deeplab', model: 'deeplab' },
      { path: '/d/predictions/unet/a.png', label: 'unet', model: 'unet' },
    ]);
    assert.equal(r.pred, '/d/preds/a.png');
    assert.deepEqual(r.probCandidates, []);
    const side = await pairFile('/d/x/a.png', R, tree(['/d/x/a.png', '/d/x/a_pred.png', '/d/x/a_gt.png']));
    assert.deepEqual([side.gt, side.pred], ['/d/x/a_gt.png', '/d/x/a_pred.png']);
  });

  it('opening a prediction in a model folder finds the image, mask and probability maps', async () => {
    const files = ['/d/images/a.png', '/d/masks/a.png', '/d/preds/unet/a.png', '/d/probs/unet/a.npy'];
    const r = await pairFile('/d/preds/unet/a.png', R, tree(files));
    assert.deepEqual(
      [r.image, r.gt, r.pred, r.prob],
      ['/d/images/a.png', '/d/masks/a.png', '/d/preds/unet/a.png', '/d/probs/unet/a.npy'],
    );
    assert.deepEqual(r.predCandidates, [{ path: '/d/preds/unet/a.png', label: 'unet', model: 'unet' }]);
  });
});

describe('dataset/roles: model folders', () => {
  it('classifies files in role/<model>/ folders by the role folder, if the format fits', () => {
    assert.equal(roleOf('/d/probs/unet/a.npy'), 'prob');
    assert.equal(roleOf('/d/probabilities/unet/a.tif'), 'prob');
    assert.equal(roleOf('/d/probs/unet/a.png'), 'image', 'a PNG is not a probability map');
    assert.equal(roleOf('/d/preds/unet/a.png'), 'pred');
    assert.equal(roleOf('/d/preds/a.png'), 'pred');
    assert.equal(roleOf('/d/x/a_pred.png'), 'pred');
    assert.equal(roleOf('/d/masks/unet/a.png'), 'image', 'masks have no model folders');
    assert.equal(modelFolderOf('/d/probs/unet/a.npy', 'prob'), 'unet');
    assert.equal(modelFolderOf('/d/probs/a.npy', 'prob'), undefined);
    assert.equal(modelFolderOf('/probs/a.npy', 'prob'), undefined);
    assert.equal(modelFolderOf('/d/preds/unet/a.png', 'prob'), undefined);
    // A project folder that happens to be called "pred" or "probs" is not a model layout.
    assert.equal(roleOf('/home/pred/images/a.png'), 'image');
    assert.equal(roleOf('/home/probs/masks/a.npy'), 'gt');
    assert.equal(modelFolderOf('/home/probs/images/a.npy', 'prob'), undefined);
  });

  it('gives predictions their own slot when files are picked together', () => {
    assert.deepEqual(assignRoles(['/d/a.png', '/d/preds/m/a.png', '/d/masks/a.png', '/d/preds/a.png']), {
      image: '/d/a.png',
      pred: '/d/preds/m/a.png',
      gt: '/d/masks/a.png',
      ignored: ['/d/preds/a.png'],
    });
  });
});
