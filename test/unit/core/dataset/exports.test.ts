// SegLens's own exports never enter a sample or a folder run: on the demo layout with exports written beside the
// images (the old default), into a model folder and into seglens-exports/, pairing finds exactly what it found
// before, and "Run Model on Folder" lists the 12 demo images, not 13.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXPORT_FOLDER,
  exportFileName,
  exportStem,
  isInExports,
  isSegLensExport,
} from '../../../../src/core/dataset/exports';
import { pairFile, type ListDir } from '../../../../src/core/dataset/pairFile';
import { folderImages } from '../../../../src/vscode/model/runOnFolder';
import { repoPath } from '../../../support/repo';
import { useTempDir } from '../../../support/tempDir';

const DEMO = repoPath('demo');

/** The demo folder as it is on disk, plus the extra entries given per folder (nothing is written to demo/). */
function demoWith(extra: Record<string, string[]>): ListDir {
  return async (dir) => {
    let names: string[] | undefined;
    try {
      names = readdirSync(dir);
    } catch {
      names = undefined;
    }
    const add = extra[dir];
    if (!names && !add) return undefined;
    return [...(names ?? []), ...(add ?? [])];
  };
}

describe('dataset: SegLens exports are not data', () => {
  it('names exports with a marker and recognises them (and the old names), not ordinary files', () => {
    assert.equal(exportFileName('slice_068', 'rankdice', 'mask', 'png'), 'slice_068.seglens-rankdice.png');
    assert.equal(
      exportFileName('slice_068', 'threshold', 'metrics', 'csv'),
      'slice_068.seglens-threshold-metrics.csv',
    );
    assert.equal(exportStem('/w/demo/images/slice_068.png'), 'slice_068');
    for (const yes of [
      'slice_068.seglens-rankdice.png',
      'slice_068.seglens-tunedThreshold-metrics.json',
      'slice_068_rankdice.png',
      'slice_068_threshold_metrics.csv',
      EXPORT_FOLDER,
    ])
      assert.ok(isSegLensExport(yes), yes);
    for (const no of ['slice_068.png', 'slice_068_mask.png', 'case_pred.png', 'ranking.png', 'seglens.png'])
      assert.ok(!isSegLensExport(no), no);
    assert.ok(isInExports('/w/seglens-exports/anything.png'));
    assert.ok(!isInExports('/w/demo/images/slice_068.png'));
  });

  it('pairing on the demo layout ignores exports beside the images, in a model folder and in seglens-exports/', async () => {
    const image = join(DEMO, 'images', 'slice_068.png');
    const clean = await pairFile(image, undefined, demoWith({}));
    const polluted = await pairFile(
      image,
      undefined,
      demoWith({
        [join(DEMO, 'images')]: ['slice_068.seglens-rankdice.png', 'slice_068_rankdice.png'],
        [join(DEMO, 'masks')]: ['slice_068.seglens-threshold.png'],
        [join(DEMO, 'probs')]: [EXPORT_FOLDER],
        [join(DEMO, 'probs', EXPORT_FOLDER)]: ['slice_068.npy'],
        [DEMO]: [EXPORT_FOLDER],
        [join(DEMO, EXPORT_FOLDER)]: ['slice_068.seglens-rankdice.png'],
      }),
    );
    assert.equal(clean.gt, join(DEMO, 'masks', 'slice_068.png'));
    assert.deepEqual(polluted, clean);
    assert.deepEqual(
      polluted.probCandidates.map((c) => c.model),
      ['unet_bce', 'unet_dice_axis_bug'],
    );
  });

  describe('Run Model on Folder', () => {
    const tmp = useTempDir('seglens-exports');
    it('lists the 12 demo images, not the masks exported beside them', async () => {
      const images = readdirSync(join(DEMO, 'images'));
      assert.equal(images.length, 12);
      for (const name of images) writeFileSync(join(tmp.path, name), '');
      writeFileSync(join(tmp.path, 'slice_068.seglens-rankdice.png'), '');
      writeFileSync(join(tmp.path, 'slice_068_rankdice.png'), '');
      const listed = await folderImages(tmp.path);
      assert.equal(listed.length, 12);
      assert.ok(listed.every((p) => !isSegLensExport(p)));
    });
  });
});
