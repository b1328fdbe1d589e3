import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelConfigText } from '../../../../src/core/model/config';
import { resolveModelConfig } from '../../../../src/core/model/resolve';
import { findSidecarConfig, sidecarCandidates, writeSidecarConfig } from '../../../../src/node/model/sidecar';
import { makeTempDir } from '../../../support/tempDir';

describe('model/sidecar', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = makeTempDir('seglens-sidecar').path;
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('finds sidecar configs as <stem>.seglens.json, then <name>.seglens.json', async () => {
    assert.deepEqual(sidecarCandidates('/a/unet.onnx'), [
      '/a/unet.seglens.json',
      '/a/unet.onnx.seglens.json',
    ]);
    const model = join(tmp, 'unet.onnx');
    assert.equal(await findSidecarConfig(model), undefined);
    writeFileSync(join(tmp, 'unet.onnx.seglens.json'), '{"activation": "sigmoid"}');
    assert.deepEqual((await findSidecarConfig(model))?.config, { activation: 'sigmoid' });
    writeFileSync(join(tmp, 'unet.seglens.json'), '{"activation": "bogus"}');
    await assert.rejects(findSidecarConfig(model), /unet\.seglens\.json: "activation" = "bogus" is invalid/);
  });

  it('saves a confirmed config that reads back to the same resolved config, never overwriting unasked', () => {
    const info = {
      inputs: [{ name: 'x', isTensor: true, type: 'float32', shape: [1, 3, 'h', 'w'] }],
      outputs: [{ name: 'y', isTensor: true, type: 'float32', shape: [1, 4, 'h', 'w'] }],
    };
    const { config } = resolveModelConfig(info, { activation: 'softmax', mean: [0.5] }, 'm.onnx');
    const model = join(tmp, 'seg.onnx');
    const path = writeSidecarConfig(model, config);
    assert.equal(path, join(tmp, 'seg.seglens.json'));
    const again = resolveModelConfig(info, parseModelConfigText(readFileSync(path, 'utf8'), path), 'm.onnx');
    assert.deepEqual(again.config, config);
    assert.throws(
      () => writeSidecarConfig(model, config),
      /seg\.seglens\.json: a model config exists already/,
    );
    assert.equal(writeSidecarConfig(model, { ...config, activation: 'sigmoid' }, true), path);
    assert.match(readFileSync(path, 'utf8'), /"activation": "sigmoid"/);
  });
});
