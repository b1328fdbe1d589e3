import * as assert from 'node:assert/strict';
import { InputError } from '../../../../src/core/errors';
import { ModelConfig } from '../../../../src/core/model/config';
import { Dim, ModelInfo, resolveModelConfig } from '../../../../src/core/model/resolve';

const M = 'model.onnx';

function info(inShape: Dim[], outShape: Dim[], outType = 'float32'): ModelInfo {
  return {
    inputs: [{ name: 'in', isTensor: true, type: 'float32', shape: inShape }],
    outputs: [{ name: 'out', isTensor: true, type: outType, shape: outShape }],
  };
}

function fails(i: ModelInfo, written: ModelConfig, message: RegExp): void {
  assert.throws(
    () => resolveModelConfig(i, written, M),
    (e: unknown) => e instanceof InputError && e.message.startsWith(`${M}: `) && message.test(e.message),
  );
}

describe('model/resolve: defaults from metadata', () => {
  it('infers NCHW, GRAY, dynamic size, pad and no activation for [1, 1, H, W]', () => {
    const { config, notes } = resolveModelConfig(info([1, 1, 'H', 'W'], [1, 1, 'H', 'W']), {}, M);
    assert.deepEqual(config, {
      input: 'in',
      output: 'out',
      layout: 'NCHW',
      size: { kind: 'dynamic', multipleOf: 32 },
      resize: 'pad',
      colorOrder: 'GRAY',
      scale: undefined,
      mean: [0],
      std: [1],
      activation: 'none',
      classes: undefined,
    });
    assert.equal(notes.length, 6);
    assert.match(notes.join('\n'), /layout NCHW inferred/);
    assert.match(notes.join('\n'), /mean 0 and std 1 assumed/);
  });

  it('infers NHWC and RGB for [N, 512, 512, 3] with a fixed size and stretch', () => {
    const { config } = resolveModelConfig(info(['N', 512, 512, 3], ['N', 512, 512, 2]), {}, M);
    assert.equal(config.layout, 'NHWC');
    assert.equal(config.colorOrder, 'RGB');
    assert.deepEqual(config.size, { kind: 'fixed', height: 512, width: 512 });
    assert.equal(config.resize, 'stretch');
    assert.deepEqual(config.mean, [0, 0, 0]);
  });

  it('prefers NCHW when both axes could be channels, and follows a written colorOrder', () => {
    assert.equal(resolveModelConfig(info([1, 3, 3, 3], [1, 1, 3, 3]), {}, M).config.layout, 'NCHW');
    assert.equal(resolveModelConfig(info([1, 'h', 'w', 1], [1, 'h', 'w', 1]), {}, M).config.layout, 'NHWC');
    assert.equal(
      resolveModelConfig(info([1, 1, 32, 3], [1, 1, 32, 3]), { colorOrder: 'RGB' }, M).config.layout,
      'NHWC',
    );
  });

  it('expands a single mean/std to every channel and keeps written values', () => {
    const { config } = resolveModelConfig(
      info([1, 3, 'h', 'w'], [1, 2, 'h', 'w']),
      { mean: [0.5], std: [2] },
      M,
    );
    assert.deepEqual(config.mean, [0.5, 0.5, 0.5]);
    assert.deepEqual(config.std, [2, 2, 2]);
  });

  it('picks the first input/output by default and notes the choice when there are several', () => {
    const i: ModelInfo = {
      inputs: [{ name: 'x', isTensor: true, type: 'float32', shape: [1, 1, 'h', 'w'] }],
      outputs: [
        { name: 'a', isTensor: true, type: 'float32', shape: [1, 1, 'h', 'w'] },
        { name: 'b', isTensor: true, type: 'float32', shape: [1, 2, 'h', 'w'] },
      ],
    };
    const r = resolveModelConfig(i, {}, M);
    assert.equal(r.config.output, 'a');
    assert.match(r.notes.join('\n'), /output "a" picked, the first of "a", "b"/);
    assert.equal(resolveModelConfig(i, { output: 'b' }, M).config.output, 'b');
  });

  it('accepts a model without declared shapes (all from the config)', () => {
    const i: ModelInfo = {
      inputs: [{ name: 'x', isTensor: true, type: 'float32' }],
      outputs: [{ name: 'y', isTensor: true, type: 'float32' }],
    };
    const { config } = resolveModelConfig(
      i,
      { colorOrder: 'GRAY', size: { kind: 'fixed', height: 8, width: 8 } },
      M,
    );
    assert.equal(config.layout, 'NCHW');
  });

  it('refuses inconsistencies with clear messages', () => {
    fails(info([4, 1, 'h', 'w'], [4, 1, 'h', 'w']), {}, /fixed batch size of 4/);
    fails(info([1, 2, 'h', 'w'], [1, 1, 'h', 'w']), {}, /has 2 channels; SegLens feeds 1 \(GRAY\) or 3/);
    fails(
      info([1, 1, 64, 64], [1, 1, 64, 64]),
      { size: { kind: 'fixed', height: 32, width: 32 } },
      /64×64, but the config says size \[32, 32\]/,
    );
    fails(
      info([1, 1, 64, 64], [1, 1, 64, 64]),
      { size: { kind: 'dynamic', multipleOf: 8 } },
      /fixed spatial size, but the config says "size": "dynamic"/,
    );
    fails(info([1, 1, 64, 'w'], [1, 1, 64, 'w']), {}, /one fixed and one dynamic spatial axis/);
    fails(
      info([1, 1, 'h', 'w'], [1, 1, 'h', 'w']),
      { mean: [1, 2, 3] },
      /"mean" has 3 values, but colorOrder GRAY feeds 1/,
    );
    fails(info([1, 1, 'h', 'w'], [1, 1, 'h', 'w'], 'uint8'), {}, /element type uint8/);
    fails(info([1, 1, 'h', 'w'], [1, 1, 1, 'h', 'w']), {}, /rank 5/);
    fails(
      info([1, 1, 'h', 'w'], [1, 1]),
      { output: 'nope' },
      /names output "nope", but the model's outputs are "out"/,
    );
    fails(
      { inputs: [{ name: 'x', isTensor: true, type: 'uint8', shape: [1, 1, 2, 2] }], outputs: [] },
      {},
      /no outputs/,
    );
    fails(
      {
        inputs: [{ name: 'x', isTensor: true, type: 'int16', shape: [1, 1, 2, 2] }],
        outputs: info([1], [1]).outputs,
      },
      {},
      /element type int16; SegLens feeds images as float32, float16, uint8/,
    );
  });
});
