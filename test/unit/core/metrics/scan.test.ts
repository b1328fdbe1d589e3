import assert from 'node:assert/strict';
import { nextDifference, runEnd, wordsOf } from '../../../../src/core/metrics/scan';
import { mulberry32 } from '../../../../src/core/dataset/stats';
import type { LabelData } from '../../../../src/core/types';

/** Runs of random length (short, or long enough for the 16-pixel steps) and label, starting and ending at every offset within a word. */
function runs(n: number, seed: number, labels: number[]): Uint8Array {
  const r = mulberry32(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n;) {
    const len = 1 + Math.floor(r() * (seed % 2 ? 12 : 45));
    out.fill(labels[Math.floor(r() * labels.length)], i, i + len);
    i += len;
  }
  return out;
}

describe('metrics: word-at-a-time label scans (scan.ts)', () => {
  it('runEnd equals the pixel-by-pixel scan from every start, with and without words, aligned or not', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const buf = runs(203, seed, [0, 0, 1, 7, 255]);
      // Views at byte offsets 0 and 4 have words; offset 1 has none (not 4-byte aligned); an Int32Array none.
      const views: LabelData[] = [buf, buf.subarray(4), buf.subarray(1), Int32Array.from(buf)];
      for (const v of views) {
        const words = wordsOf(v);
        assert.equal(words !== null, v instanceof Uint8Array && v.byteOffset % 4 === 0);
        for (let i = 0; i < v.length; i++) {
          for (const end of [v.length, Math.min(v.length, i + 9)]) {
            let j = i;
            while (j < end && v[j] === v[i]) j++;
            assert.equal(runEnd(v, words, i, end, v[i]), j, `seed ${seed} i ${i} end ${end}`);
            // A label that is not there ends the run at once.
            assert.equal(runEnd(v, words, i, end, 3), i);
          }
        }
      }
    }
  });

  it('nextDifference equals the pixel-by-pixel scan: equal maps, one-pixel and word-sized differences, tails', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const a = runs(157, seed, [0, 1, 2]);
      const b = a.slice();
      const r = mulberry32(seed + 100);
      for (let k = 0; k < seed * 3; k++) b[Math.floor(r() * b.length)] = 1 + Math.floor(r() * 2);
      const pairs: [LabelData, LabelData][] = [
        [a, b],
        [a, a.slice()],
        [a.subarray(1), b.subarray(1)],
        [Int32Array.from(a), Int32Array.from(b)],
      ];
      for (const [x, y] of pairs) {
        const wx = wordsOf(x);
        const wy = wx && wordsOf(y);
        for (let i = 0; i <= x.length; i++) {
          let j = i;
          while (j < x.length && x[j] === y[j]) j++;
          assert.equal(nextDifference(x, y, wx, wy, i, x.length), j, `seed ${seed} i ${i}`);
        }
      }
    }
  });
});
