/**
 * run → decode → metrics on one 2-D image (issue 14): decode's [1, 1, H, W] mask and a PNG mask both score beside a
 * 2-D PNG ground truth; decode --output is checked like run's (never over the input, --force to replace) and a
 * .png output is a real PNG.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeNpy } from '../../../src/core/io/npy';
import { labelsToPng } from '../../../src/core/viewmodel/exportFormats';
import { makeTempDir } from '../../support/tempDir';
import { MODELS_DIR } from '../core/model/helpers';
import { cli } from './cliHelper';

const H = 4;
const W = 5;
// A hand-made probability map [1, H, W] (as `seglens run` writes it) and its 0.5 threshold, computed by hand.
const PROB = Float32Array.from([
  0.9,
  0.8,
  0.1,
  0.0,
  0.2, //
  0.7,
  0.6,
  0.4,
  0.1,
  0.0, //
  0.1,
  0.2,
  0.3,
  0.9,
  0.95, //
  0.0,
  0.1,
  0.2,
  0.8,
  0.7,
]);
const THRESHOLDED = Array.from(PROB, (p) => (p >= 0.5 ? 1 : 0));
// Ground truth: the thresholded mask with one pixel (row 0, col 1) missed → Dice = 2·7 / (8 + 7) = 14/15.
const GT = THRESHOLDED.slice();
GT[1] = 0;

describe('seglens run → decode → metrics on one 2-D image', () => {
  let tmp: string;
  const run = (...argv: string[]) => cli(argv, tmp);
  before(() => {
    tmp = makeTempDir('seglens-chain').path;
    writeFileSync(join(tmp, 'p.npy'), writeNpy({ dtype: 'float32', shape: [1, H, W], data: PROB }));
    writeFileSync(
      join(tmp, 'gt.png'),
      labelsToPng(
        Uint8Array.from(GT, (v) => v * 255),
        W,
        H,
      ),
    );
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('decode writes [1, 1, H, W]; metrics reads it beside a 2-D PNG and says so', async () => {
    const d = await run('decode', '--input', 'p.npy', '--decoder', 'threshold', '--output', 'm.npy');
    assert.equal(d.code, 0, d.stderr);
    const m = await run('metrics', '--gt', 'gt.png', '--pred', 'm.npy', '--json');
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stderr, /note: m\.npy: \[1, 1, 4, 5\] read as a 2-D mask \[4, 5\]/);
    const json = JSON.parse(m.stdout) as { perClass: Record<string, { overlap: { dice: number } }> };
    assert.ok(Math.abs(json.perClass['1'].overlap.dice - 14 / 15) < 1e-12);
  });

  it('a [1, H, W] mask beside a 2-D ground truth is one image, not a volume', async () => {
    writeFileSync(
      join(tmp, 'm3.npy'),
      writeNpy({ dtype: 'uint8', shape: [1, H, W], data: Uint8Array.from(THRESHOLDED) }),
    );
    const m = await run('metrics', '--gt', 'gt.png', '--pred', 'm3.npy', '--json');
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stderr, /m3\.npy: \[1, 4, 5\] read as a 2-D mask \[4, 5\], like its partner/);
    const json = JSON.parse(m.stdout) as { perClass: Record<string, { overlap: { dice: number } }> };
    assert.ok(Math.abs(json.perClass['1'].overlap.dice - 14 / 15) < 1e-12);
  });

  it('decode --output mask.png writes a real PNG: 0/255 for a binary mask, class indices for multiclass', async () => {
    const d = await run('decode', '--input', 'p.npy', '--decoder', 'threshold', '--output', 'mask.png');
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stderr, /mask\.png: foreground written as 255/);
    const meta = await sharp(join(tmp, 'mask.png')).metadata();
    assert.deepEqual(
      [meta.format, meta.width, meta.height, meta.channels, meta.depth],
      ['png', W, H, 1, 'uchar'],
    );
    const data = await sharp(join(tmp, 'mask.png')).extractChannel(0).raw().toBuffer();
    assert.deepEqual(
      Array.from(data),
      THRESHOLDED.map((v) => v * 255),
    );
    const m = await run('metrics', '--gt', 'gt.png', '--pred', 'mask.png', '--json');
    assert.equal(m.code, 0, m.stderr);
    const json = JSON.parse(m.stdout) as { perClass: Record<string, { overlap: { dice: number } }> };
    assert.ok(Math.abs(json.perClass['1'].overlap.dice - 14 / 15) < 1e-12);

    // Two classes, argmax: class indices 0/1 per pixel (channel 1 = PROB, channel 0 = 1 − PROB).
    const two = new Float32Array(2 * H * W);
    for (let i = 0; i < H * W; i++) {
      two[i] = 1 - PROB[i];
      two[H * W + i] = PROB[i];
    }
    writeFileSync(join(tmp, 'two.npy'), writeNpy({ dtype: 'float32', shape: [2, H, W], data: two }));
    const a = await run('decode', '--input', 'two.npy', '--decoder', 'argmax', '--output', 'labels.png');
    assert.equal(a.code, 0, a.stderr);
    const lab = await sharp(join(tmp, 'labels.png')).extractChannel(0).raw().toBuffer();
    assert.deepEqual(
      Array.from(lab),
      Array.from(PROB, (p) => (p > 0.5 ? 1 : 0)),
    );
  });

  it('decode refuses a PNG for overlapping classes, and a non-mask extension', async () => {
    const two = new Float32Array(2 * H * W).fill(0.6);
    writeFileSync(join(tmp, 'ml.npy'), writeNpy({ dtype: 'float32', shape: [2, H, W], data: two }));
    const r = await run('decode', '--input', 'ml.npy', '--decoder', 'threshold', '--output', 'ml.png');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /ml\.png: a PNG holds one label per pixel, but this multilabel mask has 2 classes/,
    );
    assert.ok(!existsSync(join(tmp, 'ml.png')));
    const t = await run('decode', '--input', 'p.npy', '--decoder', 'threshold', '--output', 'mask.tif');
    assert.equal(t.code, 2);
    assert.match(t.stderr, /mask\.tif: decode writes a mask as \.npy, \.png/);
  });

  it('decode --output never replaces its input, and replaces an existing file only with --force', async () => {
    const before = readFileSync(join(tmp, 'p.npy'));
    const r = await run(
      'decode',
      '--input',
      'p.npy',
      '--decoder',
      'threshold',
      '--output',
      'p.npy',
      '--force',
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to write the mask over .*p\.npy, one of this command's inputs/);
    assert.deepEqual(readFileSync(join(tmp, 'p.npy')), before);
    writeFileSync(join(tmp, 'old.npy'), 'old');
    const e = await run('decode', '--input', 'p.npy', '--decoder', 'threshold', '--output', 'old.npy');
    assert.equal(e.code, 2);
    assert.match(e.stderr, /old\.npy: already exists; pass --force to replace it with the mask/);
    assert.equal(readFileSync(join(tmp, 'old.npy'), 'utf8'), 'old');
    const f = await run(
      'decode',
      '--input',
      'p.npy',
      '--decoder',
      'threshold',
      '--output',
      'old.npy',
      '--force',
    );
    assert.equal(f.code, 0, f.stderr);
    assert.notEqual(readFileSync(join(tmp, 'old.npy'), 'utf8'), 'old');
  });

  it('the real chain: seglens run on a model, then decode and metrics', async () => {
    const r = await run(
      'run',
      '--model',
      join(MODELS_DIR, 'sigmoid_dynamic.onnx'),
      '--input',
      join(MODELS_DIR, 'grey_13x10.png'),
      '--output',
      'real.npy',
    );
    assert.equal(r.code, 0, r.stderr);
    const d = await run(
      'decode',
      '--input',
      'real.npy',
      '--decoder',
      'rankdice',
      '--output',
      'real_mask.npy',
    );
    assert.equal(d.code, 0, d.stderr);
    const m = await run(
      'metrics',
      '--gt',
      'real_mask.npy',
      '--pred',
      'real_mask.npy',
      '--prob',
      'real.npy',
      '--json',
    );
    assert.equal(m.code, 0, m.stderr);
  });
});
