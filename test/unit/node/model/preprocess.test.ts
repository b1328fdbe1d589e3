/**
 * The preprocessing real exports need (issue 14), each against the NumPy reference of
 * tools/models/make_preprocess_cases.py: aspect-preserving resizes with multipleOf, letterbox anchor and pad value,
 * centred padding (input tensors), and through small generated models float16 and uint8 inputs, constant extra
 * inputs, two outputs combined, both stride conventions and sliding-window tiles with both blends (maps).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../../../src/core/io/npy';
import { channelsOf, validateModelConfig } from '../../../../src/core/model/config';
import { prepareInput } from '../../../../src/core/model/preprocess';
import { resolveModelConfig } from '../../../../src/core/model/resolve';
import { loadImageFile } from '../../../../src/node/io/load';
import { ModelRunner } from '../../../../src/node/model/runner';
import { repoPath } from '../../../support/repo';
import { maxAbsDiff } from '../../core/model/helpers';

const DIR = repoPath('test/fixtures/models/preprocess');

interface Case {
  name: string;
  kind: 'tensor' | 'map';
  model?: string;
  image: string;
  config: Record<string, unknown>;
  expected: string;
  what: string;
}

const CASES = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as Case[];

function expectedOf(c: Case): { shape: number[]; data: Float32Array } {
  const a = readNpy(readFileSync(join(DIR, c.expected)));
  return { shape: [...a.shape], data: a.data as Float32Array };
}

describe('model preprocessing for real exports, against NumPy', () => {
  const runner = new ModelRunner();
  after(() => runner.dispose());

  it('covers every kind of case the generator writes', () => {
    const names = CASES.map((c) => c.name);
    for (const n of [
      'longest_40_m8',
      'letterbox_center_pad114',
      'extra_inputs',
      'tiles_linear',
      'stride2_resize_then_crop',
    ])
      assert.ok(names.includes(n), n);
  });

  for (const c of CASES.filter((k) => k.kind === 'tensor')) {
    it(`input tensor: ${c.what}`, async () => {
      const written = validateModelConfig(c.config, c.name);
      const C = channelsOf(written.colorOrder ?? 'RGB');
      const { config } = resolveModelConfig(
        {
          inputs: [{ name: 'x', isTensor: true, type: 'float32', shape: [1, C, 'h', 'w'] }],
          outputs: [{ name: 'y', isTensor: true, type: 'float32', shape: [1, 1, 'h', 'w'] }],
        },
        written,
        c.name,
      );
      const image = await loadImageFile(join(DIR, c.image));
      const got = prepareInput(image, config, c.image);
      const want = expectedOf(c);
      assert.deepEqual(got.dims, want.shape);
      assert.ok(maxAbsDiff(got.data, want.data) < 1e-5, `max |Δ| ${maxAbsDiff(got.data, want.data)}`);
    });
  }

  for (const c of CASES.filter((k) => k.kind === 'map')) {
    it(`map: ${c.what}`, async () => {
      const image = await loadImageFile(join(DIR, c.image));
      const config = validateModelConfig(c.config, c.name);
      const r = await runner.run(join(DIR, c.model as string), image, c.image, {
        config,
        configSource: c.name,
      });
      const want = expectedOf(c);
      assert.deepEqual(r.prob.shape, want.shape);
      const d = maxAbsDiff(r.prob.data, want.data);
      assert.ok(d < 2e-6, `max |Δ| ${d}`);
    });
  }

  it('says how many tiles ran and how they were blended', async () => {
    const c = CASES.find((k) => k.name === 'tiles_linear') as Case;
    const image = await loadImageFile(join(DIR, c.image));
    const r = await runner.run(join(DIR, 'pp_fixed16.onnx'), image, c.image, {
      config: validateModelConfig(c.config, c.name),
    });
    // 40×37 in 16² tiles with stride 12: rows at 0, 12, 24 and columns at 0, 12, 21.
    assert.match(r.notes.join('\n'), /9 tiles of 16×16 with overlap 0\.25, blended by linear weights/);
  });

  it('refuses a model input left without a value, and a uint8 input fed normalised values', async () => {
    const image = await loadImageFile(join(DIR, 'grey_13x10.png'));
    await assert.rejects(
      runner.run(join(DIR, 'pp_extra.onnx'), image, 'g', {
        config: validateModelConfig({ input: 'image', multipleOf: 1 }, 'c'),
      }),
      /pp_extra\.onnx: the model's input\(s\) "gain", "offset" get no value; give them constant values in "extraInputs"/,
    );
    await assert.rejects(
      runner.run(join(DIR, 'pp_uint8.onnx'), image, 'grey.png', {
        config: validateModelConfig({ multipleOf: 1, inputRange: 1, mean: [0.5], std: [0.25] }, 'c'),
      }),
      /grey\.png: input "x" is uint8, but the prepared value -0\.68\d* lies outside 0–255/,
    );
  });
});
