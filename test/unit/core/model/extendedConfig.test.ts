import * as assert from 'node:assert/strict';
import { configToJson, parseModelConfigText } from '../../../../src/core/model/config';
import { floatToHalfBits, toInputTensor } from '../../../../src/core/model/inputTensor';
import { resolveModelConfig } from '../../../../src/core/model/resolve';
import { planTiles, tileWeights } from '../../../../src/core/model/tiling';
import { planGeometry } from '../../../../src/core/model/geometry';
import { halfToFloat } from '../../../../src/core/float16';

const parse = (o: unknown) => parseModelConfigText(JSON.stringify(o), 'c.json');

describe('model/config: the keys for real exports', () => {
  it('parses and round-trips them', () => {
    const text = {
      resize: 'longest',
      sideLength: 960,
      multipleOf: 32,
      anchor: 'topLeft',
      padValue: [0.5, 0.5, 0.5],
      extraInputs: { scale_factor: { type: 'float32', shape: [1, 2], value: [1, 1] } },
      outputs: ['a', 'b'],
      combine: 'mean',
      strideMode: 'resize-then-crop',
      tile: [512, 512],
      overlap: 0.5,
      tileBlend: 'linear',
    };
    const c = parse(text);
    assert.equal(c.output, 'a');
    const info = {
      inputs: [
        { name: 'x', isTensor: true, type: 'float32', shape: [1, 3, 'h', 'w'] },
        { name: 'scale_factor', isTensor: true, type: 'float32', shape: [1, 2] },
      ],
      outputs: [
        { name: 'a', isTensor: true, type: 'float32', shape: [1, 2, 'h', 'w'] },
        { name: 'b', isTensor: true, type: 'float32', shape: [1, 2, 'h', 'w'] },
      ],
    };
    const { config } = resolveModelConfig(info, c, 'm.onnx');
    const json = configToJson(config);
    for (const [k, v] of Object.entries(text)) assert.deepEqual(json[k], v, k);
  });

  it('refuses inconsistent or malformed keys with the key named', () => {
    const cases: [unknown, RegExp][] = [
      [{ resize: 'longest' }, /"resize": "longest" needs "sideLength"/],
      [{ sideLength: 100 }, /"sideLength" only applies to "resize": "longest" or "shortest"/],
      [{ resize: 'shortest', sideLength: 8, size: [64, 64] }, /"size" must be "dynamic"/],
      [{ anchor: 'middle' }, /"anchor" = "middle" is invalid: expected center \| topLeft/],
      [{ padValue: 'black' }, /"padValue" = "black" is invalid/],
      [
        { extraInputs: { s: { type: 'int8', shape: [1], value: 1 } } },
        /extraInputs\."s"\.type must be one of/,
      ],
      [
        { extraInputs: { s: { shape: [2], value: [1] } } },
        /extraInputs\."s"\.value must be a number, or 2 numbers/,
      ],
      [
        { extraInputs: { s: { shape: [1], value: 1, dtype: 'x' } } },
        /extraInputs\."s" has an unknown key "dtype"/,
      ],
      [{ outputs: ['a'] }, /"outputs" = \["a"\] is invalid: expected a list of at least 2/],
      [{ output: 'b', outputs: ['a', 'b'] }, /"output" and "outputs" disagree/],
      [{ combine: 'mean' }, /"combine" needs "outputs"/],
      [{ tile: [0, 4] }, /"tile" = \[0,4\] is invalid/],
      [{ tile: [4, 4], overlap: 0.95 }, /"overlap" = 0\.95 is invalid: expected a fraction in \[0, 0\.9\]/],
      [{ overlap: 0.5 }, /"overlap" and "tileBlend" need "tile"/],
      [{ strideMode: 'upsample' }, /"strideMode" = "upsample" is invalid/],
    ];
    for (const [obj, re] of cases) assert.throws(() => parse(obj), re, JSON.stringify(obj));
  });

  it('checks extra inputs and outputs against the model', () => {
    const info = {
      inputs: [{ name: 'x', isTensor: true, type: 'float32', shape: [1, 1, 'h', 'w'] }],
      outputs: [{ name: 'a', isTensor: true, type: 'float32' }],
    };
    assert.throws(
      () => resolveModelConfig(info, parse({ extraInputs: { k: { shape: [], value: 1 } } }), 'm'),
      /m: "extraInputs" names "k", but the model's inputs are "x"/,
    );
    assert.throws(
      () => resolveModelConfig(info, parse({ outputs: ['a', 'z'] }), 'm'),
      /names output "z" in "outputs", but the model's outputs are "a"/,
    );
    const fixed = {
      ...info,
      inputs: [{ name: 'x', isTensor: true, type: 'float32', shape: [1, 1, 64, 64] }],
    };
    assert.throws(
      () => resolveModelConfig(fixed, parse({ resize: 'longest', sideLength: 32 }), 'm'),
      /has a fixed size 64×64; use "letterbox" \(or "tile"\)/,
    );
    const u8 = { ...info, inputs: [{ name: 'x', isTensor: true, type: 'uint8', shape: [1, 1, 'h', 'w'] }] };
    assert.equal(resolveModelConfig(u8, {}, 'm').config.inputType, 'uint8');
  });
});

