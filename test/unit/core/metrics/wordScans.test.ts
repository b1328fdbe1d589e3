/**
 * Scans that skip a byte map's zero words four pixels at a time (label-range check, ignored-pixel count, a label
 * file's largest value and 0/255 test) must see a value at every position of a word and in the tail, aligned or
 * not.
 */
import * as assert from 'node:assert/strict';
import { normaliseLabelMap } from '../../../../src/core/io/labelMap';
import { resolveMetricsConfig } from '../../../../src/core/metrics/config';
import { computeImageMetrics } from '../../../../src/core/metrics/imageMetrics';
import { validateMetricInputs } from '../../../../src/core/metrics/validate';

/** A zero byte map of n pixels, at byte offset `shift` of its buffer, with `value` at `at`. */
function zeros(n: number, shift: number, at: number, value: number): Uint8Array {
  const a = new Uint8Array(n + shift).subarray(shift);
  a[at] = value;
  return a;
}

describe('metrics: word-skipping scans', () => {
  const n = 23; // five words and a tail of three
  for (const shift of [0, 1, 4]) {
    for (let at = 0; at < n; at++) {
      it(`find a value at pixel ${at} (byte offset ${shift})`, () => {
        const config = resolveMetricsConfig({ numClasses: 2, ignoreIndex: null });
        const gt = { data: new Uint8Array(n), shape: [1, n] };
        const bad = { data: zeros(n, shift, at, 7), shape: [1, n] };
        assert.doesNotThrow(() => validateMetricInputs(gt, gt, undefined, [1, 1], config));
        assert.throws(
          () => validateMetricInputs(bad, gt, undefined, [1, 1], config),
          new RegExp(`label 7 at pixel ${at} `),
        );
        // The GT's ignored pixels, counted wherever they sit.
        const withIgnore = { data: zeros(n, shift, at, 255), shape: [1, n], ignoreIndex: 255 };
        const m = computeImageMetrics(withIgnore, gt, { config: { numClasses: 2 } });
        assert.equal(m.ignoredPixels, 1);
        // A label file's largest value and the 0/255 rule.
        const one = normaliseLabelMap({ dtype: 'uint8', shape: [1, n], data: zeros(n, shift, at, 1) });
        assert.equal(Math.max(...one.data), 1);
        const bin = normaliseLabelMap({ dtype: 'uint8', shape: [1, n], data: zeros(n, shift, at, 255) });
        assert.equal(bin.data[at], 1, '0/255 mask read as binary');
        const three = normaliseLabelMap({ dtype: 'uint8', shape: [1, n], data: zeros(n, shift, at, 3) });
        assert.equal(three.data[at], 3);
      });
    }
  }
});
