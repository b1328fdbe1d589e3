/**
 * classPixelCounts (confusion.ts): per-class GT, predicted and true-positive pixels and the confusion matrix equal
 * a plain per-pixel count, for every length modulo 4 (the matrix pass counts four pixels at a time), byte and
 * 32-bit label arrays, and the many-class path without a matrix.
 */
import * as assert from 'node:assert/strict';
import { classPixelCounts } from '../../../../src/core/metrics/confusion';
import { mulberry32 } from '../../../../src/core/dataset/stats';

describe('metrics: classPixelCounts (confusion.ts)', () => {
  it('equals a per-pixel count for lengths 0…13 and 1000, K = 1…5 and 70, bytes and Int32Array', () => {
    const r = mulberry32(5);
    for (const K of [1, 2, 3, 5, 70]) {
      for (const n of [...Array.from({ length: 14 }, (_, i) => i), 1000, 1003]) {
        // Mostly background (whole zero words) or uniform labels; predictions mostly agreeing, as real ones do.
        const sparse = n % 2 === 0;
        const g = Uint8Array.from({ length: n }, () => (sparse && r() < 0.9 ? 0 : Math.floor(r() * K)));
        const p = g.map((v) => (r() < 0.8 ? v : Math.floor(r() * K)));
        // The same bytes one past a word boundary: no word skipping there.
        const g1 = new Uint8Array(n + 1).subarray(1);
        const p1 = new Uint8Array(n + 1).subarray(1);
        g1.set(g);
        p1.set(p);
        for (const [gt, pred] of [
          [g, p],
          [g1, p1],
          [Int32Array.from(g), Int32Array.from(p)],
        ] as const) {
          const got = classPixelCounts(gt, pred, K);
          const m = new Array<number>(K * K).fill(0);
          for (let i = 0; i < n; i++) m[gt[i] * K + pred[i]]++;
          for (let c = 0; c < K; c++) {
            let gc = 0;
            let pc = 0;
            for (let i = 0; i < n; i++) {
              if (gt[i] === c) gc++;
              if (pred[i] === c) pc++;
            }
            assert.equal(got.gt[c], gc, `K=${K} n=${n} gt ${c}`);
            assert.equal(got.pred[c], pc, `K=${K} n=${n} pred ${c}`);
            assert.equal(got.tp[c], m[c * K + c], `K=${K} n=${n} tp ${c}`);
          }
          assert.equal(got.correct, gt.filter((v, i) => v === pred[i]).length);
          if (K <= 64) assert.deepEqual(Array.from(got.matrix as Float64Array), m, `K=${K} n=${n} matrix`);
          else assert.equal(got.matrix, undefined);
        }
      }
    }
  });
});