describe('model/geometry: longest and shortest side', () => {
  it('scales the chosen side to sideLength and rounds each side to the nearest multiple (hand-computed)', () => {
    // 300×451: longest 451 → 960 gives s = 2.1286; 638.6 → 640, 960 → 960 at multiples of 32.
    const g = planGeometry(300, 451, { kind: 'dynamic', multipleOf: 32 }, 'longest', 'i', {
      sideLength: 960,
    });
    assert.deepEqual([g.inHeight, g.inWidth], [640, 960]);
    // shortest 300 → 512: 512 and 769.7 → 768.
    const s = planGeometry(300, 451, { kind: 'dynamic', multipleOf: 32 }, 'shortest', 'i', {
      sideLength: 512,
    });
    assert.deepEqual([s.inHeight, s.inWidth], [512, 768]);
    // A tiny side never rounds to 0: at least one multiple.
    const t = planGeometry(4, 400, { kind: 'dynamic', multipleOf: 32 }, 'longest', 'i', { sideLength: 64 });
    assert.deepEqual([t.inHeight, t.inWidth], [32, 64]);
  });
});

describe('model/tiling: placement and weights', () => {
  it('places tiles like mmsegmentation slide inference (hand-computed)', () => {
    // 40 rows, tiles of 16 with overlap 0.25: stride 12, ceil((40 − 16) / 12) + 1 = 3 tiles at 0, 12, 24.
    const tiles = planTiles(40, 16, 16, 16, 0.25);
    assert.deepEqual(
      tiles.map((t) => [t.top, t.height, t.left, t.width]),
      [
        [0, 16, 0, 16],
        [12, 16, 0, 16],
        [24, 16, 0, 16],
      ],
    );
    // An image smaller than a tile is one tile of its own size.
    assert.deepEqual(planTiles(10, 7, 16, 16, 0.25), [{ top: 0, left: 0, height: 10, width: 7 }]);
  });

  it('linear weights fall towards inner edges only, stay positive, and are 1 for "mean"', () => {
    const t = { top: 12, left: 0, height: 16, width: 16 };
    const w = tileWeights(t, 40, 16, 0.25, 'linear');
    // ramp 4: 0.125, 0.375, 0.625, 0.875, then 1 … at both inner edges (top and bottom), none at the image border.
    assert.deepEqual(Array.from(w.rows.slice(0, 5)), [0.125, 0.375, 0.625, 0.875, 1]);
    assert.deepEqual(Array.from(w.rows.slice(12)), [0.875, 0.625, 0.375, 0.125]);
    assert.ok(w.cols.every((v) => v === 1));
    assert.ok(tileWeights(t, 40, 16, 0.25, 'mean').rows.every((v) => v === 1));
  });
});

describe('model/inputTensor: float16 and uint8 inputs', () => {
  it('encodes float16 by round-to-nearest-even (checked by decoding every 16-bit pattern back)', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = halfToFloat(h);
      if (Number.isNaN(v)) {
        assert.ok(Number.isNaN(halfToFloat(floatToHalfBits(v))));
        continue;
      }
      assert.equal(floatToHalfBits(v), h, `pattern ${h.toString(16)}`);
    }
    // Hand-checked values: 1/3 → 0x3555, 65520 overflows to Infinity, halfway 1 + 2^-11 rounds to even (1).
    assert.equal(floatToHalfBits(1 / 3), 0x3555);
    assert.equal(floatToHalfBits(65520), 0x7c00);
    assert.equal(floatToHalfBits(1 + 2 ** -11), 0x3c00);
    assert.equal(floatToHalfBits(1 + 3 * 2 ** -11), 0x3c02);
    assert.equal(floatToHalfBits(2 ** -25), 0x0000);
    assert.equal(floatToHalfBits(3 * 2 ** -26), 0x0001);
  });

  it('rounds uint8 inputs and refuses values outside 0–255', () => {
    assert.deepEqual(
      Array.from(toInputTensor(Float32Array.from([0, 12.4, 254.6]), 'uint8', 'x', 's')),
      [0, 12, 255],
    );
    assert.throws(
      () => toInputTensor(Float32Array.from([256]), 'uint8', 'x', 's.png'),
      /s\.png: input "x" is uint8/,
    );
  });
});
