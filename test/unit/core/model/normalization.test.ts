import * as assert from 'node:assert/strict';
import { ResolvedModelConfig, parseModelConfigText } from '../../../../src/core/model/config';
import { ModelImage } from '../../../../src/core/model/image';
import { chooseNormalization, scaleText } from '../../../../src/core/model/normalization';
import { refuseActivationOnProbabilities } from '../../../../src/core/model/postprocess';
import { prepareInput } from '../../../../src/core/model/preprocess';

const rgb: ResolvedModelConfig = {
  input: 'x',
  output: 'y',
  layout: 'NCHW',
  size: { kind: 'dynamic', multipleOf: 1 },
  resize: 'pad',
  colorOrder: 'RGB',
  scale: undefined,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  activation: 'none',
  classes: undefined,
};

const u8: ModelImage = { width: 2, height: 1, channels: 3, data: Uint8Array.from([255, 0, 51, 0, 255, 102]) };
const u16: ModelImage = {
  width: 2,
  height: 1,
  channels: 3,
  data: Uint16Array.from([65535, 0, 13107, 0, 65535, 26214]),
};
const f32: ModelImage = { width: 2, height: 1, channels: 3, data: Float32Array.from([1, 0, 0.2, 0, 1, 0.4]) };

describe('model/normalization: the scale and its guards', () => {
  it('derives the scale from the bit depth and says so when nothing is written', () => {
    const a = chooseNormalization(u8, rgb, 'img');
    assert.equal(a.scale, 1 / 255);
    assert.match(a.notes.join('\n'), /scale 1\/255 for an 8-bit image \(input range \[0, 1\] assumed/);
    assert.equal(chooseNormalization(u16, rgb, 'img').scale, 1 / 65535);
    const f = chooseNormalization(f32, rgb, 'img');
    assert.equal(f.scale, 1);
    assert.match(f.notes.join('\n'), /float values are taken as already in \[0, 1\]/);
  });

  it('inputRange adapts to 8-bit, 16-bit and float images (the same tensor for the same picture)', () => {
    const cfg = { ...rgb, inputRange: 255, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] };
    const t8 = prepareInput(u8, cfg, 'a').data;
    const t16 = prepareInput(u16, cfg, 'b').data;
    const tf = prepareInput(f32, cfg, 'c').data;
    // Hand-computed: channel R of pixel 0 is full intensity → (255 − 123.675) / 58.395.
    assert.ok(Math.abs(t8[0] - (255 - 123.675) / 58.395) < 1e-5);
    for (let i = 0; i < t8.length; i++) {
      assert.ok(Math.abs(t8[i] - t16[i]) < 1e-4, `16-bit differs at ${i}`);
      assert.ok(Math.abs(t8[i] - tf[i]) < 1e-4, `float differs at ${i}`);
    }
    assert.match(
      chooseNormalization(u16, cfg, 'b').notes.join('\n'),
      /"inputRange": 255: full intensity 65535 → 255/,
    );
  });

  it('refuses a scale written for 8-bit pixels on a 16-bit image, naming inputRange', () => {
    assert.throws(
      () => chooseNormalization(u16, { ...rgb, scale: 1 / 255 }, 'img16.png'),
      /img16\.png: "scale": 1\/255 is written for 8-bit pixels, but this image is 16-bit: full intensity would become 257 instead of 1; write "inputRange": 1/,
    );
    assert.throws(() => chooseNormalization(u16, { ...rgb, scale: 1 }, 'x'), /"inputRange": 255/);
    // A scale meant for 16 bits is taken, with a note.
    const ok = chooseNormalization(u16, { ...rgb, scale: 1 / 65535 }, 'x');
    assert.equal(ok.scale, 1 / 65535);
    assert.match(
      ok.notes.join('\n'),
      /"scale": 1\/65535 applied to a 16-bit image: full intensity 65535 becomes 1/,
    );
  });

  it('refuses dividing a float image already in [0, 1] by 255 again', () => {
    assert.throws(
      () => chooseNormalization(f32, { ...rgb, scale: 1 / 255 }, 'f.tif'),
      /f\.tif: "scale": 1\/255 on a float image whose values already lie in \[0, 1\] would feed the model values below 0\.00392/,
    );
    const big: ModelImage = { ...f32, data: Float32Array.from([255, 0, 51, 0, 255, 102]) };
    assert.equal(chooseNormalization(big, { ...rgb, scale: 1 / 255 }, 'x').scale, 1 / 255);
  });

  it('refuses a mean in 0–255 units on pixels scaled to [0, 1] (the mmsegmentation convention)', () => {
    const mm = { ...rgb, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] };
    assert.throws(
      () => chooseNormalization(u8, mm, 'photo.jpg'),
      /photo\.jpg: "mean" \[123\.675, 116\.28, 103\.53\] is in 0–255 units, but pixels are scaled to \[0, 1\] \(scale 1\/255\).*"inputRange": 255/,
    );
    assert.throws(() => chooseNormalization(u8, { ...mm, scale: 1 / 255 }, 'x'), /0–255 units/);
    assert.equal(chooseNormalization(u8, { ...mm, inputRange: 255 }, 'x').scale, 1);
    assert.equal(chooseNormalization(u8, { ...mm, scale: 1 }, 'x').scale, 1);
  });

  it('notes a mean in 0–1 units on pixels left in 0–255', () => {
    const tv = { ...rgb, inputRange: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    assert.match(
      chooseNormalization(u8, tv, 'x').notes.join('\n'),
      /look like 0–1 units, but pixels reach 255/,
    );
  });

  it('parses inputRange and refuses it beside scale', () => {
    assert.deepEqual(parseModelConfigText('{"inputRange": 255}', 'c.json'), { inputRange: 255 });
    assert.throws(() => parseModelConfigText('{"inputRange": 0}', 'c.json'), /"inputRange" = 0 is invalid/);
    assert.throws(
      () => parseModelConfigText('{"inputRange": 1, "scale": 0.5}', 'c.json'),
      /c\.json: "scale" and "inputRange" both set/,
    );
  });

  it('writes scales readably', () => {
    assert.equal(scaleText(1 / 255), '1/255');
    assert.equal(scaleText(255 / 65535), '255/65535');
    assert.equal(scaleText(0.017), '0.017');
    assert.equal(scaleText(1), '1');
  });
});

