import assert from 'node:assert/strict';
import {
  DEFAULT_PAIRING_RULES,
  ListDir,
  assignRoles,
  isOpenable,
  looksLikeMask,
  pairSample,
  roleOf,
} from '../../../../src/node/io/pairing';

/** A virtual file system: paths of files; folders are implied. */
function fs(files: string[]): ListDir {
  return async (dir) => {
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    const names = new Set<string>();
    for (const f of files) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]);
    return names.size ? [...names] : undefined;
  };
}

const R = DEFAULT_PAIRING_RULES;

describe('host/imaging: pairing', () => {
  it('pairs images/ with masks/ by stem (docs/architecture.md §3)', async () => {
    const list = fs(['/d/images/a.png', '/d/images/b.png', '/d/masks/a.png', '/d/masks/b.png']);
    const r = await pairSample('/d/images/a.png', R, list);
    assert.equal(r.image, '/d/images/a.png');
    assert.equal(r.gt, '/d/masks/a.png');
    assert.match(r.notes[0], /masks\/a\.png paired from the sibling folder/);
  });

  it('tries labels/ and gt/ too, and matches folder names case-insensitively', async () => {
    assert.equal(
      (await pairSample('/d/img/x.jpg', R, fs(['/d/img/x.jpg', '/d/Labels/x.png']))).gt,
      '/d/Labels/x.png',
    );
    assert.equal(
      (await pairSample('/d/images/x.jpg', R, fs(['/d/images/x.jpg', '/d/gt/x.tif']))).gt,
      '/d/gt/x.tif',
    );
  });

  it('prefers lossless mask formats when several share the stem', async () => {
    const r = await pairSample(
      '/d/images/a.jpg',
      R,
      fs(['/d/images/a.jpg', '/d/masks/a.jpg', '/d/masks/a.png', '/d/masks/a.npy']),
    );
    assert.equal(r.gt, '/d/masks/a.png');
  });

  it('pairs by suffix in the same folder before looking at sibling folders', async () => {
    const list = fs(['/d/x/scan.png', '/d/x/scan_mask.png', '/d/masks/scan.png']);
    const r = await pairSample('/d/x/scan.png', R, list);
    assert.equal(r.gt, '/d/x/scan_mask.png');
    assert.match(r.notes[0], /by its suffix/);
    assert.equal(
      (await pairSample('/d/x/s.png', R, fs(['/d/x/s.png', '/d/x/s_gt.npy']))).gt,
      '/d/x/s_gt.npy',
    );
    assert.equal(
      (await pairSample('/d/x/s.png', R, fs(['/d/x/s.png', '/d/x/s_label.bmp']))).gt,
      '/d/x/s_label.bmp',
    );
  });

  it('accepts a suffixed name inside the sibling folder', async () => {
    const r = await pairSample('/d/images/a.png', R, fs(['/d/images/a.png', '/d/masks/a_mask.png']));
    assert.equal(r.gt, '/d/masks/a_mask.png');
  });

  it('finds the image of an opened mask (reverse pairing)', async () => {
    const sib = await pairSample('/d/masks/a.png', R, fs(['/d/images/a.jpg', '/d/masks/a.png']));
    assert.deepEqual([sib.image, sib.gt], ['/d/images/a.jpg', '/d/masks/a.png']);
    const suf = await pairSample('/d/x/a_mask.png', R, fs(['/d/x/a.png', '/d/x/a_mask.png']));
    assert.deepEqual([suf.image, suf.gt], ['/d/x/a.png', '/d/x/a_mask.png']);
    const both = await pairSample('/d/masks/a_gt.png', R, fs(['/d/images/a.png', '/d/masks/a_gt.png']));
    assert.equal(both.image, '/d/images/a.png');
  });

  it('reports what it looked for when nothing matches, and never pairs a file with itself', async () => {
    const r = await pairSample(
      '/d/images/a.png',
      R,
      fs(['/d/images/a.png', '/d/masks/b.png', '/d/images/a.txt']),
    );
    assert.equal(r.gt, undefined);
    assert.match(
      r.notes[0],
      /No ground truth found \(looked for a_mask\.\*, a_gt\.\*, a_label\.\*, \.\.\/masks\/a\.\*/,
    );
    const alone = await pairSample('/d/masks/m.png', R, fs(['/d/masks/m.png']));
    assert.deepEqual([alone.image, alone.gt], [undefined, '/d/masks/m.png']);
  });

  it('ignores non-openable partners and missing folders', async () => {
    const r = await pairSample('/d/images/a.png', R, fs(['/d/images/a.png', '/d/masks/a.txt']));
    assert.equal(r.gt, undefined);
    assert.equal((await pairSample('/a.png', R, async () => undefined)).gt, undefined);
  });

  it('follows configured rules', async () => {
    const rules = { ...R, imageFolders: ['raw'], maskFolders: ['seg'], maskSuffixes: ['-seg'] };
    assert.equal(
      (await pairSample('/d/raw/a.png', rules, fs(['/d/raw/a.png', '/d/seg/a.png']))).gt,
      '/d/seg/a.png',
    );
    assert.equal(
      (await pairSample('/d/q/a.png', rules, fs(['/d/q/a.png', '/d/q/a-seg.png']))).gt,
      '/d/q/a-seg.png',
    );
    assert.equal(
      (await pairSample('/d/images/a.png', rules, fs(['/d/images/a.png', '/d/masks/a.png']))).gt,
      undefined,
    );
  });

  it('classifies names', () => {
    assert.equal(looksLikeMask('/d/masks/a.png'), true);
    assert.equal(looksLikeMask('/d/x/a_GT.png'), true);
    assert.equal(looksLikeMask('/d/x/_mask.png'), false, 'a bare suffix is a name, not a suffix');
    assert.equal(looksLikeMask('/d/images/a.png'), false);
    for (const e of ['png', 'JPG', 'jpeg', 'tif', 'tiff', 'bmp', 'webp', 'npy', 'npz'])
      assert.ok(isOpenable(`/a.${e}`), e);
    for (const e of ['gif', 'txt', 'nii', '']) assert.ok(!isOpenable(`/a.${e}`), e);
  });
});

describe('host/imaging: pairing probability maps and multi-selections', () => {
  it('finds the probability map of an image by suffix or in probs/, only among float formats', async () => {
    const bySuffix = await pairSample(
      '/d/x/a.png',
      R,
      fs(['/d/x/a.png', '/d/x/a_mask.png', '/d/x/a_prob.npy']),
    );
    assert.deepEqual([bySuffix.gt, bySuffix.prob], ['/d/x/a_mask.png', '/d/x/a_prob.npy']);
    const byFolder = await pairSample(
      '/d/images/a.png',
      R,
      fs(['/d/images/a.png', '/d/masks/a.png', '/d/probs/a.npz']),
    );
    assert.equal(byFolder.prob, '/d/probs/a.npz');
    assert.match(byFolder.notes.join(' '), /Probability map probs\/a\.npz paired from the sibling folder/);
    const notFloat = await pairSample('/d/images/a.png', R, fs(['/d/images/a.png', '/d/probs/a.png']));
    assert.equal(notFloat.prob, undefined, 'a PNG is not a probability map');
    assert.doesNotMatch(
      notFloat.notes.join(' '),
      /probability/i,
      'a missing probability map is not worth a note',
    );
  });

  it('opening a probability map finds its image, then the mask of that image', async () => {
    const r = await pairSample(
      '/d/probs/a.npy',
      R,
      fs(['/d/images/a.jpg', '/d/masks/a.png', '/d/probs/a.npy']),
    );
    assert.deepEqual([r.image, r.gt, r.prob], ['/d/images/a.jpg', '/d/masks/a.png', '/d/probs/a.npy']);
    const s = await pairSample('/d/x/a_prob.npy', R, fs(['/d/x/a.png', '/d/x/a_gt.png', '/d/x/a_prob.npy']));
    assert.deepEqual([s.image, s.gt, s.prob], ['/d/x/a.png', '/d/x/a_gt.png', '/d/x/a_prob.npy']);
  });

  it('roles by folder and suffix', () => {
    assert.equal(roleOf('/d/probs/a.npy'), 'prob');
    assert.equal(roleOf('/d/x/a_prob.npy'), 'prob');
    assert.equal(roleOf('/d/labels/a.png'), 'gt');
    assert.equal(roleOf('/d/x/a.png'), 'image');
  });

  it('assigns roles to files picked together; marked files first, then image, then mask', () => {
    assert.deepEqual(assignRoles(['/d/a.png', '/d/a_mask.png', '/d/a_prob.npy']), {
      image: '/d/a.png',
      gt: '/d/a_mask.png',
      prob: '/d/a_prob.npy',
      ignored: [],
    });
    assert.deepEqual(assignRoles(['/d/a.png', '/d/b.png', '/d/masks/a.png']), {
      image: '/d/a.png',
      gt: '/d/masks/a.png',
      ignored: ['/d/b.png'],
    });
    assert.deepEqual(assignRoles(['/d/a.png', '/d/b.png']), {
      image: '/d/a.png',
      gt: '/d/b.png',
      ignored: [],
    });
    assert.deepEqual(assignRoles(['/d/a_mask.png', '/d/b_mask.png']), {
      gt: '/d/a_mask.png',
      ignored: ['/d/b_mask.png'],
    });
  });
});

describe('host/imaging: pairing is the core walk', () => {
  it('returns every model folder of probs/ as a labelled candidate, the first one shown (demo layout)', async () => {
    const files = ['048', '052'].flatMap((n) => [
      `/w/demo/images/slice_${n}.png`,
      `/w/demo/masks/slice_${n}.png`,
      `/w/demo/probs/unet_bce/slice_${n}.npy`,
      `/w/demo/probs/unet_dice_axis_bug/slice_${n}.npy`,
    ]);
    const r = await pairSample('/w/demo/images/slice_052.png', R, fs(files));
    assert.equal(r.gt, '/w/demo/masks/slice_052.png');
    assert.equal(r.prob, '/w/demo/probs/unet_bce/slice_052.npy');
    assert.deepEqual(
      r.probCandidates.map((c) => [c.label, c.path]),
      [
        ['unet_bce', '/w/demo/probs/unet_bce/slice_052.npy'],
        ['unet_dice_axis_bug', '/w/demo/probs/unet_dice_axis_bug/slice_052.npy'],
      ],
    );
    assert.equal(roleOf('/w/demo/probs/unet_bce/slice_052.npy'), 'prob');
  });

  it('keeps rules from settings that predate predictions valid', async () => {
    const legacy = {
      imageFolders: ['images'],
      maskFolders: ['masks'],
      maskSuffixes: ['_mask'],
      probFolders: ['probs'],
      probSuffixes: ['_prob'],
    };
    const r = await pairSample('/d/images/a.png', legacy, fs(['/d/images/a.png', '/d/preds/a.png']));
    assert.equal(r.pred, '/d/preds/a.png', 'default prediction folders apply');
  });
});
