/**
 * The runner against the generated test models (tools/models/make_test_models.py): every case's probability map
 * must match the map computed independently in numpy/torch by the generator.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateModelConfig } from '../../../../src/core/model/config';
import { readNpy } from '../../../../src/core/io/npy';
import { loadModelImage } from '../../../../src/node/model/loadImage';
import { ModelRunner } from '../../../../src/node/model/runner';
import { SessionCache } from '../../../../src/node/model/sessionCache';
import { MODELS_DIR, maxAbsDiff } from '../../core/model/helpers';

const DIR = MODELS_DIR;

interface FixtureCase {
  name: string;
  model: string;
  image: string;
  config: unknown;
  expected: string;
  note: string;
  /** Largest allowed |difference|; 2e-5 unless the case says otherwise. */
  tolerance?: number;
}

const cases = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as FixtureCase[];

describe('model runner on the generated test models', () => {
  const runner = new ModelRunner(new SessionCache({ intraOpNumThreads: 1 }));
  after(() => runner.dispose());

  it('has the cases the issue asks for', () => {
    const models = new Set(cases.map((c) => c.model));
    for (const m of ['sigmoid_dynamic', 'softmax_fixed', 'nhwc_bgr', 'strided_fixed', 'two_outputs']) {
      assert.ok(models.has(`${m}.onnx`), m);
    }
  });

  for (const c of cases) {
    it(`${c.name}: ${c.note}`, async () => {
      const image = await loadModelImage(join(DIR, c.image));
      const config = validateModelConfig(c.config, `${c.name} config`);
      const result = await runner.run(join(DIR, c.model), image, c.image, { config });
      const expected = readNpy(readFileSync(join(DIR, c.expected)));
      assert.deepEqual(result.prob.shape, expected.shape);
      const diff = maxAbsDiff(result.prob.data, expected.data as Float32Array);
      assert.ok(diff < (c.tolerance ?? 2e-5), `max |diff| = ${diff}`);
    });
  }
});
