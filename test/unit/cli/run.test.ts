import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../../src/core/io/npy';
import { CliIO } from '../../../src/cli/command';
import { main } from '../../../src/cli/main';
import { MODELS_DIR, maxAbsDiff } from '../core/model/helpers';
import { makeTempDir } from '../../support/tempDir';

const DIR = MODELS_DIR;

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd: DIR };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('seglens run', () => {
  let tmp: string;
  before(() => {
    tmp = makeTempDir('seglens-run').path;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('uses the sidecar config and writes the expected float32 [C, H, W] map', async () => {
    const output = join(tmp, 'p.npy');
    const r = await cli([
      'run',
      '--model',
      'sigmoid_dynamic.onnx',
      '--input',
      'grey_13x10.png',
      '--output',
      output,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '', 'a complete sidecar leaves nothing to note');
    assert.match(r.out, /float32 \[1, 13, 10\] \(lesion\)/);
    const got = readNpy(readFileSync(output));
    assert.equal(got.dtype, 'float32');
    const expected = readNpy(readFileSync(join(DIR, 'sigmoid_pad_grey.expected.npy')));
    assert.deepEqual(got.shape, [1, 13, 10]);
    assert.ok(maxAbsDiff(got.data as Float32Array, expected.data as Float32Array) < 2e-5);
  });

  it('takes --config and prints machine output with --json', async () => {
    const output = join(tmp, 'q.npy');
    const config = join(tmp, 'c.json');
    writeFileSync(config, JSON.stringify({ output: 'probs', multipleOf: 1 }));
    const r = await cli([
      'run',
      '--model',
      'two_outputs.onnx',
      '--input',
      'grey_13x10.png',
      '--config',
      config,
      '--output',
      output,
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    assert.deepEqual(json.shape, [2, 13, 10]);
    assert.deepEqual(json.classes, ['class 0', 'class 1']);
    assert.equal(json.configSource, config);
    assert.deepEqual(json.inputDims, [1, 1, 13, 10]);
    assert.deepEqual((json.config as Record<string, unknown>).output, 'probs');
    assert.ok(
      Array.isArray(json.notes) && (json.notes as string[]).some((n) => /colorOrder GRAY inferred/.test(n)),
    );
    const expected = readNpy(readFileSync(join(DIR, 'two_outputs_by_name.expected.npy')));
    assert.ok(
      maxAbsDiff(readNpy(readFileSync(output)).data as Float32Array, expected.data as Float32Array) < 2e-5,
    );
  });

  it('exits 2 naming the model for a bad model, and the image for a bad image', async () => {
    const bad = await cli([
      'run',
      '--model',
      'not_onnx.onnx',
      '--input',
      'grey_13x10.png',
      '--output',
      join(tmp, 'x.npy'),
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /not_onnx\.onnx: cannot load the model/);
    const img = await cli([
      'run',
      '--model',
      'sigmoid_dynamic.onnx',
      '--input',
      'cases.json',
      '--output',
      join(tmp, 'x.npy'),
    ]);
    assert.equal(img.code, 2);
    assert.match(img.err, /cases\.json: unknown or unsupported file format/);
    const usage = await cli(['run', '--model', 'sigmoid_dynamic.onnx']);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--input is required/);
  });
});
