// The volume viewer's worker task: the fixture trio's metrics equal the NumPy/SciPy reference
// (test/fixtures/volume/expected.json, tools/volume/make_volume_fixtures.py), a grid mismatch comes back naming
// both files and the property, a probability volume thresholded in the worker equals p > t brute force, and the
// per-slice error counts add up to the class's FP + FN.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadVolumeFile } from '../../../../src/node/io/load';
import { volumeLabelMap, volumeProbMap } from '../../../../src/node/io/volume/maps';
import {
  foregroundCentre,
  loadVolumeSet,
  volumeSetTransfers,
  type VolumeSetResult,
} from '../../../../src/node/volume/volumeSet';
import { VOLUME_TASKS } from '../../../../src/node/volume/volumeTask';
import { repoPath } from '../../../support/repo';

const F = (name: string) => repoPath('test', 'fixtures', 'volume', name);
const expected = JSON.parse(readFileSync(F('expected.json'), 'utf8')) as {
  dims: number[];
  metrics: Record<
    string,
    { tp: number; fp: number; fn: number; dice: number; iou: number; hd95: number; assd: number }
  >;
};
const close = (a: number, b: number, rel = 1e-6) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

function volumes(r: ReturnType<typeof loadVolumeSet>): VolumeSetResult {
  assert.equal(r.kind, 'volumes', r.kind === 'mismatch' ? r.message : '');
  return r as VolumeSetResult;
}

