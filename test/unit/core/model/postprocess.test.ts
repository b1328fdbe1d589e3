import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors';
import { ResolvedModelConfig } from '../../../../src/core/model/config';
import { planGeometry } from '../../../../src/core/model/geometry';
import { interpretOutput, resampleToImage, toProbMap } from '../../../../src/core/model/postprocess';
import { prepareInput } from '../../../../src/core/model/preprocess';

const base: ResolvedModelConfig = {
  input: 'x',
  output: 'y',
  layout: 'NCHW',
  size: { kind: 'dynamic', multipleOf: 4 },
  resize: 'pad',
  colorOrder: 'GRAY',
  scale: undefined,
  mean: [0],
  std: [1],
  activation: 'none',
  classes: undefined,
};

describe('model/postprocess: output interpretation', () => {
  it('recognises the map layouts', () => {
    assert.equal(interpretOutput([1, 4, 8, 8], 'NCHW', 8, 8, 'y', 'm').channels, 4);
    const nhwc = interpretOutput([1, 8, 8, 2], 'NHWC', 8, 8, 'y', 'm');
    assert.deepEqual([nhwc.channels, nhwc.pixelStride, nhwc.rowStride], [2, 2, 16]);
    assert.equal(interpretOutput([1, 8, 8], 'NHWC', 8, 8, 'y', 'm').axes, '[N, H, W]');
    assert.equal(interpretOutput([3, 8, 8], 'NCHW', 8, 8, 'y', 'm').axes, '[C, H, W]');
    assert.equal(interpretOutput([8, 8], 'NCHW', 8, 8, 'y', 'm').axes, '[H, W]');
    // A stride-4 head on a 64×48 input.
    assert.equal(interpretOutput([1, 2, 16, 12], 'NCHW', 64, 48, 'y', 'm').height, 16);
  });

  it('refuses classifier, pooled and mis-proportioned outputs', () => {
    for (const dims of [[1, 1000], [1, 2, 1, 1], [1, 2, 64, 4], [5], [1, 1, 1, 1, 1]]) {
      assert.throws(
        () => interpretOutput(dims, 'NCHW', 64, 64, 'y', 'm.onnx'),
        (e: unknown) =>
          e instanceof InputError &&
          /^m.onnx: output "y" has shape .* not a segmentation map/.test(e.message),
        dims.join(','),
      );
    }
    assert.throws(() => interpretOutput([2, 1, 8, 8], 'NCHW', 8, 8, 'y', 'm'), /has batch 2, expected 1/);
  });
});

