/**
 * toJson (src/cli/commands/metrics.ts): non-finite numbers are written as the strings "NaN", "Infinity" and
 * "-Infinity" wherever they sit, and its fast path (no replacer when no such number exists) gives exactly the text
 * the replacer would.
 */
import * as assert from 'node:assert/strict';
import { toJson } from '../../../src/cli/commands/metrics';

const withReplacer = (v: unknown, indent?: number): string =>
  JSON.stringify(
    v,
    (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x),
    indent,
  );

describe('cli: toJson', () => {
  const cases: Record<string, unknown> = {
    plain: { a: 1, b: [1.5, -0, 2e-300], c: { d: 'x', e: null, f: true, g: undefined } },
    nan: { a: { b: [1, 2, { c: NaN }] } },
    inf: [1, [2, [Infinity]]],
    negInf: { deep: { deeper: { x: -Infinity } } },
    float64: { v: Float64Array.from([1, 2.5]) },
    float64Nan: { v: Float64Array.from([1, NaN]) },
    float32Inf: { v: Float32Array.from([Infinity]) },
    bytes: { v: Uint8Array.from([1, 2, 3]) },
    toJSON: { when: { toJSON: () => NaN } },
    topNumber: NaN,
    topString: 'text',
    empty: {},
    sparse: [1, undefined, () => 1],
  };
  for (const [name, value] of Object.entries(cases)) {
    it(`writes ${name} exactly as the replacer does`, () => {
      assert.equal(toJson(value), withReplacer(value));
      assert.equal(toJson(value, 2), withReplacer(value, 2));
    });
  }

  it('non-finite numbers become strings', () => {
    assert.equal(
      toJson({ a: NaN, b: [Infinity, -Infinity], c: 1 }),
      '{"a":"NaN","b":["Infinity","-Infinity"],"c":1}',
    );
  });
});