describe('volume viewer worker task (node/volume/volumeSet)', () => {
  it('image + GT + prediction: Dice, IoU, HD95 and ASSD in mm equal the NumPy/SciPy reference', () => {
    const r = volumes(
      loadVolumeSet({ files: { image: F('image.nii.gz'), gt: F('gt.nii.gz'), pred: F('pred.nii.gz') } }),
    );
    assert.deepEqual(r.geometry.dims, expected.dims);
    assert.equal(r.orientation, 'LAS');
    assert.equal(r.numClasses, 3);
    assert.deepEqual(
      r.rows.map((x) => x.cls),
      [1, 2],
    );
    for (const row of r.rows) {
      const e = expected.metrics[String(row.cls)];
      close(row.dice, e.dice, 1e-12);
      close(row.iou, e.iou, 1e-12);
      // The header stores the spacing as float32: distances agree to float32 precision.
      close(row.hd95, e.hd95);
      close(row.assd, e.assd);
      assert.equal(row.gtVoxels, e.tp + e.fn);
      assert.equal(row.predVoxels, e.tp + e.fp);
      close(row.gtMm3, (e.tp + e.fn) * 0.8 * 1.1 * 2.5);
      // Every FP and FN voxel is counted once along each axis.
      for (const along of row.errorsAlong)
        assert.equal(
          along.reduce((a, b) => a + b, 0),
          e.fp + e.fn,
        );
    }
    // Unmatched 3-D objects (26-connected), as scipy.ndimage.label with a 3×3×3 structure finds them: class 1 has
    // none, class 2 one spurious object of 8 voxels; its voxel is predicted 2 on a non-2 ground truth.
    assert.deepEqual([r.rows[0].missed, r.rows[0].spurious, r.rows[1].missed], [[], [], []]);
    assert.deepEqual(
      r.rows[1].spurious.map((o) => o.size),
      [8],
    );
    const [i, j, k] = r.rows[1].spurious[0].voxel;
    const at = i + 24 * (j + 20 * k);
    assert.equal(r.pred![at], 2);
    assert.notEqual(r.gt![at], 2);
    assert.ok(
      r.image && r.image.low >= r.image.min && r.image.high <= r.image.max && r.image.high > r.image.low,
    );
    assert.ok(r.notes.some((n) => /scl_slope 0\.5/.test(n)));
    // Each voxel array owns its buffer, so all three are transferred.
    assert.equal(volumeSetTransfers(r).length, 3);
  });

  it('the crosshair starts at the centre of the ground truth (ignore label left out), else of the grid', () => {
    const labels = new Uint8Array(4 * 3 * 2);
    labels[1 + 4 * 0 + 12 * 0] = 1; // (1, 0, 0)
    labels[3 + 4 * 2 + 12 * 1] = 2; // (3, 2, 1)
    labels[0 + 4 * 2 + 12 * 1] = 255; // ignored
    assert.deepEqual(foregroundCentre(labels, [4, 3, 2], 255), [2, 1, 1]);
    assert.equal(foregroundCentre(new Uint8Array(24), [4, 3, 2], 255), undefined);
    const r = volumes(loadVolumeSet({ files: { image: F('image.nii.gz') } }));
    assert.deepEqual(r.centre, [12, 10, 8]);
  });

  it('a grid mismatch comes back with both files and the property, nothing resampled', () => {
    for (const [file, property] of [
      ['pred_spacing.nii.gz', 'spacing'],
      ['pred_origin.nii.gz', 'origin'],
      ['pred_direction.nii.gz', 'direction'],
    ]) {
      const r = loadVolumeSet({ files: { gt: F('gt.nii.gz'), pred: F(file) } });
      assert.equal(r.kind, 'mismatch');
      if (r.kind !== 'mismatch') return;
      assert.deepEqual(r.files, [F('gt.nii.gz'), F(file)]);
      assert.equal(r.differences[0].property, property);
      assert.match(r.message, new RegExp(`${property} .*gt\\.nii\\.gz.* vs .*${file.replace('.', '\\.')}`));
    }
  });

  it('mixed formats on the same grid (NIfTI GT, NRRD and MetaImage predictions) give the same numbers', () => {
    for (const pred of ['pred.seg.nrrd', 'pred.mhd']) {
      const r = volumes(loadVolumeSet({ files: { gt: F('gt.nrrd'), pred: F(pred) } }));
      close(r.rows[0].dice, expected.metrics['1'].dice, 1e-12);
      close(r.rows[1].hd95, expected.metrics['2'].hd95);
    }
  });

  it('the preview reads every file but the probability volume and scores nothing; the full set is unchanged', () => {
    const files = { image: F('image.nii.gz'), gt: F('gt.nii.gz'), prob: F('prob.nii.gz') };
    const p = volumes(loadVolumeSet({ files, preview: true }));
    assert.equal(p.heat, undefined);
    assert.equal(p.pred, undefined);
    assert.equal(p.predFrom, undefined);
    assert.deepEqual(p.rows, []);
    const full = volumes(loadVolumeSet({ files }));
    assert.deepEqual(p.gt, full.gt);
    assert.deepEqual(p.image?.data, full.image?.data);
    assert.deepEqual(p.centre, full.centre);
    assert.ok(full.heat && full.pred && full.rows.length > 0);
    // With a prediction file the preview shows it (the error map) but still scores nothing.
    const withPred = volumes(
      loadVolumeSet({ files: { gt: F('gt.nii.gz'), pred: F('pred.nii.gz') }, preview: true }),
    );
    assert.ok(withPred.pred);
    assert.deepEqual(withPred.rows, []);
  });

  it('a probability volume decoded by the threshold decoder in the worker equals p > t brute force', () => {
    const t = 0.3;
    const r = volumes(
      loadVolumeSet({
        files: { gt: F('gt.nii.gz'), prob: F('prob.nii.gz') },
        decoder: 'threshold',
        threshold: t,
      }),
    );
    assert.deepEqual(r.predFrom && 'decoder' in r.predFrom ? r.predFrom.decoder : undefined, 'threshold');
    const prob = volumeProbMap(loadVolumeFile(F('prob.nii.gz')));
    const [C] = prob.shape;
    const n = prob.data.length / C;
    // Brute force: the multiclass label of the threshold decoder is the most probable foreground class above t.
    const gt = volumeLabelMap(loadVolumeFile(F('gt.nii.gz')));
    assert.equal(r.pred!.length, n);
    let checked = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestP = -1;
      for (let c = 1; c < C; c++) {
        const p = prob.data[c * n + i];
        if (p > t && p > bestP) {
          best = c;
          bestP = p;
        }
      }
      assert.equal(r.pred![i], best, `voxel ${i}`);
      checked++;
    }
    assert.equal(checked, gt.data.length);
    // The heatmap: round(255 · the largest foreground probability) per voxel (softmax: channel 0 left out).
    assert.ok(r.heat);
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let c = 1; c < C; c++) m = Math.max(m, Math.round(prob.data[c * n + i] * 255));
      assert.equal(r.heat[i], m, `heat at ${i}`);
    }
    assert.ok(r.rows.length === 2 && r.rows.every((x) => x.dice >= 0 && x.dice <= 1));
  });

  it('a volume whose slices are too large for the panel is refused before any voxel is converted', () => {
    // The fixture is 24×20×16: its largest slice is 24 × 20 = 480 pixels.
    assert.throws(
      () => loadVolumeSet({ files: { gt: F('gt.nii.gz') }, maxSlicePixels: 479 }),
      (e: Error) =>
        /24×20×16 volume has slices of 480 pixels, more than the viewer's 479/.test(e.message) &&
        (e as { source?: string }).source === F('gt.nii.gz'),
    );
    assert.equal(loadVolumeSet({ files: { gt: F('gt.nii.gz') }, maxSlicePixels: 480 }).kind, 'volumes');
  });

  it('the pool task returns the result with its buffers to transfer; a missing file is an error naming it', async () => {
    const out = await VOLUME_TASKS.volumeSet(
      { files: { gt: F('gt.nii.gz') } },
      { progress: () => undefined },
    );
    assert.equal(out.value.kind, 'volumes');
    assert.equal(out.transfer.length, 1);
    await assert.rejects(
      VOLUME_TASKS.volumeSet({ files: { gt: F('nope.nii.gz') } }, { progress: () => undefined }),
      /nope\.nii\.gz/,
    );
  });
});