describe('model/postprocess: pre → post round trip (hand-computed)', () => {
  it('an identity model with pad returns the image at its size, cropped exactly', () => {
    // 3×2 grey image, padded to 4×4; the "model" echoes its input, so the map must equal pixel/255.
    const image = { width: 2, height: 3, channels: 1, data: Uint8Array.from([0, 51, 102, 153, 204, 255]) };
    const input = prepareInput(image, base, 'img');
    assert.deepEqual(input.dims, [1, 1, 4, 4]);
    assert.deepEqual(
      Array.from(input.data),
      [0, 0.2, 0, 0, 0.4, 0.6, 0, 0, 0.8, 1, 0, 0, 0, 0, 0, 0].map(Math.fround),
    );
    const { prob, classes } = toProbMap({ data: input.data, dims: input.dims }, base, input.geometry, 'm');
    assert.deepEqual(prob.shape, [1, 3, 2]);
    assert.deepEqual(Array.from(prob.data), [0, 0.2, 0.4, 0.6, 0.8, 1].map(Math.fround));
    assert.deepEqual(classes, ['foreground']);
  });

  it('pads with black pixels before normalisation: (0·scale − mean) / std in the tensor', () => {
    // 1×1 image of 255, padded to 2×2 (multiple of 2) with mean 0.5, std 0.25: content (1 − 0.5)/0.25 = 2,
    // padding (0 − 0.5)/0.25 = −2. NHWC with RGB replicates the grey pixel to three channels.
    const image = { width: 1, height: 1, channels: 1, data: Uint8Array.from([255]) };
    const cfg = { ...base, size: { kind: 'dynamic' as const, multipleOf: 2 }, mean: [0.5], std: [0.25] };
    assert.deepEqual(Array.from(prepareInput(image, cfg, 'img').data), [2, -2, -2, -2]);
    const rgb = prepareInput(
      image,
      { ...cfg, layout: 'NHWC', colorOrder: 'RGB', mean: [0.5, 0, 0.5], std: [0.25, 1, 0.5] },
      'img',
    );
    assert.deepEqual(Array.from(rgb.data), [2, 1, 1, -2, 0, -1, -2, 0, -1, -2, 0, -1]);
  });

  it('packs RGB and BGR, NCHW and NHWC, with per-channel normalisation', () => {
    // One pixel (R, G, B) = (255, 0, 51): scale 1/255, mean (0.5, 0, 0), std (0.5, 1, 0.2).
    const image = { width: 1, height: 1, channels: 3, data: Uint8Array.from([255, 0, 51]) };
    const cfg = {
      ...base,
      colorOrder: 'RGB' as const,
      mean: [0.5, 0, 0],
      std: [0.5, 1, 0.2],
      size: { kind: 'dynamic' as const, multipleOf: 1 },
    };
    const rgb = prepareInput(image, cfg, 'img');
    assert.deepEqual(Array.from(rgb.data), [1, 0, 1].map(Math.fround));
    const bgr = prepareInput(image, { ...cfg, colorOrder: 'BGR', layout: 'NHWC' }, 'img');
    assert.deepEqual(bgr.dims, [1, 1, 1, 3]);
    // Channel 0 is now blue: (0.2 − 0.5)/0.5 = −0.6; channel 2 red: (1 − 0)/0.2 = 5.
    assert.deepEqual(Array.from(bgr.data), [-0.6, 0, 5].map(Math.fround));
  });

  it('clamps values a hair outside [0, 1] but refuses logits without an activation', () => {
    const g = planGeometry(1, 2, { kind: 'dynamic', multipleOf: 1 }, 'pad', 'img');
    const ok = toProbMap({ data: Float32Array.from([-1e-6, 1 + 1e-6]), dims: [1, 1, 1, 2] }, base, g, 'm');
    assert.deepEqual(Array.from(ok.prob.data), [0, 1]);
    assert.throws(
      () =>
        toProbMap(
          { data: Float32Array.from([-3, 2, 0.5, 0.5]), dims: [1, 1, 2, 2] },
          { ...base, layout: 'NHWC' },
          g,
          'm',
        ),
      /ranges over \[-3\.000, 2\.000\].*"softmax"/,
    );
    assert.throws(
      () =>
        toProbMap(
          { data: Float32Array.from([0, 1]), dims: [1, 1, 1, 2] },
          { ...base, activation: 'softmax' },
          g,
          'm',
        ),
      /softmax" on a 1-channel output/,
    );
    assert.throws(
      () =>
        toProbMap(
          { data: Float32Array.from([0, NaN]), dims: [1, 1, 1, 2] },
          { ...base, activation: 'sigmoid' },
          g,
          'm',
        ),
      /contains NaN \(first at class 0, row 0, column 1, after sigmoid\)/,
    );
    assert.throws(
      () => toProbMap({ data: Float32Array.from([Infinity, 0]), dims: [1, 1, 1, 2] }, base, g, 'm'),
      /contains Infinity \(first at class 0, row 0, column 0\); the model produced invalid values/,
    );
  });
});

describe('model/postprocess: identity-model round trip (property)', () => {
  it('pad and letterbox with a dynamic size map the normalised pixels back exactly, for every layout and colour order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 16 }),
        fc.constantFrom('pad' as const, 'letterbox' as const),
        fc.constantFrom('NCHW' as const, 'NHWC' as const),
        fc.constantFrom('GRAY' as const, 'RGB' as const, 'BGR' as const),
        fc.integer({ min: 0, max: 1 << 30 }),
        (h, w, m, resize, layout, colorOrder, seed) => {
          const data = Uint8Array.from({ length: h * w }, (_, i) => (seed + i * 97) % 256);
          const c = colorOrder === 'GRAY' ? 1 : 3;
          const cfg: ResolvedModelConfig = {
            ...base,
            layout,
            colorOrder,
            resize,
            size: { kind: 'dynamic', multipleOf: m },
            mean: new Array<number>(c).fill(0.25),
            std: new Array<number>(c).fill(0.5),
          };
          const input = prepareInput({ width: w, height: h, channels: 1, data }, cfg, 'img');
          // The "model" returns its input, so the mapped-back values are the normalised pixels (no activation).
          const { prob } = resampleToImage({ data: input.data, dims: input.dims }, cfg, input.geometry, 'm');
          assert.deepEqual(prob.shape, [c, h, w]);
          for (let ch = 0; ch < c; ch++) {
            for (let i = 0; i < h * w; i++) {
              const v = prob.data[ch * h * w + i];
              assert.ok(Math.abs(v - (data[i] / 255 - 0.25) / 0.5) < 1e-6, `${ch}, ${i}`);
            }
          }
        },
      ),
    );
  });
});
