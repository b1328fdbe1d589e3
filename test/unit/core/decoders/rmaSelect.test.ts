/**
 * Issue 12 (speed): the RMA bucket selection histograms only the buckets at or above 0.125 in its first pass and
 * gathers the candidates from that pass's list, running again on every bucket when its walk needs a lower one. It
 * must choose the same k and the same pixels as the selection it replaced (./oracleRmaSelect), on maps that take
 * either way: clear foregrounds, diffuse maps, walks that end near 0.125, ties, all-zero, all-one, tiny maps, and
 * classes at an offset in a multi-class buffer.
 */
import assert from 'node:assert/strict';
import { RmaSelector } from '../../../../src/core/decoders/rmaSelect';
import { mulberry32 } from '../../../../src/core/dataset/stats';
import { OracleRmaSelector } from './oracleRmaSelect';

type Gen = (r: () => number, i: number, n: number) => number;

const KINDS: Record<string, Gen> = {
  // A blob on a noisy background: the walk ends far above 0.125.
  blob: (r, i, n) => {
    const side = Math.round(Math.sqrt(n));
    const d = Math.hypot((i % side) - side / 2, Math.floor(i / side) - side / 2) - side / 5;
    return Math.min(1, 1 / (1 + Math.exp(d / 2)) + 0.03 * r());
  },
  // Everything below 0.125: the first pass sees no pixel, the full histogram decides.
  diffuse: (r) => 0.12 * r(),
  // A weak foreground near 0.125 over a dense background: walks that end around the first pass's floor.
  weak: (r) => (r() < 0.1 ? 0.1 + 0.06 * r() : 0.02 * r()),
  uniform: (r) => r(),
  ties: (r) => [0, 0.125, 0.25, 0.5, 0.75, 1][Math.floor(r() * 6)],
  edges: (r) => [0, 1, Math.fround(0.125), Math.fround(0.1249999), r()][Math.floor(r() * 5)],
  zero: () => 0,
  one: () => 1,
  sparse: (r) => (r() < 0.002 ? 0.2 + 0.8 * r() : 0),
};

function compare(
  a: RmaSelector,
  o: OracleRmaSelector,
  data: Float32Array,
  off: number,
  n: number,
  what: string,
): void {
  for (const metric of ['dice', 'iou'] as const) {
    for (const smooth of [0, 1]) {
      const want = o.select(data, off, n, metric, smooth);
      const got = a.select(data, off, n, metric, smooth);
      const tag = `${what} ${metric} γ=${smooth}`;
      assert.equal(got.k, want.k, `${tag}: k`);
      assert.ok(Object.is(got.maxP, want.maxP), `${tag}: maxP ${got.maxP} vs ${want.maxP}`);
      assert.deepEqual(Array.from(got.top), Array.from(want.top), `${tag}: pixels`);
    }
  }
}

describe('decoders: RMA bucket selection with a partial first pass equals the full one (issue 12)', () => {
  it('random maps of nine kinds, sizes 1 to 256², one selector reused', () => {
    const r = mulberry32(404);
    const sel = new RmaSelector();
    const oracle = new OracleRmaSelector();
    for (const n of [1, 2, 5, 64, 1000, 4096, 256 * 256]) {
      for (const [kind, gen] of Object.entries(KINDS)) {
        const data = Float32Array.from({ length: n }, (_, i) => gen(r, i, n));
        compare(sel, oracle, data, 0, n, `${kind} n=${n}`);
      }
    }
  });

  it('classes at offsets of one [C, N] buffer (each class its own walk)', () => {
    const r = mulberry32(9);
    const sel = new RmaSelector();
    const oracle = new OracleRmaSelector();
    const n = 5000;
    const kinds = Object.values(KINDS);
    const data = new Float32Array(kinds.length * n);
    kinds.forEach((gen, c) => {
      for (let i = 0; i < n; i++) data[c * n + i] = gen(r, i, n);
    });
    for (let c = 0; c < kinds.length; c++) compare(sel, oracle, data, c * n, n, `class ${c}`);
  });

  it('both ways are taken by these maps (the first pass alone, and the full histogram)', () => {
    // A map whose pixels are all below 0.125 must fall back; a blob must not need to. Checked through the result
    // only: the fallback's k on a diffuse map is the large one the oracle finds.
    const n = 4096;
    const r = mulberry32(1);
    const diffuse = Float32Array.from({ length: n }, () => 0.1 * r());
    const got = new RmaSelector().select(diffuse, 0, n, 'dice', 0);
    const want = new OracleRmaSelector().select(diffuse, 0, n, 'dice', 0);
    assert.equal(got.k, want.k);
    assert.ok(got.k > 0 && got.maxP < 0.125);
  });
});
