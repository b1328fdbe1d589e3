import * as assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { configToJson, parseModelConfigText, validateModelConfig } from '../../../../src/core/model/config';
import { resolveModelConfig } from '../../../../src/core/model/resolve';

const SRC = 'unet.seglens.json';

describe('model/config: validation', () => {
  it('accepts the demo config and keeps every key', () => {
    const text = JSON.stringify({
      input: 'image',
      output: 'logits',
      layout: 'NCHW',
      size: 'dynamic',
      multipleOf: 16,
      resize: 'pad',
      colorOrder: 'GRAY',
      scale: 0.00392156862745098,
      mean: [0.1],
      std: [0.2],
      activation: 'sigmoid',
      classes: ['putamen'],
    });
    const c = parseModelConfigText(text, SRC);
    assert.deepEqual(c, {
      input: 'image',
      output: 'logits',
      layout: 'NCHW',
      size: { kind: 'dynamic', multipleOf: 16 },
      resize: 'pad',
      colorOrder: 'GRAY',
      scale: 0.00392156862745098,
      mean: [0.1],
      std: [0.2],
      activation: 'sigmoid',
      classes: ['putamen'],
    });
  });

  it('accepts a fixed size and a bare number for mean/std; an empty object is valid', () => {
    const c = validateModelConfig({ size: [256, 320], mean: 0.5, std: 0.25 }, SRC);
    assert.deepEqual(c.size, { kind: 'fixed', height: 256, width: 320 });
    assert.deepEqual(c.mean, [0.5]);
    assert.deepEqual(c.std, [0.25]);
    assert.deepEqual(validateModelConfig({}, SRC), {});
    assert.deepEqual(validateModelConfig({ size: 'dynamic' }, SRC).size, { kind: 'dynamic', multipleOf: 32 });
    assert.deepEqual(validateModelConfig({ multipleOf: 8 }, SRC).size, { kind: 'dynamic', multipleOf: 8 });
  });

  const bad: [string, unknown, RegExp][] = [
    ['not JSON', '{', /not valid JSON/],
    ['an array', [], /must be a JSON object/],
    ['a misspelt key', { colourOrder: 'RGB' }, /unknown key "colourOrder"/],
    ['a bad layout', { layout: 'CHW' }, /"layout" = "CHW" is invalid: expected NCHW \| NHWC/],
    ['a bad resize', { resize: 'crop' }, /expected stretch \| letterbox \| pad/],
    ['a bad activation', { activation: 'relu' }, /expected none \| sigmoid \| softmax/],
    ['a bad size', { size: [256] }, /"size" = \[256\] is invalid/],
    ['a fractional size', { size: [25.5, 3] }, /"size"/],
    ['multipleOf with a fixed size', { size: [16, 16], multipleOf: 8 }, /only applies to "size": "dynamic"/],
    ['a zero multipleOf', { size: 'dynamic', multipleOf: 0 }, /"multipleOf" = 0 is invalid/],
    ['a zero std', { std: [0.2, 0, 0.2] }, /non-zero values/],
    ['a mean of 2 values', { mean: [0.1, 0.2, 0.3, 0.4] }, /list of 1 or 3 finite numbers/],
    ['a string scale', { scale: '1/255' }, /"scale" = "1\/255" is invalid/],
    ['empty classes', { classes: [] }, /non-empty list of class names/],
    ['an empty input name', { input: '' }, /"input" = "" is invalid/],
  ];
  for (const [what, value, message] of bad) {
    it(`refuses ${what}, naming the file`, () => {
      const run = () =>
        typeof value === 'string' ? parseModelConfigText(value, SRC) : validateModelConfig(value, SRC);
      assert.throws(
        run,
        (e: unknown) =>
          e instanceof InputError && e.message.startsWith(`${SRC}: `) && message.test(e.message),
      );
    });
  }

  it('round-trips a resolved config through configToJson', () => {
    const written = validateModelConfig(
      { size: 'dynamic', multipleOf: 16, colorOrder: 'GRAY', scale: 0.5 },
      SRC,
    );
    const info = {
      inputs: [{ name: 'x', isTensor: true, type: 'float32', shape: [1, 1, 'h', 'w'] }],
      outputs: [{ name: 'y', isTensor: true, type: 'float32', shape: [1, 1, 'h', 'w'] }],
    };
    const { config } = resolveModelConfig(info, written, 'm.onnx');
    const again = resolveModelConfig(info, validateModelConfig(configToJson(config), SRC), 'm.onnx');
    assert.deepEqual(again.config, config);
    assert.deepEqual(again.notes, [], 'a saved config leaves nothing to infer');
  });
});
