/**
 * `seglens run` with a volume input (src/cli/commands/runVolume.ts): the probability volume written as NIfTI on
 * the image's grid (affine compared by nibabel), equal to the node function's result, progress on stderr, the
 * --force convention, and the flag errors. A volume with a .npy output keeps the 2-D path (contract unchanged).
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../../src/core/io/npy';
import { loadVolumeFile } from '../../../src/node/io/load';
import { volumeProbMap } from '../../../src/node/io/volume/maps';
import { ModelRunner } from '../../../src/node/model/runner';
import { runModelOnVolume } from '../../../src/node/volume/sliceModel';
import { pythonAvailable, runPython } from '../core/dataset/python';
import { repoPath } from '../../support/repo';
import { makeTempDir } from '../../support/tempDir';
import { cli } from './cliHelper';

const T1 = repoPath('demo/volume/t1.nii.gz');
const MODEL = repoPath('demo/models/unet_bce.onnx');

describe('seglens run on a volume (slice by slice)', function () {
  this.timeout(120000);
  let tmp: string;
  before(() => {
    tmp = makeTempDir('seglens-run-volume').path;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes the coronal probability volume on the image grid, equal to the node run', async () => {
    const output = join(tmp, 'prob_coronal.nii.gz');
    const r = await cli(
      ['run', '--model', MODEL, '--input', T1, '--axis', 'coronal', '--output', output, '--json'],
      tmp,
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(json.shape, [5, 68, 82, 94]);
    assert.equal(json.axis, 'coronal');
    assert.equal(json.slices, 82);
    assert.equal(json.intensity, 'stored 8-bit values, fed as an 8-bit picture');
    assert.match(r.stderr, /\[82\/82\] coronal slice 81; .* elapsed, about 0\.0 s left/);
    assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('[')).length, 10, r.stderr);

    const written = loadVolumeFile(output);
    const image = loadVolumeFile(T1);
    assert.deepEqual(written.geometry.dims, image.geometry.dims);
    assert.deepEqual(written.geometry.spacing, image.geometry.spacing);
    assert.deepEqual(written.geometry.origin, image.geometry.origin);
    assert.equal(written.channels, 5);
    assert.equal(written.dtype, 'float32');
    const runner = new ModelRunner();
    try {
      const direct = await runModelOnVolume(runner, MODEL, T1, { axis: 'coronal' });
      assert.deepEqual(volumeProbMap(written).data, direct.prob.data);
    } finally {
      await runner.dispose();
    }
    if (pythonAvailable(['numpy', 'nibabel'])) {
      const same = runPython<{ affine: boolean; shape: number[] }>(
        String.raw`
import json, sys
import nibabel as nib
import numpy as np
a = json.load(sys.stdin)
p, t = nib.load(a["p"]), nib.load(a["t"])
print(json.dumps({"affine": bool(np.allclose(p.affine, t.affine, atol=1e-5)), "shape": list(p.shape)}))
`,
        { p: output, t: T1 },
      );
      assert.deepEqual(same, { affine: true, shape: [94, 82, 68, 5] });
    }
  });

  it('never replaces an existing file without --force, and does with it', async () => {
    const output = join(tmp, 'exists.nii.gz');
    writeFileSync(output, 'keep me');
    const r = await cli(['run', '--model', MODEL, '--input', T1, '--output', output], tmp);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /exists\.nii\.gz: already exists; pass --force to replace it with the probability volume/,
    );
    assert.equal(readFileSync(output, 'utf8'), 'keep me');
    const f = await cli(['run', '--model', MODEL, '--input', T1, '--output', output, '--force'], tmp);
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stdout, /float32 \[5, 68, 82, 94\] .* on the grid of t1\.nii\.gz; 68 axial slices/);
    assert.ok(statSync(output).size > 1000);
  });

  it('refuses an output over the input even with --force', async () => {
    const r = await cli(
      ['run', '--model', MODEL, '--input', T1, '--output', T1, '--axis', 'axial', '--force'],
      tmp,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to write the probability volume over .*t1\.nii\.gz/);
  });

  it('flag errors: a non-NIfTI output with --axis, an unknown axis, a bad window, --axis on an image', async () => {
    const npy = await cli(
      ['run', '--model', MODEL, '--input', T1, '--axis', 'axial', '--output', 'p.npy'],
      tmp,
    );
    assert.equal(npy.code, 2);
    assert.match(npy.stderr, /p\.npy: a volume input gives a probability volume, written as NIfTI/);
    const axis = await cli(['run', '--model', MODEL, '--input', T1, '--axis', 'z', '--output', 'q.nii'], tmp);
    assert.equal(axis.code, 2);
    assert.match(axis.stderr, /--axis takes axial, coronal, sagittal, got "z"/);
    const win = await cli(
      ['run', '--model', MODEL, '--input', T1, '--window', '5,1', '--output', 'q.nii'],
      tmp,
    );
    assert.equal(win.code, 2);
    assert.match(win.stderr, /--window 5,1: the high end must be above the low end/);
    const png = repoPath('demo/images/slice_048.png');
    const img = await cli(
      ['run', '--model', MODEL, '--input', png, '--axis', 'axial', '--output', 'q.npy'],
      tmp,
    );
    assert.equal(img.code, 2);
    assert.match(img.stderr, /--axis is for a volume --input/);
  });

  it('a volume with a .npy output keeps the 2-D path (its middle slice), as before', async () => {
    const output = join(tmp, 'middle.npy');
    const r = await cli(['run', '--model', MODEL, '--input', T1, '--output', output], tmp);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readNpy(readFileSync(output)).shape, [5, 82, 94]);
    assert.match(r.stderr, /showing the middle slice k = 34/);
  });
});
