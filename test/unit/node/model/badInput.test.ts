/**
 * Bad models and bad configs: each must fail with an InputError that names the model (or config) and the cause,
 * and the runner must keep working afterwards.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { ModelConfig } from '../../../../src/core/model/config';
import { ModelImage } from '../../../../src/core/model/preprocess';
import { ModelRunner } from '../../../../src/node/model/runner';
import { SessionCache } from '../../../../src/node/model/sessionCache';
import { repoPath } from '../../../support/repo';

const DIR = repoPath('test/fixtures/models');
const model = (name: string): string => join(DIR, `${name}.onnx`);

function greyImage(height: number, width: number): ModelImage {
  const data = new Uint8Array(height * width);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
  return { width, height, channels: 1, data };
}

function rgbImage(height: number, width: number): ModelImage {
  const data = new Uint8Array(height * width * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 11) % 256;
  return { width, height, channels: 3, data };
}

/** Asserts an InputError whose message starts with the model path and matches `cause`. */
async function rejectsNaming(p: Promise<unknown>, path: string, cause: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.ok(e.message.startsWith(`${path}: `), e.message);
    assert.match(e.message, cause);
    return true;
  });
}

describe('model runner: bad input', () => {
  const runner = new ModelRunner(new SessionCache({ intraOpNumThreads: 1 }));
  after(() => runner.dispose());

  it('refuses a file that is not ONNX', async () => {
    await rejectsNaming(
      runner.run(model('not_onnx'), greyImage(4, 4), 'img'),
      model('not_onnx'),
      /cannot load the model: the file is not an ONNX model, or it is truncated/,
    );
  });

  it('refuses a missing model file', async () => {
    await rejectsNaming(
      runner.run(model('nope'), greyImage(4, 4), 'img'),
      model('nope'),
      /cannot read the model file/,
    );
  });

  it('reports NaN outputs with the first bad pixel', async () => {
    const config: ModelConfig = { size: { kind: 'dynamic', multipleOf: 1 } };
    await rejectsNaming(
      runner.run(model('nan_output'), greyImage(3, 5), 'img', { config }),
      model('nan_output'),
      /output "out" contains NaN \(first at class 0, row 0, column 0\)/,
    );
  });

  it('reports NaN logits before a sigmoid could hide them', async () => {
    const config: ModelConfig = { size: { kind: 'dynamic', multipleOf: 1 }, activation: 'sigmoid' };
    await rejectsNaming(
      runner.run(model('nan_output'), greyImage(3, 5), 'img', { config }),
      model('nan_output'),
      /output "out" contains NaN \(first at class 0, row 0, column 0\)/,
    );
  });

  it('refuses an output that is not a map', async () => {
    const config: ModelConfig = { size: { kind: 'dynamic', multipleOf: 8 } };
    await rejectsNaming(
      runner.run(model('classifier'), greyImage(16, 16), 'img', { config }),
      model('classifier'),
      /output "scores" has shape \[1, 5\], which is not a segmentation map/,
    );
  });

  it('refuses an integer (label map) output before running', async () => {
    await rejectsNaming(
      runner.run(model('label_output'), rgbImage(4, 4), 'img'),
      model('label_output'),
      /output "labels" has element type int64/,
    );
  });

  it('refuses an input of the wrong rank', async () => {
    await rejectsNaming(
      runner.run(model('rank3_input'), greyImage(4, 4), 'img'),
      model('rank3_input'),
      /input "image" has rank 3 \[1, H, W\]/,
    );
  });

  it('refuses a config whose channels do not match the model', async () => {
    await rejectsNaming(
      runner.run(model('softmax_fixed'), rgbImage(4, 4), 'img', { config: { colorOrder: 'GRAY' } }),
      model('softmax_fixed'),
      /has 3 channel\(s\), but colorOrder GRAY feeds 1/,
    );
    await rejectsNaming(
      runner.run(model('softmax_fixed'), rgbImage(4, 4), 'img', { config: { layout: 'NHWC' } }),
      model('softmax_fixed'),
      /input "input" \[batch, 3, 16, 16\] \(NHWC\) has 16 channels/,
    );
  });

  it('refuses a config that names a missing output, listing the real ones', async () => {
    await rejectsNaming(
      runner.run(model('two_outputs'), greyImage(4, 4), 'img', { config: { output: 'prob' } }),
      model('two_outputs'),
      /names output "prob", but the model's outputs are "aux", "probs"/,
    );
  });

  it('reports a model that throws while running, in a readable sentence', async () => {
    const config: ModelConfig = { size: { kind: 'dynamic', multipleOf: 1 } };
    await rejectsNaming(
      runner.run(model('throws'), greyImage(4, 4), 'img', { config }),
      model('throws'),
      /failed while running on an input of shape \[1, 1, 4, 4\]: Reshape node: The input tensor cannot be reshaped/,
    );
  });

  it('reports a model that runs out of memory, and the runner survives', async () => {
    const config: ModelConfig = { size: { kind: 'dynamic', multipleOf: 1 } };
    await rejectsNaming(
      runner.run(model('oom'), greyImage(4, 4), 'img', { config }),
      model('oom'),
      /the model ran out of memory on an input of shape \[1, 1, 4, 4\]/,
    );
  });

  it('says logits need an activation instead of returning values outside [0, 1]', async () => {
    await rejectsNaming(
      runner.run(model('sigmoid_dynamic'), greyImage(8, 8), 'img', { config: { activation: 'none' } }),
      model('sigmoid_dynamic'),
      /holds logits, not probabilities; set "activation": "sigmoid"/,
    );
  });

  it('refuses a class list of the wrong length', async () => {
    await rejectsNaming(
      runner.run(model('softmax_fixed'), rgbImage(16, 16), 'img', {
        config: { classes: ['a', 'b'], activation: 'softmax' },
      }),
      model('softmax_fixed'),
      /lists 2 classes, but output "out" \[1, 4, 16, 16\] \(\[N, C, H, W\]\) has 4 channel/,
    );
  });

  it('keeps working after failures', async () => {
    const r = await runner.run(model('two_outputs'), greyImage(5, 6), 'img', {
      config: { output: 'probs', size: { kind: 'dynamic', multipleOf: 1 } },
    });
    assert.deepEqual(r.prob.shape, [2, 5, 6]);
  });
});
