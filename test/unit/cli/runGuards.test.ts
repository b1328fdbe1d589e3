/**
 * `seglens run` on the silent-wrong cases of issue 14: each must now give a correct map, or a note, or a refusal
 * (exit 2) naming the cause; and the model-load failures must read cleanly, without onnxruntime's C++ paths.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { readNpy } from '../../../src/core/io/npy';
import { MODELS_DIR, maxAbsDiff } from '../core/model/helpers';
import { floatTiff } from '../node/io/floatTiff';
import { makeTempDir } from '../../support/tempDir';
import { cli } from './cliHelper';

const GREY16_CONFIG = {
  input: 'image',
  output: 'logits',
  layout: 'NCHW',
  size: 'dynamic',
  multipleOf: 8,
  resize: 'pad',
  colorOrder: 'GRAY',
  mean: [0.2],
  std: [0.5],
  activation: 'sigmoid',
};

function npy(path: string): { shape: number[]; data: Float32Array } {
  const a = readNpy(readFileSync(path));
  return { shape: [...a.shape], data: a.data as Float32Array };
}

describe('seglens run: guards against silently wrong maps', () => {
  let tmp: string;
  before(() => {
    tmp = makeTempDir('seglens-run-guards').path;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const run = (...argv: string[]) => cli(['run', ...argv], MODELS_DIR);
  const config = (name: string, json: unknown): string => {
    const p = join(tmp, name);
    writeFileSync(p, JSON.stringify(json));
    return p;
  };

  it('refuses an 8-bit "scale" on a 16-bit PNG; "inputRange": 1 gives the reference map', async () => {
    const out = join(tmp, 'g16.npy');
    const bad = config('scale.json', { ...GREY16_CONFIG, scale: 1 / 255 });
    const r = await run(
      '--model',
      'sigmoid_dynamic.onnx',
      '--input',
      'grey16_9x11.png',
      '--config',
      bad,
      '--output',
      out,
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /grey16_9x11\.png: "scale": 1\/255 is written for 8-bit pixels, but this image is 16-bit/,
    );
    assert.match(r.stderr, /write "inputRange": 1 instead of "scale"/);
    assert.ok(!existsSync(out), 'nothing written');
    const good = config('range.json', { ...GREY16_CONFIG, inputRange: 1 });
    const ok = await run(
      '--model',
      'sigmoid_dynamic.onnx',
      '--input',
      'grey16_9x11.png',
      '--config',
      good,
      '--output',
      out,
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stderr,
      /note: scale 1\/65535 for a 16-bit image \("inputRange": 1: full intensity 65535 → 1\)/,
    );
    // The reference was computed by NumPy with the 16-bit scale (tools/models/make_test_models.py).
    const expected = npy(join(MODELS_DIR, 'sigmoid_pad_grey16.expected.npy'));
    assert.ok(maxAbsDiff(npy(out).data, expected.data) < 2e-5);
  });

  it("refuses a sigmoid on an output that already holds probabilities (named like PaddleOCR's)", async () => {
    const c = config('sig.json', { activation: 'sigmoid' });
    const r = await run(
      '--model',
      'guard_sigmoid_named.onnx',
      '--input',
      'grey_13x10.png',
      '--config',
      c,
      '--output',
      join(tmp, 's.npy'),
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /guard_sigmoid_named\.onnx: output "sigmoid_0\.tmp_0" already holds probabilities: its values lie in \[0\.5\d*, 0\.7\d*\] \(and its name says so\); a sigmoid would squeeze it into \[0\.5, 0\.731\]/,
    );
    // Without the activation the map is the model's sigmoid of the [0, 1] pixels: σ(p/255), checked by hand below.
    const out = join(tmp, 's2.npy');
    const ok = await run('--model', 'guard_sigmoid_named.onnx', '--input', 'grey_13x10.png', '--output', out);
    assert.equal(ok.code, 0, ok.stderr);
    const { data, info } = await sharp(join(MODELS_DIR, 'grey_13x10.png'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const map = npy(out).data;
    for (let i = 0; i < map.length; i++) {
      const p = data[i * info.channels] / 255;
      assert.ok(Math.abs(map[i] - 1 / (1 + Math.exp(-p))) < 1e-6, `pixel ${i}`);
    }
  });

  it('refuses a mean in 0–255 units with the default [0, 1] scaling, naming "inputRange": 255', async () => {
    const mm = { mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] };
    const r = await run(
      '--model',
      'rgb_identity.onnx',
      '--input',
      'rgb_20x27.png',
      '--config',
      config('mm.json', mm),
      '--output',
      join(tmp, 'm.npy'),
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /rgb_20x27\.png: "mean" \[123\.675, 116\.28, 103\.53\] is in 0–255 units, but pixels are scaled to \[0, 1\]/,
    );
    assert.match(r.stderr, /write "inputRange": 255/);
  });

  it('lists every assumed preprocessing value (scale, mean, std) when nothing is written', async () => {
    const out = join(tmp, 'inferred.npy');
    const r = await run('--model', 'grey_identity.onnx', '--input', 'grey_13x10.png', '--output', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /note: scale 1\/255 for an 8-bit image \(input range \[0, 1\] assumed: full intensity 255 → 1\)/,
    );
    assert.match(r.stderr, /note: mean 0 and std 1 assumed/);
    assert.match(r.stderr, /note: layout NCHW inferred/);
    assert.match(r.stderr, /note: activation none/);
  });

  it('feeds all three bands of an RGB float TIFF, as stored', async () => {
    const w = 5;
    const h = 4;
    const samples = Float32Array.from({ length: w * h * 3 }, (_, i) => ((i * 37) % 101) / 100);
    const tif = join(tmp, 'rgb.tif');
    writeFileSync(tif, floatTiff(w, h, 3, samples));
    const out = join(tmp, 'tif.npy');
    const c = config('tif.json', { multipleOf: 1 });
    const r = await run('--model', 'rgb_identity.onnx', '--input', tif, '--config', c, '--output', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /All 3 float bands kept/);
    const map = npy(out);
    assert.deepEqual(map.shape, [3, h, w]);
    // The identity model returns its input: channel c of the map is band c of the file.
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < w * h; i++)
        assert.ok(Math.abs(map.data[c * w * h + i] - samples[i * 3 + c]) < 1e-7);
  });

  it("applies EXIF orientation, so the map has the photo's shape, and says so", async () => {
    const rgb = new Uint8Array(16 * 8 * 3).fill(128);
    const jpg = join(tmp, 'phone.jpg');
    writeFileSync(
      jpg,
      await sharp(rgb, { raw: { width: 16, height: 8, channels: 3 } })
        .jpeg()
        .withMetadata({ orientation: 6 })
        .toBuffer(),
    );
    const out = join(tmp, 'phone.npy');
    const r = await run(
      '--model',
      'rgb_identity.onnx',
      '--input',
      jpg,
      '--config',
      config('p.json', { multipleOf: 1 }),
      '--output',
      out,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /note: EXIF orientation 6 applied \(rotated 90° clockwise\)/);
    assert.deepEqual(npy(out).shape, [3, 16, 8]);
  });

  it('refuses --output mask.png (a float map is written only as .npy) and names decode for a mask', async () => {
    const out = join(tmp, 'mask.png');
    const r = await run('--model', 'grey_identity.onnx', '--input', 'grey_13x10.png', '--output', out);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /mask\.png: run writes a float32 probability map, which only a \.npy file holds.*seglens decode --input P\.npy --decoder threshold --output mask\.png/,
    );
    assert.ok(!existsSync(out));
  });

  it('names --max-pixels (not a VS Code setting) when an image is over the limit', async () => {
    const r = await run(
      '--model',
      'grey_identity.onnx',
      '--input',
      'grey_13x10.png',
      '--max-pixels',
      '100',
      '--output',
      join(tmp, 'l.npy'),
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /grey_13x10\.png: image is 10×13 \(130 pixels\), above the limit of 100 pixels \(raise it with --max-pixels N\)/,
    );
    assert.doesNotMatch(r.stderr, /seglens\.maxPixels/);
  });

  it('reads model-load failures cleanly: empty, truncated, not ONNX, no graph — no native paths', async () => {
    const whole = readFileSync(join(MODELS_DIR, 'sigmoid_dynamic.onnx'));
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty.onnx', new Uint8Array(0), /empty\.onnx: the model file is empty \(0 bytes\)/],
      [
        'cut.onnx',
        whole.subarray(0, 60),
        /cut\.onnx: cannot load the model: the file is not an ONNX model, or it is truncated/,
      ],
      [
        'text.onnx',
        new TextEncoder().encode('hello, not a model\n'),
        /text\.onnx: cannot load the model: the file is not an ONNX model/,
      ],
      // A valid protobuf holding only ir_version = 7: parses, but has no graph.
      [
        'nograph.onnx',
        Uint8Array.from([0x08, 0x07]),
        /nograph\.onnx: cannot load the model: the file holds no ONNX graph/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      const model = join(tmp, name);
      writeFileSync(model, bytes);
      const r = await run('--model', model, '--input', 'grey_13x10.png', '--output', join(tmp, 'f.npy'));
      assert.equal(r.code, 2, name);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /onnxruntime_src|\.cc:\d|\.h:\d|::/, `${name}: ${r.stderr}`);
    }
  });

  it('with two sidecars, says which one was used', async () => {
    const model = join(tmp, 'm.onnx');
    copyFileSync(join(MODELS_DIR, 'grey_identity.onnx'), model);
    writeFileSync(join(tmp, 'm.seglens.json'), JSON.stringify({ multipleOf: 1, mean: [0], std: [1] }));
    writeFileSync(join(tmp, 'm.onnx.seglens.json'), JSON.stringify({ multipleOf: 4 }));
    const r = await run(
      '--model',
      model,
      '--input',
      'grey_13x10.png',
      '--output',
      join(tmp, 'two.npy'),
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { configSource: string; notes: string[]; inputDims: number[] };
    assert.equal(json.configSource, join(tmp, 'm.seglens.json'));
    assert.deepEqual(json.inputDims, [1, 1, 13, 10], 'multipleOf 1 from m.seglens.json');
    assert.ok(
      json.notes.some((n) =>
        /two sidecar configs: m\.seglens\.json was used, m\.onnx\.seglens\.json ignored/.test(n),
      ),
      json.notes.join('\n'),
    );
  });
});
