/**
 * Issue 12 (speed): the unrolled and register-held sums of the expected-score evaluator must give the very same
 * bits as the plain loops they replaced (every number of a report stays identical). Each is checked against that
 * plain loop, kept here as the oracle, on random inputs with the edge cases of its own code path.
 */
import assert from 'node:assert/strict';
import { ScoreWorkspace, diceByTable } from '../../../../src/core/decoders/expected';
import { Pmf } from '../../../../src/core/decoders/pmf';
import {
  BernoulliSums,
  MAX_TERMS,
  TransformWorkspace,
  inverseDft,
} from '../../../../src/core/decoders/pmfTransform';
import { mulberry32 } from '../../../../src/core/dataset/stats';

/** Bit-for-bit equality of two float64 arrays (Object.is per entry: −0 and NaN included). */
function sameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Object.is(got[i], want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

/** A random PMF-like window (positive, unnormalised is fine for a bit comparison). */
function randomPmf(r: () => number, len: number, lo: number): Pmf {
  const p = new Pmf(len);
  p.reset(len);
  for (let i = 0; i < len; i++) p.data[i] = r() * (r() < 0.1 ? 1e-12 : 1);
  p.len = len;
  p.lo = lo;
  return p;
}

/** The table sum as it was: one row of TP at a time. */
function oracleDiceByTable(tp: Pmf, fn: Pmf, tau: number, g: number): number {
  const rlen = tp.len + fn.len;
  const R = new Float64Array(rlen);
  const base = tau + g + tp.lo + fn.lo;
  for (let i = 0; i < rlen; i++) R[i] = 1 / (base + i);
  let dice = 0;
  for (let a = 0; a < tp.len; a++) {
    let inner = 0;
    for (let b = 0; b < fn.len; b++) inner += fn.data[b] * R[a + b];
    dice += tp.data[a] * (2 * (tp.lo + a) + g) * inner;
  }
  return dice;
}

/** The inverse DFT as it was: one entry at a time. */
function oracleInverseDft(
  gr: Float64Array,
  gi: Float64Array,
  K: number,
  M: number,
  d0: number,
  width: number,
): { out: Float64Array; peak: number } {
  const out = new Float64Array(width);
  let peak = 0;
  for (let i = 0; i < width; i++) {
    const d = d0 + i;
    let acc = 0;
    for (let k = 1; k <= K; k++) {
      const j = (k * d) & (M - 1);
      acc += gr[k] * Math.cos((2 * Math.PI * j) / M) + gi[k] * Math.sin((2 * Math.PI * j) / M);
    }
    const val = (gr[0] + 2 * acc) / M;
    out[i] = val > 0 ? val : 0;
    if (out[i] > peak) peak = out[i];
  }
  return { out, peak };
}

/** The sums as addPower forms them, one value at a time. */
function oraclePowers(s: BernoulliSums, values: Float64Array, from: number, to: number): boolean {
  s.startPowers();
  for (let i = from; i < to; i++) s.addPower(values[i]);
  return s.ok;
}

describe('decoders: unrolled sums give the same bits as the plain loops (issue 12)', () => {
  it('diceByTable equals the one-row-at-a-time sum (windows 1..13 × 1..9 and wide ones, γ 0 and 1)', () => {
    const r = mulberry32(12);
    const ws = new ScoreWorkspace();
    const shapes: Array<[number, number]> = [];
    for (let a = 1; a <= 13; a++) for (let b = 1; b <= 9; b += 4) shapes.push([a, b]);
    shapes.push([97, 301], [256, 255], [4, 700], [703, 2]);
    for (const [la, lb] of shapes) {
      for (const g of [0, 1]) {
        const tp = randomPmf(r, la, Math.floor(r() * 50));
        const fn = randomPmf(r, lb, Math.floor(r() * 500));
        const tau = tp.lo + la + Math.floor(r() * 100);
        const got = diceByTable(tp, fn, tau, g, ws);
        const want = oracleDiceByTable(tp, fn, tau, g);
        assert.ok(Object.is(got, want), `${la}×${lb} γ=${g}: ${got} vs ${want}`);
      }
    }
  });

  it('inverseDft equals the one-entry-at-a-time sum (widths 1..13 and wide, negative and positive offsets)', () => {
    const r = mulberry32(7);
    for (const M of [16, 64, 1024]) {
      const tw = new TransformWorkspace();
      tw.cos = Float64Array.from({ length: M }, (_, j) => Math.cos((2 * Math.PI * j) / M));
      tw.sin = Float64Array.from({ length: M }, (_, j) => Math.sin((2 * Math.PI * j) / M));
      const K = Math.min(M / 2 - 1, 3 + Math.floor(r() * (M / 4)));
      tw.re = Float64Array.from({ length: K + 1 }, () => r() - 0.3);
      tw.im = Float64Array.from({ length: K + 1 }, () => r() - 0.5);
      tw.re[0] = 1;
      const widths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, M - 1];
      for (const width of widths.filter((w) => w < M)) {
        for (const d0 of [-Math.floor(width / 2), 0, -width + 1, 3]) {
          const out = new Float64Array(width);
          const peak = inverseDft(tw, K, M, d0, width, out);
          const want = oracleInverseDft(tw.re, tw.im, K, M, d0, width);
          sameBits(out, want.out, `M=${M} width=${width} d0=${d0}`);
          assert.ok(Object.is(peak, want.peak), `peak M=${M} width=${width}`);
        }
      }
    }
  });

  it('addPowers forms addPower’s sums, bit for bit (both sides, 0, ½, 1, both paths, tiny and large sets)', () => {
    const r = mulberry32(99);
    const kinds = ['blob', 'uniform', 'edges', 'near-fast', 'tiny'];
    // The candidate reuses one object throughout (as the shared workspace does).
    const got = new BernoulliSums();
    for (const kind of kinds) {
      for (const [variance, share] of [0.5, 100, 350, 2000, 40000].flatMap((v) => [
        [v, 0.1],
        [v, 0.9],
      ])) {
        const n = kind === 'tiny' ? 1 + Math.floor(r() * 5) : 3000;
        const values = new Float64Array(n + 4);
        // The mean picks which side's sums are held in registers (share 0.9: the high side).
        const a = got;
        a.setMoments(n, share * n, variance);
        a.startPowers();
        const fastE = a.fastE;
        for (let i = 0; i < values.length; i++) {
          const u = r();
          values[i] =
            kind === 'blob'
              ? u < 0.3
                ? 1 - 0.2 * r() ** 3
                : 0.2 * r() ** 3
              : kind === 'uniform'
                ? u
                : kind === 'edges'
                  ? [0, 1, 0.5, Math.fround(0.5 + 1e-7), u][Math.floor(r() * 5)]
                  : kind === 'near-fast'
                    ? (u < 0.5 ? 0 : 1) + (u < 0.5 ? 1 : -1) * fastE * (1 + (r() - 0.5) * 1e-6)
                    : Math.fround(u);
        }
        const want = new BernoulliSums();
        want.setMoments(n, share * n, variance);
        const okWant = oraclePowers(want, values, 2, n + 2);
        const okGot = got.addPowers(values, 2, n + 2);
        const what = `${kind} σ²=${variance} mean ${share}`;
        assert.equal(okGot, okWant, `${what}: ok`);
        if (!okWant) continue;
        sameBits(got.P, want.P, `${what} P`);
        sameBits(got.Q, want.Q, `${what} Q`);
        assert.equal(got.terms, want.terms, `${what}: terms`);
        // The counts addPowers leaves are addMoment's over the same values.
        const counted = new BernoulliSums();
        for (let i = 2; i < n + 2; i++) counted.addMoment(values[i]);
        assert.deepEqual(
          [got.nHigh, got.nPos, got.nOne],
          [counted.nHigh, counted.nPos, counted.nOne],
          `${what}: counts`,
        );
      }
    }
    // Every value through the per-power loop (fastE forced to 0 on both), so that it stops at every count 1..8
    // and beyond: the written-out steps of addSide, one per count, each meet their test.
    const counts = new Set<number>();
    for (const variance of [100, 2000, 40000]) {
      const values = Float64Array.from({ length: 4000 }, (_, i) => {
        const e = 10 ** (-1 - 20 * r()); // from 1e-21 to 0.1: counts from 1 up
        return i % 3 === 0 ? 1 - e : i % 7 === 0 ? 0.5 * r() : e;
      });
      const want = new BernoulliSums();
      want.setMoments(values.length, variance, variance);
      want.startPowers();
      want.fastE = 0;
      for (const v of values) {
        want.addPower(v);
        const e = Math.min(v, 1 - v);
        let m = 1;
        for (let x = e; x * e * want.stop[m] > want.tolerance; x *= e) m++;
        counts.add(m);
      }
      const got = new BernoulliSums();
      got.setMoments(values.length, variance, variance);
      got.startPowers();
      got.fastE = 0;
      assert.equal(got.addPowers(values, 0, values.length), want.ok);
      sameBits(got.P, want.P, `slow σ²=${variance} P`);
      sameBits(got.Q, want.Q, `slow σ²=${variance} Q`);
      assert.equal(got.terms, want.terms);
    }
    for (let m = 1; m <= 9; m++) assert.ok(counts.has(m), `some value stops after ${m} powers`);
    // terms is the largest count: one value at a time, from terms = 1, it must be that value's own count.
    for (const e of [1e-21, 1e-12, 1e-9, 1e-7, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 0.05]) {
      const sums = [new BernoulliSums(), new BernoulliSums()];
      for (const s of sums) {
        s.setMoments(1000, 500, 400);
        s.startPowers();
        s.fastE = 0;
        s.terms = 1;
      }
      sums[0].addPower(e);
      sums[1].addPowers(Float64Array.of(e), 0, 1);
      assert.equal(sums[1].terms, sums[0].terms, `terms after ${e}`);
    }
    // A set narrow enough that some value needs more than MAX_TERMS powers reports it, as addPower does.
    const s = new BernoulliSums();
    s.setMoments(10, 5, 1e-3);
    s.startPowers();
    assert.equal(s.addPowers(Float64Array.from([0.01, 0.45, 0.02]), 0, 3), false);
    assert.ok(MAX_TERMS < 100);
  });
});
