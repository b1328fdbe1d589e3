/**
 * A 2-D model run slice by slice on a volume (src/node/volume/sliceModel.ts) against an independent reference:
 * NumPy (through nibabel, /usr/bin/python3) cuts every slice of the demo T1 in the viewer's radiological layout and
 * the matching slice of the probability volume we wrote; the existing 2-D runner on each NumPy slice must give that
 * probability slice exactly. Then progress, cancel between slices, the output size guard, a failing slice and the
 * intensity window.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, InputError } from '../../../../src/core/errors';
import { readNpy } from '../../../../src/core/io/npy';
import type { ModelImage } from '../../../../src/core/model/image';
import type { PlaneName } from '../../../../src/core/volume/slice';
import { ConfigChoice, ModelRunner, ModelRunResult } from '../../../../src/node/model/runner';
import {
  probabilityVolumeBytes,
  runModelOnVolume,
  type SliceProgress,
} from '../../../../src/node/volume/sliceModel';
import { pythonAvailable, runPython } from '../../core/dataset/python';
import { repoPath } from '../../../support/repo';

const T1 = repoPath('demo/volume/t1.nii.gz');
const MODEL = repoPath('demo/models/unet_bce.onnx');
/** The demo T1 is 94 × 82 × 68 voxels, RAS. */
const DIMS = [94, 82, 68] as const;
const N = DIMS[0] * DIMS[1] * DIMS[2];

/**
 * NumPy's cut of the viewer's radiological planes of a RAS volume (x → R, y → A, z → S): axial rows run A→P and
 * columns R→L; coronal rows S→I, columns R→L; sagittal rows S→I, columns A→P. Writes every slice of the image
 * (uint8) and of the probability volume (float32 [C, rows, cols]) as .npy.
 */
const CUT = String.raw`
import json, os, sys
import nibabel as nib
import numpy as np
a = json.load(sys.stdin)
t1 = nib.load(a["t1"])
assert nib.aff2axcodes(t1.affine) == ("R", "A", "S")
img = np.asarray(t1.dataobj)
prob = np.asarray(nib.load(a["prob"]).dataobj, dtype=np.float32)
if prob.ndim == 3:
    prob = prob[..., None]
def cut(v, axis, n):
    if axis == "axial":
        return v[::-1, ::-1, n].T
    if axis == "coronal":
        return v[::-1, n, ::-1].T
    return v[n, ::-1, ::-1].T
count = {"axial": img.shape[2], "coronal": img.shape[1], "sagittal": img.shape[0]}[a["axis"]]
for n in range(count):
    np.save(os.path.join(a["dir"], f"img_{n}.npy"), np.ascontiguousarray(cut(img, a["axis"], n)).astype(np.uint8))
    p = np.stack([cut(prob[..., c], a["axis"], n) for c in range(prob.shape[3])])
    np.save(os.path.join(a["dir"], f"prob_{n}.npy"), np.ascontiguousarray(p, dtype=np.float32))
print(json.dumps({"slices": count, "classes": int(prob.shape[3])}))
`;

/**
 * The same cut for any orientation, from nibabel's axis codes: the plane's normal is the file axis whose code is on
 * its anatomical axis; rows run from the top letter down and columns from the left letter across (radiological:
 * the patient's right, or anterior for sagittal, on the left), each reversed when the index grows towards that
 * side. The image is written as float32 (its real values), the probabilities as before.
 */
const CUT_ANY = String.raw`
import json, os, sys
import nibabel as nib
import numpy as np
a = json.load(sys.stdin)
t1 = nib.load(a["t1"])
codes = nib.aff2axcodes(t1.affine)
img = np.asarray(t1.get_fdata(dtype=np.float64))
prob = np.asarray(nib.load(a["prob"]).dataobj, dtype=np.float32)
OPP = {"R": "L", "L": "R", "A": "P", "P": "A", "S": "I", "I": "S"}
def axis_of(letter):
    return next(ax for ax, c in enumerate(codes) if c in (letter, OPP[letter]))
normal, top, left = {"axial": ("S", "A", "R"), "coronal": ("A", "S", "R"), "sagittal": ("R", "S", "A")}[a["axis"]]
n_ax, r_ax, c_ax = axis_of(normal), axis_of(top), axis_of(left)
def cut(v, n):
    s = np.transpose(v, (r_ax, c_ax, n_ax))[:, :, n]
    if codes[r_ax] == top:
        s = s[::-1, :]
    if codes[c_ax] == left:
        s = s[:, ::-1]
    return np.ascontiguousarray(s)
count = img.shape[n_ax]
for n in range(count):
    np.save(os.path.join(a["dir"], f"img_{n}.npy"), cut(img, n).astype(np.float32))
    p = np.stack([cut(prob[..., c], n) for c in range(prob.shape[3])])
    np.save(os.path.join(a["dir"], f"prob_{n}.npy"), p.astype(np.float32))
print(json.dumps({"slices": count, "codes": "".join(codes)}))
`;