describe('model/postprocess: an activation on an output already in [0, 1]', () => {
  const cfg = { ...rgb, output: 'sigmoid_0.tmp_0', activation: 'sigmoid' as const };
  it('refuses it, naming the range and the output name', () => {
    assert.throws(
      () => refuseActivationOnProbabilities(Float32Array.from([0, 0.2, 1]), 1, cfg, 'det.onnx'),
      /det\.onnx: output "sigmoid_0\.tmp_0" already holds probabilities: its values lie in \[0\.000, 1\.000\] \(and its name says so\); a sigmoid would squeeze it into \[0\.5, 0\.731\]/,
    );
    assert.throws(
      () =>
        refuseActivationOnProbabilities(
          Float32Array.from([0.5, 0.5]),
          2,
          { ...cfg, output: 'out', activation: 'softmax' },
          'm',
        ),
      /output "out" already holds probabilities.*a softmax would flatten its 2 channels towards 1\/2/,
    );
  });
  it('lets logits through (any value outside [0, 1]) and leaves NaN to the NaN check', () => {
    refuseActivationOnProbabilities(Float32Array.from([-3, 0.2, 0.9]), 1, cfg, 'm');
    refuseActivationOnProbabilities(Float32Array.from([0.1, 1.5]), 1, cfg, 'm');
    refuseActivationOnProbabilities(Float32Array.from([0.1, NaN]), 1, cfg, 'm');
  });
});
