/**
 * `seglens eval` on folders of volumes (issue 16): NIfTI / NRRD / MetaImage masks and probability volumes (or an
 * nnU-Net .npz beside its segmentation) pair by the stem before their whole ending, are scored in mm from their
 * headers, and give the NumPy/SciPy reference numbers of tools/volume/make_volume_fixtures.py; a probability
 * volume on another grid is a skipped sample naming both files, and the run goes on.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../../support/repo';
import { useTempDir } from '../../support/tempDir';
import { cli } from './cliHelper';

const FIX = repoPath('test/fixtures/volume');
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as {
  metrics: Record<string, { dice: number; iou: number; hd: number; hd95: number; assd: number; tp: number }>;
};
const close = (a: number, b: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs reference ${b}`);

interface Row {
  id: string;
  perClass: Record<
    string,
    {
      counts: { tp: number };
      overlap: { dice: number; iou: number };
      surface: { hd: number; hd95: number; assd: number };
    }
  >;
}

describe('seglens eval on folders of volumes', () => {
  const tmp = useTempDir('seglens-volume-eval-');

  it('pairs .nii.gz/.nrrd/.mha by stem, scores in mm, and equals the NumPy/SciPy reference; a grid mismatch is skipped', async () => {
    const dir = tmp.path;
    for (const d of ['masks', 'probs']) mkdirSync(join(dir, d));
    // Three samples of the same reference case in three containers, plus one whose GT is on another grid.
    copyFileSync(join(FIX, 'gt.nii.gz'), join(dir, 'masks', 'a.nii.gz'));
    copyFileSync(join(FIX, 'prob.nii.gz'), join(dir, 'probs', 'a.nii.gz'));
    copyFileSync(join(FIX, 'gt.nrrd'), join(dir, 'masks', 'b.nrrd'));
    copyFileSync(join(FIX, 'prob.nii.gz'), join(dir, 'probs', 'b_prob.nii.gz'));
    copyFileSync(join(FIX, 'gt.mha'), join(dir, 'masks', 'c.mha'));
    copyFileSync(join(FIX, 'nnunet/predictions/case_001.npz'), join(dir, 'probs', 'c.npz'));
    copyFileSync(join(FIX, 'nnunet/predictions/case_001.nii.gz'), join(dir, 'probs', 'c.nii.gz'));
    copyFileSync(join(FIX, 'pred_spacing.nii.gz'), join(dir, 'masks', 'd.nii.gz'));
    copyFileSync(join(FIX, 'prob.nii.gz'), join(dir, 'probs', 'd.nii.gz'));
    copyFileSync(join(FIX, 'config3.json'), join(dir, 'config3.json'));
    const r = await cli(
      [
        'eval',
        '--gt',
        'masks',
        '--probs',
        'probs',
        '--decoders',
        'argmax',
        '--config',
        'config3.json',
        '--json',
      ],
      dir,
    );
    assert.equal(r.code, 1, r.stderr); // one sample skipped
    const report = JSON.parse(r.stdout) as {
      images: Row[];
      skipped: { id: string; reason: string }[];
      unmatched: { path: string; reason: string }[];
    };
    assert.deepEqual(
      report.images.map((i) => i.id),
      ['a', 'b', 'c'],
    );
    for (const row of report.images) {
      for (const c of ['1', '2']) {
        const ref = expected.metrics[c];
        const got = row.perClass[c];
        assert.equal(got.counts.tp, ref.tp, `${row.id} class ${c} TP`);
        close(got.overlap.dice, ref.dice, `${row.id} class ${c} Dice`);
        close(got.overlap.iou, ref.iou, `${row.id} class ${c} IoU`);
        close(got.surface.hd, ref.hd, `${row.id} class ${c} HD (mm)`);
        close(got.surface.hd95, ref.hd95, `${row.id} class ${c} HD95 (mm)`);
        close(got.surface.assd, ref.assd, `${row.id} class ${c} ASSD (mm)`);
      }
    }
    assert.equal(report.skipped.length, 1);
    assert.equal(report.skipped[0].id, 'd');
    assert.match(report.skipped[0].reason, /spacing/);
    assert.match(report.skipped[0].reason, /d\.nii\.gz/);
    // nnU-Net's segmentation beside its .npz: the probabilities are used, the segmentation is listed with why.
    const seg = report.unmatched.find((u) => u.path.endsWith('c.nii.gz'));
    assert.match(seg?.reason ?? '', /nnU-Net/);
  });
});
