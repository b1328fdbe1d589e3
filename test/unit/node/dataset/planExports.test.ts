import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { planFolder } from '../../../../src/node/dataset/plan';
import { repoPath } from '../../../support/repo';
import { useTempDir } from '../../../support/tempDir';

describe('node/dataset: a folder evaluation never takes SegLens exports for data', () => {
  const tmp = useTempDir('seglens-planexp');

  it('an exported mask beside the images and the export folder are left out, not counted as samples', async () => {
    for (const d of ['images', 'masks', 'probs', 'seglens-exports']) mkdirSync(join(tmp.path, d));
    for (const id of ['slice_048', 'slice_068']) {
      copyFileSync(repoPath(`demo/images/${id}.png`), join(tmp.path, 'images', `${id}.png`));
      copyFileSync(repoPath(`demo/masks/${id}.png`), join(tmp.path, 'masks', `${id}.png`));
      copyFileSync(repoPath(`demo/probs/unet_bce/${id}.npy`), join(tmp.path, 'probs', `${id}.npy`));
    }
    // What the viewer's export wrote before the export folder existed, and what it writes now.
    copyFileSync(repoPath('demo/masks/slice_068.png'), join(tmp.path, 'images', 'slice_068_rankdice.png'));
    copyFileSync(
      repoPath('demo/masks/slice_068.png'),
      join(tmp.path, 'images', 'slice_068.seglens-rankdice.png'),
    );
    copyFileSync(repoPath('demo/masks/slice_068.png'), join(tmp.path, 'seglens-exports', 'slice_068.png'));
    const plan = await planFolder(tmp.path);
    assert.deepEqual(
      plan.items.map((i) => i.id),
      ['slice_048', 'slice_068'],
    );
    assert.ok(!plan.unmatched.some((u) => /seglens|rankdice/.test(u.path)), JSON.stringify(plan.unmatched));
  });
});
