/**
 * The demo model (demo/models/unet_bce.onnx, trained by tools/demo/train_unets.py) through our runner must
 * reproduce the reference computed independently by tools/demo/export_probs.py: numpy preprocessing, one
 * onnxruntime session.run, numpy crop and sigmoid (tools/demo/reference/README.md).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../../../src/core/io/npy';
import { parseModelConfigText } from '../../../../src/core/model/config';
import { prepareInput } from '../../../../src/core/model/preprocess';
import { resolveModelConfig } from '../../../../src/core/model/resolve';
import { loadModelImage } from '../../../../src/node/model/loadImage';
import { ModelRunner } from '../../../../src/node/model/runner';
import { maxAbsDiff } from '../../core/model/helpers';
import { REPO } from '../../../support/repo';

const ROOT = REPO;
const MODEL = join(ROOT, 'demo/models/unet_bce.onnx');
const IMAGE = join(ROOT, 'demo/images/slice_072.png');
const REF = join(ROOT, 'tools/demo/reference');

const npy = (path: string) => readNpy(readFileSync(path));

describe('demo model reproduces its reference', () => {
  const runner = new ModelRunner();
  after(() => runner.dispose());

  it('preprocesses slice_072 exactly like the reference input (pad with black, then normalise)', async () => {
    const inspected = await runner.inspect(MODEL);
    assert.match(inspected.configSource ?? '', /unet_bce\.onnx\.seglens\.json$/);
    const written = parseModelConfigText(readFileSync(`${MODEL}.seglens.json`, 'utf8'), 'sidecar');
    const { config } = resolveModelConfig(inspected.info, written, MODEL);
    const input = prepareInput(await loadModelImage(IMAGE), config, IMAGE);
    const ref = npy(join(REF, 'unet_bce_slice_072.input.npy'));
    assert.deepEqual(input.dims, ref.shape);
    assert.ok(maxAbsDiff(input.data, ref.data as Float32Array) < 1e-5);
  });

  it('runs end to end to the reference probability map [5, 217, 181]', async () => {
    const result = await runner.run(MODEL, await loadModelImage(IMAGE), IMAGE);
    const ref = npy(join(ROOT, 'demo/probs/unet_bce/slice_072.npy'));
    assert.deepEqual(result.prob.shape, [5, 217, 181]);
    assert.deepEqual(result.prob.shape, ref.shape);
    assert.deepEqual(result.classes, ['caudate', 'putamen', 'pallidum', 'thalamus', 'hippocampus+amygdala']);
    assert.ok(maxAbsDiff(result.prob.data, ref.data as Float32Array) < 1e-4);
    // The map is not trivially flat: the model finds structures (a broken pipeline gives ~0 everywhere).
    let above = 0;
    for (const v of result.prob.data) if (v > 0.5) above++;
    assert.ok(above > 100, `${above} pixels above 0.5`);
  });

  // Every demo model with committed maps: our runner must give the same maps (first and last slice of each).
  const models = readdirSync(join(ROOT, 'demo/models')).filter((f) => f.endsWith('.onnx'));
  it('has at least the BCE demo model', () => assert.ok(models.includes('unet_bce.onnx')));
  for (const file of models) {
    const stem = file.replace(/\.onnx$/, '');
    const probs = join(ROOT, 'demo/probs', stem);
    it(`${stem}: reproduces demo/probs/${stem} on the first and last slice`, async () => {
      assert.ok(existsSync(probs), `${probs} is missing`);
      const maps = readdirSync(probs)
        .filter((f) => f.endsWith('.npy'))
        .sort();
      assert.ok(maps.length > 0);
      for (const map of [maps[0], maps[maps.length - 1]]) {
        const image = join(ROOT, 'demo/images', map.replace(/\.npy$/, '.png'));
        const result = await runner.run(join(ROOT, 'demo/models', file), await loadModelImage(image), image);
        const ref = npy(join(probs, map));
        assert.deepEqual(result.prob.shape, ref.shape, map);
        assert.ok(maxAbsDiff(result.prob.data, ref.data as Float32Array) < 1e-4, map);
      }
    });
  }
});
