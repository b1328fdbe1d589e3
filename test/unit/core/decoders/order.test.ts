/**
 * Issue 12 (speed): float32 rankings of TINY .. WIDE32 values go through three 11-bit radix digits. The order by
 * (−p, flat index) is unique, so it must equal the comparison sort exactly: checked here at the size boundaries of
 * each way, at an offset inside a larger buffer, with ties, exact 0 and 1, −0, and digits that never vary.
 */
import assert from 'node:assert/strict';
import { Ranker } from '../../../../src/core/decoders/order';
import { mulberry32 } from '../../../../src/core/dataset/stats';
import { rankOrder } from './bruteforce';

function check(ranker: Ranker, buf: Float32Array, offset: number, n: number, what: string): void {
  const view = buf.subarray(offset, offset + n);
  // The oracle: a comparison sort by (−p, index), with −0 equal to +0 as the comparator sees it.
  const want = rankOrder(view);
  const got = Array.from(ranker.rank(buf, offset, n));
  assert.deepEqual(got, want, what);
}

describe('decoders: float32 ranking by 11-bit digits equals the comparison sort (issue 12)', () => {
  it('sizes around each boundary, with ties, 0, 1 and −0, at offsets, one ranker reused', () => {
    const r = mulberry32(2026);
    const ranker = new Ranker();
    const kinds: Record<string, () => number> = {
      uniform: () => r(),
      ties: () => Math.round(r() * 7) / 7,
      edges: () => [0, 1, -0, 0.5, r()][Math.floor(r() * 5)],
      tiny: () => r() * 1e-30, // only the low digits vary
      constant: () => 0.25,
      binaryish: () => (r() < 0.2 ? 1 - r() * 1e-3 : r() * 1e-3),
    };
    for (const n of [1, 2, 63, 64, 65, 100, 2047, 2048, 2049, 5000, 70000]) {
      for (const [kind, gen] of Object.entries(kinds)) {
        const offset = n % 3;
        const buf = Float32Array.from({ length: n + offset + 2 }, gen);
        check(ranker, buf, offset, n, `${kind} n=${n} offset=${offset}`);
      }
    }
  });

  it('both sides of WIDE32 (2^18: 11-bit digits below, 16-bit above) give the comparison sort', () => {
    const r = mulberry32(5);
    const ranker = new Ranker();
    for (const n of [(1 << 18) - 1, 1 << 18]) {
      const buf = Float32Array.from({ length: n }, () => Math.round(r() * 1000) / 1000);
      check(ranker, buf, 0, n, `n=${n}`);
    }
  });
});
