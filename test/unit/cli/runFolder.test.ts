/** `seglens run --input DIR --output DIR`: one session, progress, per-file failures that do not stop the run. */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../../src/core/io/npy';
import { MODELS_DIR, maxAbsDiff } from '../core/model/helpers';
import { makeTempDir } from '../../support/tempDir';
import { cli } from './cliHelper';

describe('seglens run on a folder', () => {
  let tmp: string;
  let images: string;
  before(() => {
    tmp = makeTempDir('seglens-run-folder').path;
    images = join(tmp, 'images');
    mkdirSync(images);
    copyFileSync(join(MODELS_DIR, 'grey_13x10.png'), join(images, 'a.png'));
    copyFileSync(join(MODELS_DIR, 'rgb_20x27.png'), join(images, 'b.png'));
    writeFileSync(join(images, 'c.png'), 'not a png');
    copyFileSync(join(MODELS_DIR, 'grey_13x10.png'), join(images, 'd.png'));
    writeFileSync(join(images, 'notes.txt'), 'ignored');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs every image on one session, reports progress and failures, exits 1 when any failed', async () => {
    const out = join(tmp, 'probs');
    const r = await cli(
      ['run', '--model', 'sigmoid_dynamic.onnx', '--input', images, '--output', out, '--json'],
      MODELS_DIR,
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^loaded sigmoid_dynamic\.onnx in \d+ ms; one session for 4 image\(s\) \(1 other file\(s\) in the folder ignored\)/,
    );
    assert.match(r.stderr, /\[1\/4\] a\.png → a\.npy: \[1, 13, 10\], run [\d.]+ ms/);
    assert.match(r.stderr, /\[3\/4\] c\.png: failed: .*c\.png: /);
    assert.match(r.stderr, /\[4\/4\] d\.png → d\.npy/, 'the failure did not stop the run');
    assert.match(r.stderr, /3 of 4 map\(s\) written to .*probs, 1 failed; model sessions created: 1;/);
    const json = JSON.parse(r.stdout) as {
      total: number;
      written: number;
      failed: number;
      sessionLoads: number;
      files: { status: string; output: string; error?: string }[];
    };
    assert.deepEqual([json.total, json.written, json.failed, json.sessionLoads], [4, 3, 1, 1]);
    assert.deepEqual(
      json.files.map((f) => f.status),
      ['written', 'written', 'failed', 'written'],
    );
    // Each map equals the one-image reference (the sidecar config, NumPy reference of tools/models).
    const expected = readNpy(readFileSync(join(MODELS_DIR, 'sigmoid_pad_grey.expected.npy')));
    for (const stem of ['a', 'd']) {
      const got = readNpy(readFileSync(join(out, `${stem}.npy`)));
      assert.ok(maxAbsDiff(got.data as Float32Array, expected.data as Float32Array) < 2e-5);
    }
    assert.ok(!existsSync(join(out, 'c.npy')));
  });

  it('refuses to replace existing maps without --force, and replaces them with it', async () => {
    const out = join(tmp, 'again');
    mkdirSync(out);
    writeFileSync(join(out, 'b.npy'), 'old');
    const argv = ['run', '--model', 'sigmoid_dynamic.onnx', '--input', images, '--output', out];
    const r = await cli(argv, MODELS_DIR);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /again: 1 of the 4 maps exist already \(first: b\.npy\); pass --force to replace them/,
    );
    assert.equal(readFileSync(join(out, 'b.npy'), 'utf8'), 'old');
    const f = await cli([...argv, '--force'], MODELS_DIR);
    assert.equal(f.code, 1, 'c.png still fails');
    assert.notEqual(readFileSync(join(out, 'b.npy'), 'utf8'), 'old');
  });

  it('refuses a file as the output of a folder run, an empty folder, and a model that cannot load', async () => {
    const file = join(tmp, 'file.npy');
    writeFileSync(file, 'x');
    const r = await cli(
      ['run', '--model', 'sigmoid_dynamic.onnx', '--input', images, '--output', file],
      MODELS_DIR,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /file\.npy: --input is a folder, so --output must be a folder too/);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const e = await cli(
      ['run', '--model', 'sigmoid_dynamic.onnx', '--input', empty, '--output', join(tmp, 'o')],
      MODELS_DIR,
    );
    assert.equal(e.code, 2);
    assert.match(e.stderr, /empty: no images \(png, jpg/);
    const m = await cli(
      ['run', '--model', 'not_onnx.onnx', '--input', images, '--output', join(tmp, 'o2')],
      MODELS_DIR,
    );
    assert.equal(m.code, 2);
    assert.match(m.stderr, /not_onnx\.onnx: cannot load the model/);
    assert.ok(!existsSync(join(tmp, 'o2', 'a.npy')));
  });
});