/** A runner that counts its 2-D runs and can fail or watch them. */
class WatchedRunner extends ModelRunner {
  runs = 0;
  images: ModelImage[] = [];
  failAt?: number;

  override async run(
    modelPath: string,
    image: ModelImage,
    imageSource: string,
    choice?: ConfigChoice,
  ): Promise<ModelRunResult> {
    const n = this.runs++;
    this.images.push({ ...image, data: image.data.slice() });
    if (n === this.failAt) throw new InputError('Conv node: invalid input (planted failure)', modelPath);
    return super.run(modelPath, image, imageSource, choice);
  }
}

describe('node/volume/sliceModel: a 2-D model slice by slice on a volume', function () {
  this.timeout(180000);
  let runner: WatchedRunner;
  let dir: string;

  before(() => {
    runner = new WatchedRunner();
    dir = mkdtempSync(join(tmpdir(), 'seglens-slicemodel-'));
  });
  after(async () => {
    await runner.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    runner.runs = 0;
    runner.images = [];
    runner.failAt = undefined;
  });

  for (const axis of ['axial', 'coronal', 'sagittal'] as PlaneName[]) {
    it(`every ${axis} slice equals the 2-D runner on NumPy's cut of that slice`, async function () {
      if (!pythonAvailable(['numpy', 'nibabel'])) {
        console.warn(
          '    skipped: /usr/bin/python3 with numpy and nibabel is needed (apt install python3-nibabel)',
        );
        this.skip();
      }
      const progress: SliceProgress[] = [];
      const result = await runModelOnVolume(runner, MODEL, T1, { axis, onProgress: (p) => progress.push(p) });
      assert.deepEqual(result.prob.shape, [5, DIMS[2], DIMS[1], DIMS[0]]);
      const probPath = join(dir, `prob_${axis}.nii.gz`);
      writeFileSync(probPath, probabilityVolumeBytes(result, probPath));
      const sliceDir = join(dir, axis);
      rmSync(sliceDir, { recursive: true, force: true });
      mkdirSync(sliceDir);
      const ref = runPython<{ slices: number; classes: number }>(CUT, {
        t1: T1,
        prob: probPath,
        axis,
        dir: sliceDir,
      });
      const expectedSlices = { axial: DIMS[2], coronal: DIMS[1], sagittal: DIMS[0] }[axis];
      assert.equal(ref.slices, expectedSlices);
      assert.equal(ref.classes, 5);
      assert.equal(result.slices, expectedSlices);
      assert.equal(runner.runs, expectedSlices, 'one 2-D run per slice');

      // The progress reports: one per slice, in order, ending with no time left.
      assert.deepEqual(
        progress.map((p) => [p.done, p.total, p.slice]),
        Array.from({ length: expectedSlices }, (_, i) => [i + 1, expectedSlices, i]),
      );
      assert.equal(progress[progress.length - 1].etaMs, 0);

      const reference = new WatchedRunner();
      let maxDiff = 0;
      let foreground = 0;
      try {
        for (let n = 0; n < ref.slices; n++) {
          const img = readNpy(readFileSync(join(sliceDir, `img_${n}.npy`)));
          const [h, w] = img.shape;
          const image: ModelImage = { width: w, height: h, channels: 1, data: img.data as Uint8Array };
          const two = await reference.run(MODEL, image, `numpy slice ${n}`);
          const want = readNpy(readFileSync(join(sliceDir, `prob_${n}.npy`)));
          assert.deepEqual(two.prob.shape, want.shape, `slice ${n} shape`);
          for (let i = 0; i < want.data.length; i++) {
            const d = Math.abs(two.prob.data[i] - Number(want.data[i]));
            if (d > maxDiff) maxDiff = d;
            if (Number(want.data[i]) > 0.5) foreground++;
          }
        }
      } finally {
        await reference.dispose();
      }
      assert.equal(maxDiff, 0, `largest difference to the 2-D runner: ${maxDiff}`);
      // The model finds the deep grey matter: a comparison of empty maps would prove nothing.
      assert.ok(foreground > 1000, `${foreground} voxels above 0.5`);
    });
  }

  for (const axis of ['axial', 'coronal', 'sagittal'] as PlaneName[]) {
    it(`an oblique LAS scaled int16 volume: every ${axis} slice is NumPy's cut, and its map the 2-D runner's`, async function () {
      if (!pythonAvailable(['numpy', 'nibabel'])) this.skip();
      const image = repoPath('test/fixtures/volume/image.nii.gz');
      const result = await runModelOnVolume(runner, MODEL, image, { axis });
      assert.match(
        result.intensity,
        /^real values \(int16, scaled by scl_slope\/scl_inter, -21 … 200\), fed as a float picture$/,
      );
      const probPath = join(dir, `fixture_${axis}.nii`);
      writeFileSync(probPath, probabilityVolumeBytes(result, probPath));
      const sliceDir = join(dir, `fixture_${axis}`);
      mkdirSync(sliceDir);
      const ref = runPython<{ slices: number; codes: string }>(CUT_ANY, {
        t1: image,
        prob: probPath,
        axis,
        dir: sliceDir,
      });
      assert.equal(ref.codes, 'LAS');
      assert.equal(ref.slices, result.slices);
      assert.equal(runner.images.length, ref.slices);
      const reference = new ModelRunner();
      try {
        for (let n = 0; n < ref.slices; n++) {
          const img = readNpy(readFileSync(join(sliceDir, `img_${n}.npy`)));
          const fed = runner.images[n];
          assert.deepEqual([fed.height, fed.width], img.shape, `${axis} slice ${n} size`);
          assert.deepEqual(fed.data, img.data, `${axis} slice ${n} pixels`);
          const two = await reference.run(
            MODEL,
            {
              width: fed.width,
              height: fed.height,
              channels: 1,
              data: img.data as Float32Array,
            },
            `numpy slice ${n}`,
          );
          const want = readNpy(readFileSync(join(sliceDir, `prob_${n}.npy`)));
          assert.deepEqual(two.prob.data, want.data, `${axis} slice ${n} probabilities`);
        }
      } finally {
        await reference.dispose();
      }
    });
  }

  it('notes say how slices were cut and which intensities were fed', async () => {
    const result = await runModelOnVolume(runner, MODEL, T1, { axis: 'coronal' });
    assert.equal(result.intensity, 'stored 8-bit values, fed as an 8-bit picture');
    assert.ok(
      result.notes.some((n) => n.includes('82 coronal slices of 94×68') && n.includes('R on the left')),
      result.notes.join('\n'),
    );
    assert.deepEqual(result.classes, ['caudate', 'putamen', 'pallidum', 'thalamus', 'hippocampus+amygdala']);
  });

  it('a float volume outside [0, 1] is said once; per-slice notes alike but for their numbers merge', async () => {
    const image = repoPath('test/fixtures/volume/image.nii.gz');
    const result = await runModelOnVolume(runner, MODEL, image, { axis: 'axial' });
    const warnings = result.notes.filter((n) =>
      n.startsWith("the image's values run -21 … 200, outside [0, 1]"),
    );
    assert.equal(warnings.length, 1, result.notes.join('\n'));
    const scale = result.notes.filter((n) => n.startsWith('"scale": 1/255 applied to a float image'));
    assert.equal(scale.length, 1, result.notes.join('\n'));
    assert.match(scale[0], /\(axial slice 0; alike on 15 more\)$/);
  });

  it('cancel stops between slices (AbortSignal), after the slice in flight', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    await assert.rejects(
      runModelOnVolume(runner, MODEL, T1, {
        axis: 'axial',
        signal: abort.signal,
        onProgress: (p) => {
          seen.push(p.done);
          if (p.done === 3) abort.abort();
        },
      }),
      CancelledError,
    );
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(runner.runs, 3);
  });

  it('cancel through isCancelled (the worker RPC flag) before the first slice runs none', async () => {
    await assert.rejects(
      runModelOnVolume(runner, MODEL, T1, { axis: 'sagittal', isCancelled: () => true }),
      CancelledError,
    );
    assert.equal(runner.runs, 0);
  });

  it('refuses a probability volume over the limit before running, naming the file', async () => {
    await assert.rejects(
      runModelOnVolume(runner, MODEL, T1, { axis: 'axial', maxOutputElements: N - 1, limitHint: 'raise it' }),
      (e: Error) => {
        assert.ok(e instanceof InputError);
        assert.match(
          e.message,
          /t1\.nii\.gz: the probability volume would hold 1 class\(es\) × 94×82×68 voxels/,
        );
        assert.match(e.message, /more than the limit of 524143; raise it$/);
        return true;
      },
    );
    assert.equal(runner.runs, 0);
  });

  it('refuses when the classes make it too large, after the first slice and before allocating', async () => {
    await assert.rejects(
      runModelOnVolume(runner, MODEL, T1, { axis: 'axial', maxOutputElements: 2 * N }),
      (e: Error) => {
        assert.match(
          e.message,
          /t1\.nii\.gz: .*5 class\(es\) × 94×82×68 voxels = 2620720 float32 values \(10 MiB\)/,
        );
        return true;
      },
    );
    assert.equal(runner.runs, 1);
  });

  it('a model failing on one slice names the slice, the volume and the model', async () => {
    runner.failAt = 4;
    await assert.rejects(runModelOnVolume(runner, MODEL, T1, { axis: 'coronal' }), (e: Error) => {
      assert.ok(e instanceof InputError);
      assert.ok(
        e.message.startsWith(`${MODEL}: the model failed on coronal slice 4 (of 0…81, file axis j) of ${T1}`),
      );
      assert.match(e.message, /planted failure/);
      return true;
    });
    assert.equal(runner.runs, 5);
  });

  it('a window maps values to 0…255 (clipped, rounded half up) as an 8-bit picture, like NumPy', async function () {
    if (!pythonAvailable(['numpy', 'nibabel'])) this.skip();
    const result = await runModelOnVolume(runner, MODEL, T1, {
      axis: 'axial',
      intensity: { kind: 'window', low: 20, high: 148 },
    });
    assert.equal(result.intensity, 'window 20 … 148 mapped to 0…255, fed as an 8-bit picture');
    const want = runPython<number[][]>(
      String.raw`
import json, sys
import nibabel as nib
import numpy as np
a = json.load(sys.stdin)
v = np.asarray(nib.load(a["t1"]).dataobj).astype(np.float64)
w = np.clip(np.floor((v - 20) * (255 / 128) + 0.5), 0, 255)
print(json.dumps([w[::-1, ::-1, k].T.ravel().tolist() for k in a["ks"]]))
`,
      { t1: T1, ks: [0, 30, 67] },
    );
    for (const [n, k] of [0, 30, 67].entries()) {
      const fed = runner.images[k];
      assert.ok(fed.data instanceof Uint8Array);
      assert.deepEqual(Array.from(fed.data), want[n], `axial slice ${k}`);
    }
  });

  it('the auto window is the 0.5th–99.5th percentile of the volume (NumPy, within a histogram bin)', async function () {
    if (!pythonAvailable(['numpy', 'nibabel'])) this.skip();
    const result = await runModelOnVolume(runner, MODEL, T1, { axis: 'axial', intensity: { kind: 'auto' } });
    const m = /^window (\S+) … (\S+) \(0\.5th–99\.5th percentile\)/.exec(result.intensity);
    assert.ok(m, result.intensity);
    const [lo, hi] = runPython<[number, number]>(
      String.raw`
import json, sys
import nibabel as nib
import numpy as np
v = np.asarray(nib.load(json.load(sys.stdin)["t1"]).dataobj).astype(np.float64)
print(json.dumps([float(np.percentile(v, 0.5)), float(np.percentile(v, 99.5))]))
`,
      { t1: T1 },
    );
    // One bin of the 4096-bin histogram over the value range, plus NumPy's interpolation between two values.
    assert.ok(Math.abs(Number(m[1]) - lo) <= 1, `low ${m[1]} vs ${lo}`);
    assert.ok(Math.abs(Number(m[2]) - hi) <= 1, `high ${m[2]} vs ${hi}`);
    assert.ok(hi - lo > 50);
  });
});
