/**
 * Issue 13: the fast evaluators (expected Dice/IoU of a mask from power sums and the characteristic function,
 * ./pmfTransform; the expected-Dice-vs-k curve by the positive series of ./curve) against the evaluators they
 * replaced, kept as the oracle in ./oracleExpected, to 1e-9 relative — on the public fixtures tiled up to
 * sizes where the fast paths run, and on random maps of several kinds.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { curveKs, decode, expectedDiceByK, expectedScore } from '../../../../src/core/decoders';
import { exactRankDice } from '../../../../src/core/decoders/exactDice';
import { pmfOfRange } from '../../../../src/core/decoders/pmf';
import { SIGMA2_MIN, pmfOfRangeFast } from '../../../../src/core/decoders/pmfTransform';
import { readNpy } from '../../../../src/core/io/npy';
import { repoPath } from '../../../support/repo';
import { oracleCurve, oracleScore } from './oracleExpected';
import { mulberry32 } from '../../../../src/core/dataset/stats';

const REL = 1e-9;

function close(got: number, want: number, what: string): void {
  const err = Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
  assert.ok(err <= REL || Math.abs(got - want) < 1e-300, `${what}: ${got} vs ${want} (relative ${err})`);
}

const rng = mulberry32;

/** Random maps: soft blob + noise, uniform, near-binary, sparse (mostly exact zeros), Beta(.4,.4)-like. */
function randomMap(kind: string, n: number, seed: number): Float32Array {
  const r = rng(seed);
  const side = Math.round(Math.sqrt(n));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i % side;
    const y = Math.floor(i / side);
    const d = Math.hypot(x - side / 2, y - side / 2) - side / 4;
    const u = r();
    out[i] =
      kind === 'blob'
        ? Math.min(1, 1 / (1 + Math.exp(d / 3)) + 0.05 * u)
        : kind === 'uniform'
          ? u
          : kind === 'binary'
            ? u < 0.3
              ? 1 - 1e-4 * r()
              : 1e-4 * r()
            : kind === 'sparse'
              ? u < 0.02
                ? r()
                : 0
              : (u * u * (3 - 2 * u) ** 2) / 9;
  }
  return out;
}

/** The fixtures' probability planes, tiled to side×side (so their PMFs are wide enough for the transform). */
function tiledFixtures(side: number): { name: string; data: Float32Array }[] {
  const dir = repoPath('test/fixtures/rankseg');
  const out: { name: string; data: Float32Array }[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('__probs.npy'))) {
    const a = readNpy(readFileSync(join(dir, f)), { source: f });
    const [B, C, H, W] = a.shape.length === 4 ? a.shape : [1, 1, ...a.shape.slice(-2)];
    const plane = (a.data as Float32Array).subarray(0, H * W); // image 0, class 0
    const data = new Float32Array(side * side);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) data[y * side + x] = plane[(y % H) * W + (x % W)];
    out.push({ name: `${f} (B=${B}, C=${C})`, data });
  }
  return out;
}

function masksFor(p: Float32Array, seed: number): { name: string; mask: Uint8Array }[] {
  const r = rng(seed);
  const thr = Uint8Array.from(p, (v) => (v > 0.5 ? 1 : 0));
  const rma = decode(
    { data: p, shape: [1, p.length] },
    { decoder: 'rankdice', solver: 'rma', evaluate: false },
  ).mask.data as Uint8Array;
  const random = Uint8Array.from(p, () => (r() < 0.4 ? 1 : 0));
  const all = new Uint8Array(p.length).fill(1);
  const empty = new Uint8Array(p.length);
  return [
    { name: 'threshold', mask: thr },
    { name: 'rma', mask: rma },
    { name: 'random', mask: random },
    { name: 'all', mask: all },
    { name: 'empty', mask: empty },
  ];
}

