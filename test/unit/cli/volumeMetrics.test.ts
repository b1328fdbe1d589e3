/**
 * `seglens metrics` on volumes: spacing from the headers, the same numbers in NIfTI, NRRD and MetaImage as the
 * NumPy/SciPy reference of tools/volume/make_volume_fixtures.py (anisotropic voxels, oblique flipped orientation),
 * and geometry mismatches refused with exit 2 naming both files and the differing property.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../../src/core/io/npy';
import { volumeLabelMap } from '../../../src/node/io/volume/maps';
import { readVolume } from '../../../src/node/io/volume/read';
import { repoPath } from '../../support/repo';
import { cli } from './cliHelper';
import { makeTempDir } from '../../support/tempDir';

const DIR = repoPath('test/fixtures/volume');
interface Ref {
  dice: number;
  iou: number;
  hd: number;
  hd95: number;
  assd: number;
  tp: number;
  fp: number;
  fn: number;
}
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  metrics: Record<string, Ref>;
};

/** Distances come from float32 headers (NIfTI): relative agreement 1e-6 with the float64 reference. */
const close = (a: number, b: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs reference ${b}`);

interface ClassJson {
  counts: { tp: number; fp: number; fn: number };
  overlap: { dice: number; iou: number };
  surface: { hd: number; hd95: number; assd: number };
}

async function metrics(args: string[]): Promise<Record<string, ClassJson>> {
  const r = await cli(['metrics', ...args, '--config', 'config3.json', '--json'], DIR);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { perClass: Record<string, ClassJson> }).perClass;
}

describe('seglens metrics on volumes', () => {
  const pairs = [
    ['gt.nii.gz', 'pred.nii.gz'],
    ['gt.nrrd', 'pred.seg.nrrd'],
    ['gt.mha', 'pred.mhd'],
    ['gt.nrrd', 'pred_nifti2.nii'],
    ['gt.mha', 'pred_qform.nii.gz'],
  ];
  for (const [gt, pred] of pairs) {
    it(`${gt} vs ${pred}: Dice, IoU, HD, HD95, ASSD equal NumPy/SciPy with the header spacing`, async () => {
      const perClass = await metrics(['--gt', gt, '--pred', pred]);
      for (const c of ['1', '2']) {
        const ref = expected.metrics[c];
        const got = perClass[c];
        assert.deepEqual(got.counts.tp, ref.tp);
        assert.deepEqual([got.counts.fp, got.counts.fn], [ref.fp, ref.fn]);
        close(got.overlap.dice, ref.dice, `class ${c} Dice`);
        close(got.overlap.iou, ref.iou, `class ${c} IoU`);
        close(got.surface.hd, ref.hd, `class ${c} HD`);
        close(got.surface.hd95, ref.hd95, `class ${c} HD95`);
        close(got.surface.assd, ref.assd, `class ${c} ASSD`);
      }
    });
  }

  it('takes a 4-D probability volume and an nnU-Net .npz [C, z, y, x] on the NIfTI grid alike', async () => {
    const a = await metrics(['--gt', 'gt.nii.gz', '--pred', 'pred.nii.gz', '--prob', 'prob.nii.gz']);
    const b = await metrics([
      '--gt',
      'nnunet/labelsTr/case_001.nii.gz',
      '--pred',
      'nnunet/predictions/case_001.nii.gz',
      '--prob',
      'nnunet/predictions/case_001.npz',
    ]);
    assert.deepEqual(b, a);
    close(a['1'].surface.hd95, expected.metrics['1'].hd95, 'HD95 with a probability volume');
  });

  for (const [file, word] of [
    ['pred_spacing.nii.gz', 'spacing'],
    ['pred_origin.nii.gz', 'origin'],
    ['pred_direction.nii.gz', 'direction'],
  ]) {
    it(`refuses ${file}: exit 2 naming both files and the ${word} values`, async () => {
      const r = await cli(['metrics', '--gt', 'gt.nrrd', '--pred', file, '--config', 'config3.json'], DIR);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`gt\\.nrrd and ${file.replace('.', '\\.')}`));
      assert.match(
        r.stderr,
        new RegExp(`${word} .* \\(gt\\.nrrd\\) vs .* \\(${file.replace('.', '\\.')}\\)`),
      );
      const others = ['spacing', 'origin', 'direction'].filter((w) => w !== word);
      for (const w of others) assert.doesNotMatch(r.stderr, new RegExp(`${w} \\(`), `only ${word} differs`);
      assert.equal(r.stdout, '');
    });
  }

  it('refuses a probability volume on another grid', async () => {
    const r = await cli(
      [
        'metrics',
        '--gt',
        'gt.nii.gz',
        '--pred',
        'pred.nii.gz',
        '--prob',
        'pred_origin.nii.gz',
        '--config',
        'config3.json',
      ],
      DIR,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /gt\.nii\.gz and pred_origin\.nii\.gz are not on the same voxel grid: origin/);
  });

  it('seglens eval --pairs scores volume pairs with their header spacing (same numbers as metrics)', async () => {
    const dir = makeTempDir('seglens-pairs').path;
    try {
      const pairs = [
        { id: 'nifti', gt: join(DIR, 'gt.nii.gz'), pred: join(DIR, 'pred.nii.gz') },
        { id: 'mixed', gt: join(DIR, 'gt.mha'), pred: join(DIR, 'pred.seg.nrrd') },
      ];
      writeFileSync(join(dir, 'pairs.json'), JSON.stringify(pairs));
      const r = await cli(
        ['eval', '--pairs', join(dir, 'pairs.json'), '--config', join(DIR, 'config3.json'), '--json'],
        dir,
      );
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as {
        images: { id: string; perClass: Record<string, ClassJson> }[];
      };
      assert.equal(out.images.length, 2);
      for (const im of out.images)
        close(im.perClass['1'].surface.hd95, expected.metrics['1'].hd95, `${im.id} HD95`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a raw .npy prediction scored with a NIfTI GT takes the GT header spacing', async () => {
    const dir = makeTempDir('seglens-npy').path;
    try {
      const pred = volumeLabelMap(
        readVolume(new Uint8Array(readFileSync(join(DIR, 'pred.nii.gz'))), { source: 'p' }),
      );
      writeFileSync(
        join(dir, 'pred.npy'),
        writeNpy({ dtype: 'uint8', shape: pred.shape, data: pred.data as Uint8Array }),
      );
      const perClass = await metrics(['--gt', 'gt.nii.gz', '--pred', join(dir, 'pred.npy')]);
      close(perClass['1'].surface.hd95, expected.metrics['1'].hd95, 'HD95 with a .npy prediction');
      close(perClass['2'].surface.assd, expected.metrics['2'].assd, 'ASSD with a .npy prediction');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses --spacing for volumes (the header gives it) with exit 2', async () => {
    const r = await cli(['metrics', '--gt', 'gt.nii.gz', '--pred', 'pred.nii.gz', '--spacing', '1,1,1'], DIR);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /--spacing is for raw arrays: gt\.nii\.gz gives its spacing in its header \(0\.8×1\.1×2\.5 mm\)/,
    );
  });
});
