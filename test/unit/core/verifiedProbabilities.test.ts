/**
 * Verified probability arrays (src/core/verifiedProbabilities.ts): the loader marks a map it checked value by value,
 * never one with −0, NaN, ±∞ or values outside [0, 1]; the metrics' and decoders' own checks still run on unmarked
 * arrays and are skipped on marked ones.
 */
import * as assert from 'node:assert/strict';
import { checkedProbabilities } from '../../../src/core/decoders/input';
import { loadProbMap } from '../../../src/core/io/load';
import { writeNpy } from '../../../src/core/io/npy';
import { logitsToProbabilities } from '../../../src/core/io/probMap';
import { resolveMetricsConfig } from '../../../src/core/metrics/config';
import { validateMetricInputs } from '../../../src/core/metrics/validate';
import { isVerifiedProbabilities, markVerifiedProbabilities } from '../../../src/core/verifiedProbabilities';

const npy = (values: number[]): Uint8Array =>
  writeNpy({ dtype: 'float32', shape: [2, 2], data: Float32Array.from(values) });

describe('core: verified probability arrays', () => {
  it('loadProbMap marks a map of probabilities, and not one holding −0', () => {
    const ok = loadProbMap(npy([0, 0.25, 0.5, 1]), { source: 'ok.npy' });
    assert.equal(isVerifiedProbabilities(ok.data), true);
    const negZero = loadProbMap(npy([-0, 0.25, 0.5, 1]), { source: 'z.npy' });
    assert.equal(isVerifiedProbabilities(negZero.data), false);
    // The decoders' own check still turns that −0 into +0.
    const c = checkedProbabilities(negZero.data, 'z.npy');
    assert.ok(c !== negZero.data && Object.is(c[0], 0));
  });

  it('converted logits are marked; NaN or out-of-range maps never are', () => {
    const logits = loadProbMap(npy([-3, 0, 2, 40]), { source: 'l.npy', logits: 'sigmoid' });
    assert.equal(isVerifiedProbabilities(logits.data), true);
    const nanLogits = logitsToProbabilities(
      { data: Float32Array.from([NaN, 0]), shape: [1, 1, 2] },
      'sigmoid',
    );
    assert.equal(isVerifiedProbabilities(nanLogits.data), false);
    assert.throws(() => loadProbMap(npy([0, NaN, 0.5, 1]), { source: 'nan.npy' }), /nan\.npy|NaN/);
    assert.equal(isVerifiedProbabilities(Float32Array.from([0.5])), false);
    assert.equal(isVerifiedProbabilities([0.5] as unknown as Float32Array), false);
  });

  it('the metrics and decoders check an unmarked array and skip a marked one', () => {
    const config = resolveMetricsConfig({ numClasses: 2 });
    const gt = { data: new Uint8Array(4), shape: [2, 2] };
    const bad = Float32Array.from([0.1, 1.5, 0.2, 0.3]);
    const check = (): void => validateMetricInputs(gt, gt, { data: bad, shape: [1, 2, 2] }, [1, 1], config);
    assert.throws(check, /1\.5/);
    assert.throws(() => checkedProbabilities(bad, 'bad'), /outside \[0, 1\]/);
    // Marking is the caller's promise that it checked; the consumers then trust it (this is what saves the passes).
    markVerifiedProbabilities(bad);
    assert.doesNotThrow(check);
    assert.equal(checkedProbabilities(bad, 'bad'), bad);
  });
});
