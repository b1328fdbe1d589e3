/**
 * Dataset evaluation speed (issue 12): 200 triples of 256² (image PNG, mask .npy, probability .npy) generated in a
 * temporary folder; the built CLI (`seglens eval --decoders threshold,rankdice`, full IMAGE metrics, worker threads
 * on every core) against a minimal NumPy/SciPy script computing only Dice + HD95 at 0.5 on the same files. Both run
 * as fresh processes, in the same run; printed as a ratio, never asserted. Also prints the solver variants of
 * rankdice, so the dataset mode's default can be judged on this machine.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { buildCliBundle } from './cliBundle';
import { writeNpy } from '../src/core/io/npy';
import { DATASET_SOLVER } from '../src/node/dataset/evaluate';
import { rng } from './util';

const N = 200;
const SIDE = 256;
const PYTHON = '/usr/bin/python3';

/** The baseline a user would write: load, threshold at 0.5, Dice, HD95 from distance transforms of the surfaces. */
const NUMPY_SCRIPT = `
import sys, os, time, numpy as np
from scipy import ndimage
root = sys.argv[1]
ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, 'masks')))
dice = []; hd95 = []
for i in ids:
    gt = np.load(os.path.join(root, 'masks', i + '.npy')) > 0
    pred = np.load(os.path.join(root, 'probs', i + '.npy')) > 0.5
    s = gt.sum() + pred.sum()
    dice.append(2.0 * (gt & pred).sum() / s if s else 1.0)
    if gt.any() and pred.any():
        sg = gt & ~ndimage.binary_erosion(gt); sp = pred & ~ndimage.binary_erosion(pred)
        d = np.concatenate([ndimage.distance_transform_edt(~sp)[sg], ndimage.distance_transform_edt(~sg)[sp]])
        hd95.append(np.percentile(d, 95))
print(len(ids), float(np.mean(dice)))
`;

export function writeSet(dir: string): void {
  const r = rng(2024);
  for (const d of ['images', 'masks', 'probs']) mkdirSync(join(dir, d), { recursive: true });
  for (let k = 0; k < N; k++) {
    const n = SIDE * SIDE;
    const gt = new Uint8Array(n);
    const prob = new Float32Array(n);
    const img = new Uint8Array(n);
    const blobs = 1 + Math.floor(r() * 4);
    const discs = Array.from({ length: blobs }, () => ({
      cy: r() * SIDE,
      cx: r() * SIDE,
      rad: 8 + r() * 30,
      dx: (r() - 0.5) * 6,
      soft: 1 + r() * 4,
    }));
    for (let y = 0; y < SIDE; y++)
      for (let x = 0; x < SIDE; x++) {
        let p = 0.02 * r();
        let g = 0;
        for (const d of discs) {
          const dist = Math.hypot(y - d.cy, x - d.cx);
          if (dist <= d.rad) g = 1;
          const q = 1 / (1 + Math.exp((Math.hypot(y - d.cy, x - d.cx - d.dx) - d.rad * 0.95) / d.soft));
          if (q > p) p = q;
        }
        const i = y * SIDE + x;
        gt[i] = g;
        prob[i] = p;
        img[i] = 60 + 120 * g + Math.floor(40 * r());
      }
    const id = `case${String(k).padStart(4, '0')}`;
    writeFileSync(
      join(dir, 'images', `${id}.png`),
      encode({ width: SIDE, height: SIDE, data: img, channels: 1, depth: 8 }),
    );
    writeFileSync(
      join(dir, 'masks', `${id}.npy`),
      writeNpy({ dtype: 'uint8', shape: [SIDE, SIDE], data: gt }),
    );
    writeFileSync(
      join(dir, 'probs', `${id}.npy`),
      writeNpy({ dtype: 'float32', shape: [SIDE, SIDE], data: prob }),
    );
  }
}

/** Wall time of a fresh process, in ms: the best of `repeats` runs (a shared machine only ever adds time). */
function wall(cmd: string, args: string[], cwd: string, repeats = 2): number {
  let best = Infinity;
  for (let k = 0; k < repeats; k++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    // Exit 1 = some samples skipped; none are expected here, but the timing would still be valid.
    if (r.status !== 0 && r.status !== 1)
      throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    best = Math.min(best, ms);
  }
  return best;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seglens-bench-dataset-'));
  try {
    writeSet(join(dir, 'data'));
    const { cli } = await buildCliBundle(dir);
    const data = join(dir, 'data');
    let hasNumpy = true;
    try {
      execFileSync(PYTHON, ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
    } catch {
      hasNumpy = false;
    }
    const base = [
      'eval',
      '--gt',
      'masks',
      '--probs',
      'probs',
      '--json',
      '--out',
      join(dir, 'r.json'),
      '--force',
      '--no-progress',
    ];
    const ours = (extra: string[], repeats = 2): number =>
      wall(process.execPath, [cli, ...base, '--decoders', 'threshold,rankdice', ...extra], data, repeats);
    // One warm-up (file cache, code cache), then each variant as the best of two runs.
    ours([], 1);
    const py = hasNumpy ? wall(PYTHON, ['-c', NUMPY_SCRIPT, data], data) : NaN;
    const dflt = ours([]);
    const exact = ours(['--solver', 'exact']);
    const auto = ours(['--solver', 'auto']);
    const single = ours(['--workers', '0']);
    const thresholdOnly = wall(process.execPath, [cli, ...base, '--decoders', 'threshold'], data);
    const line = (name: string, ms: number): void =>
      console.log(
        `${name}: ${(ms / 1000).toFixed(2)} s (${((N * 1000) / ms).toFixed(0)} images/s)` +
          (hasNumpy
            ? `; vs NumPy/SciPy Dice+HD95 (${(py / 1000).toFixed(2)} s): ${(ms / py).toFixed(2)}×`
            : ''),
      );
    console.log(
      `${N} triples of ${SIDE}², ${cpus().length} cores; seglens eval --decoders threshold,rankdice, full IMAGE metrics:`,
    );
    line(`  default (solver ${DATASET_SOLVER}, worker threads)`, dflt);
    line('  --solver exact', exact);
    line('  --solver auto (exact where cheap)', auto);
    line('  --workers 0 (one thread)', single);
    line('  --decoders threshold only', thresholdOnly);
    if (!hasNumpy) console.log('  (no /usr/bin/python3 with numpy and scipy: baseline not measured)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
