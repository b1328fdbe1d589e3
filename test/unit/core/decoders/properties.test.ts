/**
 * Property tests of the exact solvers and the evaluator against the independent references in ./bruteforce:
 * exactness of k and π_k, top-k optimality over all masks, the early stop, invariance to pixel order and to
 * the [H,W] / [1,H,W] / [1,1,H,W] spellings, and dominance of the exact optimum over every other decoder.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decode, expectedDiceByK, expectedScore } from '../../../../src/core/decoders';
import { ExactDiceWorkspace, exactRankDice } from '../../../../src/core/decoders/exactDice';
import { exactRankIou } from '../../../../src/core/decoders/exactIou';
import { Ranker } from '../../../../src/core/decoders/order';
import { bruteTopTau, dpScore, enumerateScore, rankOrder } from './bruteforce';

/** Probabilities with a mix of exact 0, exact 1, tiny, and generic values. */
const probArb = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 0.5, 1e-6, 0.999999) },
);
const mapArb = (min: number, max: number) => fc.array(probArb, { minLength: min, maxLength: max });
const f32 = (p: number[]) => Float32Array.from(p);
const sortedDesc = (p: Float32Array) => Float64Array.from(Array.from(p).sort((a, b) => b - a));

describe('decoders: exact solvers against brute force', () => {
  it('exact RankDice and RankIoU: k and score equal the brute-force top-τ optimum (N ≤ 40, γ ∈ {0, 0.5, 1})', () => {
    fc.assert(
      fc.property(
        mapArb(1, 40),
        fc.constantFrom(0, 0.5, 1),
        fc.constantFrom('conv0', 'conv1'),
        (raw, g, conv) => {
          const p = f32(raw);
          const ref = bruteTopTau(Array.from(p), g, conv);
          const s = sortedDesc(p);
          const d = exactRankDice(s, { n: s.length, smooth: g, emptyConvention: conv });
          assert.ok(Math.abs(d.score - ref.dice) < 1e-12, `dice ${d.score} vs ${ref.dice}`);
          assert.equal(d.k, ref.k);
          const i = exactRankIou(s, {
            n: s.length,
            smooth: g,
            emptyConvention: conv,
            candidate: Math.max(1, ref.kIou),
          });
          assert.ok(Math.abs(i.score - ref.iou) < 1e-12);
          assert.equal(i.k, ref.kIou);
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  it('exact solvers on maps of 150–200 pixels agree with the untrimmed O(N²) DP at every τ', () => {
    for (const seed of [1, 2, 3, 4]) {
      let a = seed * 7919;
      const rnd = () => (a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const n = 150 + seed * 12;
      const p = Float32Array.from({ length: n }, (_, j) =>
        j % 5 === 0 ? 0.6 + 0.4 * rnd() : 0.3 * rnd() ** 2,
      );
      const g = seed % 2;
      const ref = bruteTopTau(Array.from(p), g);
      const curve: number[] = [];
      exactRankDice(sortedDesc(p), {
        n,
        smooth: g,
        workspace: new ExactDiceWorkspace(),
        onScore: (_t, v) => curve.push(v),
      });
      for (let t = 0; t < curve.length; t++) assert.ok(Math.abs(curve[t] - ref.curve[t]) < 1e-12, `τ=${t}`);
      assert.equal(exactRankDice(sortedDesc(p), { n, smooth: g }).k, ref.k);
      assert.equal(exactRankIou(sortedDesc(p), { n, smooth: g, candidate: 1 }).k, ref.kIou);
    }
  });

  it('the early stops never change k: equal to the full curves on larger maps (N ≤ 3000, γ ∈ {0, 1})', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 50, max: 3000 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.constantFrom(0.02, 0.2, 0.6),
        (n, seed, bg) => {
          let a = seed;
          const rnd = () => (a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
          const p = new Float32Array(n);
          for (let j = 0; j < n; j++) p[j] = j < n / 5 ? 0.5 + 0.5 * rnd() : bg * rnd();
          const s = sortedDesc(p);
          const g = seed % 3 === 0 ? 1 : 0;
          const curve: number[] = [];
          exactRankDice(s, {
            n,
            smooth: g,
            emptyConvention: 'conv0',
            onScore: (_tau, score) => curve.push(score),
          });
          const max = Math.max(...curve);
          const kFull = curve.findIndex((v) => v >= max - 1e-13);
          const r = exactRankDice(s, { n, smooth: g, emptyConvention: 'conv0' });
          assert.equal(r.k, kFull);
          assert.equal(r.score, curve[kFull]);
          // RankIoU's early cut, from any candidate, agrees with the full curve too.
          const ious: number[] = [];
          exactRankIou(s, { n, smooth: g, onScore: (_tau, score) => ious.push(score) });
          const maxI = Math.max(...ious);
          const kIou = ious.findIndex((v) => v >= maxI - 1e-13);
          for (const cand of [1, kIou, Math.max(1, kIou >> 1), n]) {
            assert.equal(
              exactRankIou(s, { n, smooth: g, emptyConvention: 'conv0', candidate: cand }).k,
              kIou,
            );
          }
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });

  it('top-k optimality: no mask of a tiny map beats the exact top-τ set (all 2^N masks, N ≤ 8)', () => {
    fc.assert(
      fc.property(mapArb(1, 8), fc.constantFrom(0, 1), (raw, g) => {
        const p = Array.from(f32(raw));
        const r = decode(
          { data: f32(raw), shape: [1, p.length] },
          { decoder: 'rankdice', solver: 'exact', smooth: g },
        );
        const got = r.images[0].classes[0].expectedDice ?? NaN;
        for (let s = 0; s < 1 << p.length; s++) {
          const mask = p.map((_, j) => (s >> j) & 1);
          assert.ok(enumerateScore(p, mask, g).dice <= got + 1e-12);
        }
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('expectedScore equals enumeration (N ≤ 12) and the untrimmed DP (N ≤ 120) for random masks', () => {
    fc.assert(
      fc.property(
        mapArb(1, 120).chain((p) =>
          fc.tuple(fc.constant(p), fc.array(fc.boolean(), { minLength: p.length, maxLength: p.length })),
        ),
        fc.constantFrom(0, 0.3),
        fc.constantFrom('conv0', 'conv1'),
        ([raw, sel], g, conv) => {
          const p = f32(raw);
          const mask = Uint8Array.from(sel, Number);
          const got = expectedScore(p, mask, { smooth: g, emptyConvention: conv });
          const ref = p.length <= 12 ? enumerateScore(p, mask, g, conv) : dpScore(p, mask, g, conv);
          assert.ok(Math.abs(got.dice - ref.dice) < 1e-12);
          assert.ok(Math.abs(got.iou - ref.iou) < 1e-12);
        },
      ),
      { numRuns: 150, seed: 5 },
    );
  });

  it('expectedDiceByK is the exact top-k curve, including k past the last nonzero probability', () => {
    const p = f32([0.9, 0, 0.4, 0.7, 0, 0.05, 1, 0.3]);
    const ref = bruteTopTau(Array.from(p)).curve;
    const got = expectedDiceByK(p);
    assert.equal(got.length, p.length + 1);
    for (let k = 0; k <= p.length; k++) assert.ok(Math.abs(got[k] - ref[k]) < 1e-12, `k=${k}`);
    // Subsampled: maxPoints evenly spaced k including 0 and N, values still exact.
    const sub = expectedDiceByK(p, { maxPoints: 3 });
    assert.deepEqual(
      Array.from(sub).map((v) => v.toFixed(12)),
      [ref[0], ref[4], ref[8]].map((v) => v.toFixed(12)),
    );
    // maxK limits the range: k = 0..3 only.
    const head = expectedDiceByK(p, { maxK: 3 });
    assert.deepEqual(
      Array.from(head).map((v) => v.toFixed(12)),
      ref.slice(0, 4).map((v) => v.toFixed(12)),
    );
  });
});

describe('decoders: ranking', () => {
  it('the radix ranking equals a comparison sort by (−p, index) for float32 and float64, with ties', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6000 }),
        fc.integer(),
        fc.constantFrom(2, 50, 0),
        (n, seed, levels) => {
          let a = seed >>> 0;
          const rnd = () => (a = (a * 1664525 + 1013904223) >>> 0) / 2 ** 32;
          const p = Float64Array.from({ length: n }, () =>
            levels ? Math.round(rnd() * levels) / levels : rnd(),
          );
          const want = rankOrder(p);
          const ranker = new Ranker();
          assert.deepEqual(Array.from(ranker.rank(p, 0, n)), want);
          const p32 = Float32Array.from(p);
          assert.deepEqual(Array.from(ranker.rank(p32, 0, n)), rankOrder(p32));
        },
      ),
      { numRuns: 30, seed: 31 },
    );
  });
});

describe('decoders: structural properties', () => {
  it('every ranking decoder returns an upper set in p (top-k structure), and exact dominates all others', () => {
    fc.assert(
      fc.property(mapArb(2, 60), (raw) => {
        const p = f32(raw);
        const shape = [1, 1, 1, p.length];
        const exact = decode({ data: p, shape }, { decoder: 'rankdice', solver: 'exact' });
        const e = exact.images[0].classes[0].expectedDice ?? NaN;
        for (const solver of ['rma', 'ba', 'trna', 'ba+trna'] as const) {
          const r = decode({ data: p, shape }, { decoder: 'rankdice', solver });
          const m = r.mask.data;
          const order = rankOrder(p);
          const k = r.images[0].classes[0].k;
          for (let i = 0; i < p.length; i++) assert.equal(m[order[i]], i < k ? 1 : 0);
          assert.ok((r.images[0].classes[0].expectedDice ?? NaN) <= e + 1e-12);
        }
        for (const t of [0.3, 0.5]) {
          const r = decode({ data: p, shape }, { decoder: 'threshold', threshold: t });
          assert.ok((r.images[0].classes[0].expectedDice ?? NaN) <= e + 1e-12);
        }
        const iou = decode({ data: p, shape }, { decoder: 'rankiou', solver: 'exact' });
        const rmaIou = decode({ data: p, shape }, { decoder: 'rankiou', solver: 'rma' });
        assert.ok(
          (rmaIou.images[0].classes[0].expectedIoU ?? NaN) <=
            (iou.images[0].classes[0].expectedIoU ?? NaN) + 1e-12,
        );
      }),
      { numRuns: 60, seed: 13 },
    );
  });

  it('RMA by bucket selection (float32) equals RMA on the fully sorted map (float64 path): k and mask', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.constantFrom(0, 0.5, 2),
        fc.constantFrom('rankdice', 'rankiou'),
        fc.constantFrom(1, 16, 1000),
        (n, seed, g, decoder, levels) => {
          let a = seed;
          const rnd = () => (a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
          // Few levels give many exact ties; blobs of high values over a low background mimic real maps.
          const p = Float32Array.from(
            { length: n },
            (_, j) => Math.round((j % 9 < 2 ? 0.5 + 0.5 * rnd() : 0.1 * rnd()) * levels) / levels,
          );
          const fast = decode(
            { data: p, shape: [1, n] },
            { decoder, solver: 'rma', smooth: g, evaluate: false },
          );
          const full = decode(
            { data: Float64Array.from(p), shape: [1, n] },
            { decoder, solver: 'rma', smooth: g, evaluate: false },
          );
          assert.equal(fast.images[0].classes[0].k, full.images[0].classes[0].k);
          assert.deepEqual(Array.from(fast.mask.data), Array.from(full.mask.data));
        },
      ),
      { numRuns: 40, seed: 29 },
    );
  });

  it('threshold is monotone: a higher threshold never selects more pixels', () => {
    fc.assert(
      fc.property(
        mapArb(1, 50),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (raw, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const p = f32(raw);
          const kLo = decode(
            { data: p, shape: [1, p.length] },
            { decoder: 'threshold', threshold: lo, evaluate: false },
          );
          const kHi = decode(
            { data: p, shape: [1, p.length] },
            { decoder: 'threshold', threshold: hi, evaluate: false },
          );
          assert.ok(kHi.images[0].classes[0].k <= kLo.images[0].classes[0].k);
        },
      ),
      { numRuns: 100, seed: 17 },
    );
  });

  it('invariance to pixel order: permuting distinct probabilities permutes the mask, k and E unchanged', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 9999 }), { minLength: 2, maxLength: 80 }),
        fc.integer(),
        (ints, seed) => {
          const p = Float32Array.from(ints, (v) => v / 10000);
          const perm = Array.from(p.keys());
          let a = seed >>> 0;
          for (let i = perm.length - 1; i > 0; i--) {
            a = (a * 1664525 + 1013904223) >>> 0;
            const j = a % (i + 1);
            [perm[i], perm[j]] = [perm[j], perm[i]];
          }
          const q = Float32Array.from(perm, (i) => p[i]);
          for (const decoder of ['rankdice', 'rankiou'] as const) {
            for (const solver of ['exact', 'rma'] as const) {
              const r1 = decode({ data: p, shape: [1, p.length] }, { decoder, solver });
              const r2 = decode({ data: q, shape: [1, q.length] }, { decoder, solver });
              assert.equal(r1.images[0].classes[0].k, r2.images[0].classes[0].k);
              assert.ok(
                Math.abs(
                  (r1.images[0].classes[0].expectedDice ?? 0) - (r2.images[0].classes[0].expectedDice ?? 0),
                ) < 1e-12,
              );
              perm.forEach((src, dst) => assert.equal(r2.mask.data[dst], r1.mask.data[src]));
            }
          }
        },
      ),
      { numRuns: 40, seed: 19 },
    );
  });

  it('[H,W], [1,H,W] and [1,1,H,W] give identical results', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        (h, w, seed) => {
          let a = seed >>> 0;
          const p = Float32Array.from(
            { length: h * w },
            () => ((a = (a * 1664525 + 1013904223) >>> 0) % 1000) / 999,
          );
          for (const decoder of ['rankdice', 'rankiou', 'threshold', 'argmax'] as const) {
            const rs = [
              [h, w],
              [1, h, w],
              [1, 1, h, w],
            ].map((shape) => decode({ data: p, shape }, { decoder }));
            for (const r of rs.slice(1)) {
              assert.deepEqual(r.images, rs[0].images);
              assert.deepEqual(Array.from(r.mask.data), Array.from(rs[0].mask.data));
              assert.deepEqual(r.shape, [1, 1, h, w]);
            }
          }
        },
      ),
      { numRuns: 30, seed: 23 },
    );
  });
});
