import assert from 'node:assert/strict';
import { classBins } from '../../../../src/core/metrics/calibration';
import { classChannel } from '../../../../src/core/metrics/channels';
import { binsAndSweep, binsAndSweepBinary } from '../../../../src/core/metrics/probPass';
import { sweepHistograms } from '../../../../src/core/metrics/sweep';
import { mulberry32 } from '../../../../src/core/dataset/stats';

describe('metrics: calibration bins and sweep histograms in one pass (probPass.ts)', () => {
  it('equal classBins and sweepHistograms exactly: one- and multi-channel maps, ignored pixels, values on bin edges', () => {
    const r = mulberry32(9);
    for (const [C, K] of [
      [1, 2],
      [3, 3],
      [2, 3],
    ]) {
      const n = 40 * 37;
      const data = new Float32Array(C * n);
      // Uniform values, exact thresholds k/100 and bin edges k/15, float32 values just beside them, 0 and 1.
      for (let i = 0; i < data.length; i++) {
        const u = r();
        data[i] =
          u < 0.2
            ? Math.floor(r() * 101) / 100
            : u < 0.3
              ? Math.floor(r() * 16) / 15
              : u < 0.35
                ? Math.fround(Math.floor(r() * 101) / 100 + 1e-7)
                : u < 0.4
                  ? r() < 0.5
                    ? 0
                    : 1
                  : r();
      }
      const gt = { data: Uint8Array.from({ length: n }, () => Math.floor(r() * K)), shape: [40, 37] };
      const prob = { data, shape: [C, 40, 37] };
      const valid = Uint8Array.from({ length: n }, () => (r() < 0.9 ? 1 : 0));
      for (let c = 0; c < K; c++) {
        const ch = classChannel(C, c, K, 0);
        if (!ch) continue;
        for (const v of [undefined, valid]) {
          const got = binsAndSweep(prob, gt, c, 15, 100, ch, v);
          assert.deepEqual(got.bins, classBins(prob, gt, c, 15, ch, v), `C=${C} class ${c} bins`);
          assert.deepEqual(got.sweep, sweepHistograms(prob, gt, c, 100, ch, v), `C=${C} class ${c} sweep`);
        }
      }
    }
  });

  it('binsAndSweepBinary equals binsAndSweep of class 0 (1 − p) and class 1 (p), bit for bit, with and without ignored pixels', () => {
    const r = mulberry32(21);
    for (const [H, W] of [
      [1, 1],
      [3, 5],
      [41, 29],
    ]) {
      const n = H * W;
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const u = r();
        // Values on the sweep grid and the bin edges, seen from both sides (p and 1 − p), 0 and 1, and uniform ones.
        data[i] =
          u < 0.25
            ? Math.floor(r() * 101) / 100
            : u < 0.35
              ? Math.floor(r() * 16) / 15
              : u < 0.45
                ? 1 - Math.floor(r() * 16) / 15
                : u < 0.5
                  ? r() < 0.5
                    ? 0
                    : 1
                  : r();
      }
      const gt = { data: Uint8Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0)), shape: [H, W] };
      const prob = { data, shape: [1, H, W] };
      const valid = Uint8Array.from({ length: n }, () => (r() < 0.8 ? 1 : 0));
      for (const v of [undefined, valid]) {
        const [zero, one] = binsAndSweepBinary(prob, gt, 15, 100, v);
        assert.deepEqual(
          zero,
          binsAndSweep(prob, gt, 0, 15, 100, { channel: 0, complement: true }, v),
          `${H}×${W} class 0`,
        );
        assert.deepEqual(
          one,
          binsAndSweep(prob, gt, 1, 15, 100, { channel: 0, complement: false }, v),
          `${H}×${W} class 1`,
        );
        assert.ok(
          Object.is(
            zero.bins.sumSquaredError,
            binsAndSweep(prob, gt, 0, 15, 100, { channel: 0, complement: true }, v).bins.sumSquaredError,
          ),
        );
      }
    }
  });

  it('the sweep step stays exact for any resolution up to the config limit, values on and beside every kind of grid point', () => {
    const r = mulberry32(77);
    for (const steps of [1, 3, 7, 100, 999, 99991, 100000]) {
      const n = 3000;
      // Float64 values: a float32 map never sits within rounding of a grid point it is not on, doubles can.
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const k = Math.floor(r() * (steps + 1));
        const onGrid = k / steps;
        const u = r();
        // On a grid point, one float64 step either side of it, its float32 rounding, or anywhere.
        data[i] =
          u < 0.3
            ? onGrid
            : u < 0.45
              ? Math.min(1, onGrid + Number.EPSILON * Math.max(onGrid, 1e-300))
              : u < 0.6
                ? Math.max(0, onGrid - Number.EPSILON * onGrid)
                : u < 0.75
                  ? Math.min(1, Math.fround(onGrid))
                  : r();
      }
      const gt = { data: Uint8Array.from({ length: n }, () => (r() < 0.4 ? 1 : 0)), shape: [1, n] };
      const prob = { data: data as unknown as Float32Array, shape: [1, 1, n] };
      const ch = classChannel(1, 1, 2, 0) as NonNullable<ReturnType<typeof classChannel>>;
      const got = binsAndSweep(prob, gt, 1, 15, steps, ch);
      assert.deepEqual(got.sweep, sweepHistograms(prob, gt, 1, steps, ch), `steps ${steps}`);
      assert.deepEqual(got.bins, classBins(prob, gt, 1, 15, ch), `steps ${steps} bins`);
    }
  });
});
