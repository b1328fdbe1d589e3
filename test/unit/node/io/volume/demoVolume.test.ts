/** The committed demo volume (tools/volume/make_demo_volume.py) opens, on one grid, with the demo's classes. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { geometryDifferences } from '../../../../../src/core/volume/compare';
import { orientationCode } from '../../../../../src/core/volume/orientation';
import { volumeLabelMap, volumeProbMap } from '../../../../../src/node/io/volume/maps';
import { readVolume } from '../../../../../src/node/io/volume/read';
import { repoPath } from '../../../../support/repo';

const read = (name: string) =>
  readVolume(new Uint8Array(readFileSync(repoPath('demo/volume', name))), { source: name });

describe('demo/volume', () => {
  it('T1, labels and the 5-class probability volume share one 1 mm RAS grid', () => {
    const t1 = read('t1.nii.gz');
    const labels = read('labels.nii.gz');
    const prob = read('prob_unet_bce.nii.gz');
    assert.equal(orientationCode(t1.geometry), 'RAS');
    assert.deepEqual([...t1.geometry.spacing], [1, 1, 1]);
    assert.deepEqual(geometryDifferences(t1.geometry, labels.geometry), []);
    assert.deepEqual(geometryDifferences(t1.geometry, prob.geometry), []);
    const classes = new Set(volumeLabelMap(labels).data);
    assert.deepEqual([...classes].sort(), [0, 1, 2, 3, 4, 5]);
    const p = volumeProbMap(prob);
    assert.deepEqual(p.shape, [5, ...[...t1.geometry.dims].reverse()]);
    const ids = JSON.parse(readFileSync(repoPath('demo/volume/labels.json'), 'utf8')) as {
      classes: unknown[];
    };
    assert.equal(ids.classes.length, 6);
  });
});