describe('decoders: fast expected scores equal the previous evaluator (issue 13)', () => {
  it('the transform PMF gives the DP’s E[1/(c+X)] and E[X] on wide sums, and is used only there', () => {
    for (const kind of ['blob', 'uniform', 'beta']) {
      const p = Float64Array.from(randomMap(kind, 256 * 256, 7));
      let v = 0;
      for (const x of p) v += x * (1 - x);
      assert.ok(v >= SIGMA2_MIN, kind);
      const a = pmfOfRange(p, 0, p.length);
      const b = pmfOfRangeFast(p, 0, p.length);
      for (const c of [1, 100, 10000]) {
        let ea = 0;
        let eb = 0;
        for (let i = 0; i < a.len; i++) ea += a.data[i] / (c + a.lo + i);
        for (let i = 0; i < b.len; i++) eb += b.data[i] / (c + b.lo + i);
        close(eb, ea, `${kind} E[1/(${c}+X)]`);
      }
      let m = 0;
      for (let i = 0; i < b.len; i++) m += b.data[i] * (b.lo + i);
      close(
        m,
        p.reduce((s, x) => s + x, 0),
        `${kind} mean`,
      );
    }
    // Narrow sums are the DP's, bit for bit.
    const small = Float64Array.from(randomMap('sparse', 64 * 64, 3));
    assert.deepEqual(
      pmfOfRangeFast(small, 0, small.length).data.subarray(0, 10),
      pmfOfRange(small, 0, small.length).data.subarray(0, 10),
    );
  });

  it('the transform also holds just above its threshold (σ² from SIGMA2_MIN to 20×, four kinds of sums)', () => {
    // The dataset mode's 256² maps have σ² in the hundreds: the transform must match the DP there too.
    const r = rng(41);
    const kinds: Record<string, () => number> = {
      uniform: () => r(),
      sparse: () => (r() < 0.1 ? r() : 0),
      edge: () => (r() < 0.5 ? 0.5 + 0.5 * r() ** 3 : 0.5 * r() ** 3),
      tiny: () => 0.02 * r(),
    };
    for (const [kind, draw] of Object.entries(kinds)) {
      for (const factor of [1, 1.5, 3, 20]) {
        const values: number[] = [];
        let v = 0;
        while (v < SIGMA2_MIN * factor) {
          const p = draw();
          values.push(p);
          v += p * (1 - p);
        }
        const p = Float64Array.from(values);
        const a = pmfOfRange(p, 0, p.length);
        const b = pmfOfRangeFast(p, 0, p.length);
        assert.notDeepEqual(b.data.subarray(0, b.len), a.data.subarray(0, a.len), `${kind}: transform used`);
        for (const c of [0.5, 1, 100, 10000]) {
          let ea = 0;
          let eb = 0;
          for (let i = 0; i < a.len; i++) ea += a.data[i] / (c + a.lo + i);
          for (let i = 0; i < b.len; i++) eb += b.data[i] / (c + b.lo + i);
          close(eb, ea, `${kind} σ²≈${SIGMA2_MIN * factor} E[1/(${c}+X)]`);
        }
      }
    }
  });

  it('expectedScore equals the oracle on the public fixtures tiled to 160² (five masks each, both conventions, γ 0 and 1)', () => {
    for (const { name, data } of tiledFixtures(160)) {
      for (const { name: m, mask } of masksFor(data, 11)) {
        for (const [smooth, emptyConvention] of [
          [0, 'conv0'],
          [1, 'conv1'],
        ] as const) {
          const got = expectedScore(data, mask, { smooth, emptyConvention });
          const want = oracleScore(data, mask, { smooth, emptyConvention });
          close(got.dice, want.dice, `${name} ${m} γ=${smooth} dice`);
          close(got.iou, want.iou, `${name} ${m} γ=${smooth} iou`);
        }
      }
    }
  });

  it('expectedScore equals the oracle on random maps of five kinds (256²)', () => {
    for (const kind of ['blob', 'uniform', 'binary', 'sparse', 'beta']) {
      const p = randomMap(kind, 256 * 256, 5);
      for (const { name, mask } of masksFor(p, 13)) {
        const got = expectedScore(p, mask);
        const want = oracleScore(p, mask);
        close(got.dice, want.dice, `${kind} ${name} dice`);
        close(got.iou, want.iou, `${kind} ${name} iou`);
      }
    }
  });

  it('a map above the one-pass gathering size (1025 × 1024: moments, then powers in a second pass) equals the oracle', () => {
    // Near-binary map: a wide outside set and a wide inside set (both take the power-sum transform).
    const n = 1025 * 1024;
    const r = rng(7);
    const p = new Float32Array(n);
    for (let i = 0; i < n; i++) p[i] = r() < 0.3 ? 1 - 0.2 * r() : 0.2 * r();
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = p[i] > 0.5 ? 1 : 0;
    const got = expectedScore(p, mask);
    const want = oracleScore(p, mask);
    close(got.dice, want.dice, 'dice');
    close(got.iou, want.iou, 'iou');
  });

  it('decode() reports the oracle’s expected scores for its own masks (multiclass labels too)', () => {
    const side = 160;
    const a = randomMap('blob', side * side, 2);
    const b = randomMap('uniform', side * side, 3);
    const data = new Float32Array(2 * side * side);
    data.set(a, 0);
    data.set(b, side * side);
    const r = decode(
      { data, shape: [2, side, side] },
      { decoder: 'rankdice', solver: 'rma', outputMode: 'multiclass' },
    );
    const labels = r.mask.data as Int32Array;
    for (let c = 0; c < 2; c++) {
      const mask = Uint8Array.from(labels, (l) => (l === c ? 1 : 0));
      const want = oracleScore(data.subarray(c * side * side, (c + 1) * side * side), mask);
      close(r.images[0].classes[c].expectedDice ?? NaN, want.dice, `class ${c} dice`);
      close(r.images[0].classes[c].expectedIoU ?? NaN, want.iou, `class ${c} iou`);
    }
  });

  it('expectedDiceByK equals the exact solver’s curve (series and exact prefix, sampled and dense, γ and conventions)', () => {
    const cases: [string, Float32Array][] = [
      ['blob 128²', randomMap('blob', 128 * 128, 1)],
      ['sparse 128²', randomMap('sparse', 128 * 128, 2)],
      ['binary 96²', randomMap('binary', 96 * 96, 3)],
      ['beta 64²', randomMap('beta', 64 * 64, 4)],
      ['fixture p01 tiled 96²', tiledFixtures(96)[0].data],
    ];
    for (const [name, p] of cases) {
      for (const [smooth, emptyConvention] of [
        [0, 'conv0'],
        [0.5, 'conv1'],
      ] as const) {
        for (const maxPoints of [4096, 257]) {
          const ks = curveKs(p.length, maxPoints);
          const got = expectedDiceByK(p, { smooth, emptyConvention, maxPoints });
          const want = oracleCurve(p, ks, { smooth, emptyConvention });
          assert.equal(got.length, want.length);
          for (let i = 0; i < ks.length; i++) close(got[i], want[i], `${name} γ=${smooth} k=${ks[i]}`);
        }
      }
    }
  });
});

describe('decoders: exact RankDice on the transform PMF of Γ (issue 13)', () => {
  it('chooses the same k as with the DP PMF, its score within 1e-9 relative (wide maps of three kinds)', () => {
    for (const [kind, seed] of [
      ['blob', 1],
      ['blob', 2],
      ['uniform', 3],
      ['beta', 4],
    ] as const) {
      const p = Float64Array.from(randomMap(kind, 256 * 256, seed))
        .sort()
        .reverse();
      const dp = exactRankDice(p, { gammaPmf: pmfOfRange(p, 0, p.length) });
      const fast = exactRankDice(p);
      assert.equal(fast.k, dp.k, `${kind} ${seed}`);
      close(fast.score, dp.score, `${kind} ${seed} score`);
    }
  });
});
