/**
 * decode() behaviour: input validation, shapes and edge cases, options and their errors, deterministic ties
 * on ASCII-art maps, the package bugs we deliberately do not reproduce, notes, and cancellation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CancelledError, InputError, OptionError } from '../../../../src/core/errors';
import {
  DECODERS,
  RANKSEG_COMPATIBLE,
  decode,
  expectedDiceByK,
  expectedScore,
  expectedScoresOfMask,
} from '../../../../src/core/decoders';
import { DecodeOptions } from '../../../../src/core/decoders/types';
import { enumerateScore } from './bruteforce';
import { repoPath } from '../../../support/repo';

/** Parses an ASCII map: digits 0-9 are p = d/10, '#' is 1, '.' is 0. Rows are separated by newlines. */
function ascii(art: string): { data: Float32Array; shape: number[] } {
  const rows = art
    .trim()
    .split('\n')
    .map((r) => r.trim());
  const vals = rows.flatMap((r) => [...r].map((ch) => (ch === '#' ? 1 : ch === '.' ? 0 : Number(ch) / 10)));
  return { data: Float32Array.from(vals), shape: [rows.length, rows[0].length] };
}
const maskArt = (m: ArrayLike<number>, w: number) =>
  Array.from({ length: m.length / w }, (_, r) =>
    Array.from(m)
      .slice(r * w, (r + 1) * w)
      .join(''),
  ).join('\n');
const one = (data: number[], o: DecodeOptions) =>
  decode({ data: Float32Array.from(data), shape: [1, data.length] }, o);

describe('decoders: input validation', () => {
  it('refuses NaN, ±Inf and values outside [0, 1], suggesting sigmoid/softmax', () => {
    for (const bad of [NaN, Infinity, -Infinity, 1.5, -0.1]) {
      assert.throws(
        () => one([0.2, bad], { decoder: 'rankdice' }),
        (e: unknown) => e instanceof InputError && /sigmoid/.test(e.message) && /softmax/.test(e.message),
      );
    }
  });

  it('applies sigmoid or softmax only when asked', () => {
    const logits = { data: Float32Array.from([-2, 0, 3, 10]), shape: [2, 2] };
    assert.throws(() => decode(logits, { decoder: 'threshold' }), InputError);
    const s = decode(logits, { decoder: 'threshold', transform: 'sigmoid' });
    assert.deepEqual(Array.from(s.mask.data), [0, 0, 1, 1]); // sigmoid(0) = 0.5 is not > 0.5
    // Softmax over C = 2 at each of 2 pixels: pixel 0 logits (1, 3), pixel 1 logits (2, 2).
    const sm = decode(
      { data: Float32Array.from([1, 2, 3, 2]), shape: [2, 1, 2] },
      { decoder: 'argmax', transform: 'softmax' },
    );
    assert.deepEqual(Array.from(sm.mask.data), [1, 0]); // tie at pixel 1 → first class
    assert.throws(
      () =>
        decode(
          { data: Float32Array.from([NaN]), shape: [1, 1] },
          { decoder: 'threshold', transform: 'sigmoid' },
        ),
      InputError,
    );
  });

  it('refuses wrong rank, empty arrays, C = 0 and a data/shape mismatch with InputError', () => {
    assert.throws(
      () => decode({ data: new Float32Array(4), shape: [4] }, { decoder: 'threshold' }),
      InputError,
    );
    assert.throws(
      () => decode({ data: new Float32Array(0), shape: [0, 3] }, { decoder: 'threshold' }),
      InputError,
    );
    assert.throws(
      () => decode({ data: new Float32Array(0), shape: [1, 0, 3, 3] }, { decoder: 'rankdice' }),
      /C = 0/,
    );
    assert.throws(
      () => decode({ data: new Float32Array(0), shape: [0, 1, 3, 3] }, { decoder: 'rankdice' }),
      /B = 0/,
    );
    assert.throws(
      () => decode({ data: new Float32Array(5), shape: [2, 2] }, { decoder: 'threshold' }),
      InputError,
    );
  });

  it('treats −0 as 0 (the bit-pattern ranking must not put it first)', () => {
    const r = one([-0, 0.3, 0.9], { decoder: 'topk', k: 1 });
    assert.deepEqual(Array.from(r.mask.data), [0, 0, 1]);
  });

  it('refuses bad options with OptionError', () => {
    const p = [0.2, 0.8];
    assert.throws(() => one(p, { decoder: 'nope' as never }), OptionError);
    assert.throws(() => one(p, { decoder: 'rankiou', solver: 'ba' }), OptionError);
    assert.throws(() => one(p, { decoder: 'topk' }), OptionError); // k is required
    assert.throws(() => one(p, { decoder: 'tunedThreshold' }), OptionError);
    assert.throws(() => one(p, { decoder: 'threshold', threshold: 2 }), OptionError);
    assert.throws(() => one(p, { decoder: 'rankdice', smooth: -1 }), OptionError);
    assert.throws(() => one(p, { decoder: 'rankdice', outputMode: 'both' as never }), OptionError);
  });
});

describe('decoders: edge cases give defined results', () => {
  it('1×1 images: every solver works (the package crashes for BA/TRNA)', () => {
    for (const solver of ['exact', 'rma', 'ba', 'trna', 'ba+trna'] as const) {
      for (const p of [0, 0.3, 0.7, 1]) {
        const r = decode(
          { data: Float32Array.from([p]), shape: [1, 1, 1, 1] },
          { decoder: 'rankdice', solver },
        );
        const k = r.images[0].classes[0].k;
        assert.equal(k, p > 0 ? 1 : 0, `${solver} p=${p}`);
      }
    }
  });

  it('a single pixel: conv0 selects it for every p > 0, conv1 only when p > 1/2 (spec §1)', () => {
    for (const p of [0.1, 0.4, 0.6, 0.9].map(Math.fround)) {
      const c0 = one([p], { decoder: 'rankdice', solver: 'exact' });
      const c1 = one([p], { decoder: 'rankdice', solver: 'exact', emptyConvention: 'conv1' });
      assert.equal(c0.images[0].classes[0].k, 1);
      assert.equal(c1.images[0].classes[0].k, p > 0.5 ? 1 : 0);
      // conv1: empty scores P(Γ=0) = 1−p, the pixel scores p.
      assert.ok(Math.abs((c1.images[0].classes[0].expectedDice ?? NaN) - Math.max(p, 1 - p)) < 1e-15);
    }
  });

  it('all-zero maps give empty masks; all-one maps select everything with E = 1', () => {
    for (const decoder of ['rankdice', 'rankiou'] as const) {
      for (const solver of decoder === 'rankdice'
        ? (['exact', 'rma', 'ba', 'trna', 'ba+trna'] as const)
        : (['exact', 'rma'] as const)) {
        const z = decode({ data: new Float32Array(9), shape: [3, 3] }, { decoder, solver });
        assert.equal(z.images[0].classes[0].k, 0);
        assert.equal(z.images[0].classes[0].expectedDice, 0);
        assert.ok(z.notes.some((n) => /all zero/.test(n)));
        const o = decode({ data: new Float32Array(9).fill(1), shape: [3, 3] }, { decoder, solver });
        assert.equal(o.images[0].classes[0].k, 9, `${decoder}/${solver}`);
        assert.equal(o.images[0].classes[0].expectedDice, 1);
        assert.equal(o.images[0].classes[0].expectedIoU, 1);
      }
    }
  });

  it('BA/TRNA reach the full mask and fix the off-by-one bound: [0.99]×5 + [1e-6]×95 gives 5 (package: 4)', () => {
    const p = [...Array(5).fill(0.99), ...Array(95).fill(1e-6)];
    for (const solver of ['exact', 'ba', 'trna', 'ba+trna'] as const) {
      assert.equal(one(p, { decoder: 'rankdice', solver }).images[0].classes[0].k, 5, solver);
    }
  });

  it('pruning: off by default; RMA prunes at max p ≤ q, BA at max p < q (package comparisons)', () => {
    const p = [0.5, 0.45, 0.4, 0.01];
    assert.equal(one(p, { decoder: 'rankdice', solver: 'rma' }).images[0].classes[0].k > 0, true);
    const rma = one(p, { decoder: 'rankdice', solver: 'rma', pruningProb: 0.5 });
    assert.equal(rma.images[0].classes[0].k, 0);
    assert.equal(rma.images[0].classes[0].pruned, true);
    assert.ok(rma.notes.some((n) => /pruned/.test(n)));
    const ba = one(p, { decoder: 'rankdice', solver: 'ba', pruningProb: 0.5 });
    assert.equal(ba.images[0].classes[0].pruned, false);
    assert.ok(ba.images[0].classes[0].k > 0);
    // Exact with pruning enabled uses RMA's comparison (≤).
    const ex = one([0.5, 0.2], { decoder: 'rankdice', solver: 'exact', pruningProb: 0.5 });
    assert.equal(ex.images[0].classes[0].pruned, true);
    assert.equal(
      one([0.51, 0.2], { decoder: 'rankdice', solver: 'exact', pruningProb: 0.5 }).images[0].classes[0]
        .pruned,
      false,
    );
    // The compatible preset reproduces the package default.
    const preset = one(p, { decoder: 'rankdice', ...RANKSEG_COMPATIBLE });
    assert.equal(preset.images[0].classes[0].pruned, true);
  });
});

describe('decoders: deterministic ties and the simple decoders (ASCII art)', () => {
  it('topk breaks ties by flat index; threshold is strict', () => {
    const m = ascii(`
      5555
      5995
      5555`);
    const t = decode(m, { decoder: 'topk', k: 4 });
    assert.equal(maskArt(t.mask.data, 4), ['1100', '0110', '0000'].join('\n'));
    assert.equal(t.images[0].classes[0].cutoffProb, 0.5);
    const thr = decode(m, { decoder: 'threshold' });
    assert.equal(maskArt(thr.mask.data, 4), ['0000', '0110', '0000'].join('\n'));
    const tuned = decode(m, { decoder: 'tunedThreshold', threshold: 0.4 });
    assert.equal(tuned.images[0].classes[0].k, 12);
  });

  it('a tie group at the cut is filled in flat-index order by rankdice', () => {
    // 4 certain pixels and 8 at 0.5: the exact optimum takes some of the 0.5 group.
    const m = ascii(`
      ##55
      ##55
      5555`);
    const r = decode(m, { decoder: 'rankdice', solver: 'exact' });
    const k = r.images[0].classes[0].k;
    const order = [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 10, 11];
    const want = new Array(12).fill(0);
    for (let i = 0; i < k; i++) want[order[i]] = 1;
    assert.deepEqual(Array.from(r.mask.data), want);
    // And the reported expectation is that of the returned mask, checked by enumeration.
    const e = enumerateScore(Array.from(m.data), want);
    assert.ok(Math.abs((r.images[0].classes[0].expectedDice ?? NaN) - e.dice) < 1e-12);
  });

  it('argmax: first maximum wins; multilabel gives one-hot masks; C = 1 thresholds at 0.5', () => {
    const p = { data: Float32Array.from([0.5, 0.2, 0.5, 0.8]), shape: [2, 1, 2] };
    const mc = decode(p, { decoder: 'argmax' });
    assert.deepEqual(Array.from(mc.mask.data), [0, 1]);
    const ml = decode(p, { decoder: 'argmax', outputMode: 'multilabel' });
    assert.deepEqual(Array.from(ml.mask.data), [1, 0, 0, 1]);
    const c1 = decode({ data: Float32Array.from([0.5, 0.51]), shape: [1, 2] }, { decoder: 'argmax' });
    assert.deepEqual(Array.from(c1.mask.data), [0, 1]);
  });

  it('multiclass threshold: highest-p selecting class, unassigned by policy', () => {
    const p = { data: Float32Array.from([0.9, 0.6, 0.1, 0.2, 0.7, 0.3]), shape: [2, 1, 3] };
    const r = decode(p, { decoder: 'threshold', outputMode: 'multiclass' });
    assert.deepEqual(Array.from(r.mask.data), [0, 1, 1]);
    const v = decode(p, {
      decoder: 'threshold',
      outputMode: 'multiclass',
      unassignedPolicy: 'void',
      voidIndex: -1,
    });
    assert.deepEqual(Array.from(v.mask.data), [0, 1, -1]);
    assert.equal(v.images[0].classes[1].k, 1);
  });
});

describe('decoders: results, notes and cancellation', () => {
  it('reports k, cutoffProb and the expected scores of the returned mask', () => {
    const p = [0.9, 0.8, 0.3, 0.05];
    const r = one(p, { decoder: 'rankdice', solver: 'rma' });
    const c = r.images[0].classes[0];
    const e = expectedScore(Float32Array.from(p), r.mask.data as Uint8Array);
    assert.equal(c.expectedDice, e.dice);
    assert.equal(c.expectedIoU, e.iou);
    assert.equal(c.cutoffProb, Float32Array.from(p)[c.k - 1]);
    assert.equal(r.solver, 'rma');
    assert.equal(r.meanExpectedDice, c.expectedDice);
    const two = decode(
      { data: Float32Array.from([...p, ...p.map((v) => v / 2)]), shape: [2, 1, 1, 4] },
      { decoder: 'threshold' },
    );
    const cs = two.images[0].classes.concat(two.images[1].classes);
    assert.ok(
      Math.abs((two.meanExpectedIoU ?? NaN) - ((cs[0].expectedIoU ?? 0) + (cs[1].expectedIoU ?? 0)) / 2) <
        1e-15,
    );
    const noEval = one(p, { decoder: 'rankdice', evaluate: false });
    assert.equal(noEval.images[0].classes[0].expectedDice, null);
    assert.equal(noEval.meanExpectedDice, null);
  });

  it('without a solver, rankdice runs exact within the cost limit and falls back to rma with a note', () => {
    const p = Array.from({ length: 400 }, (_, i) => (i % 7) / 7);
    const auto = one(p, { decoder: 'rankdice' });
    assert.equal(auto.solver, 'exact');
    const fb = one(p, { decoder: 'rankdice', exactCostLimit: 10 });
    assert.equal(fb.solver, 'rma');
    assert.ok(fb.notes.some((n) => /exact fell back to rma/.test(n)));
  });

  it('BA+TRNA picks per image (no cross-image windows) and reports the solver used', () => {
    // Image 0: a tiny object (σ ≤ 5 → TRNA); image 1: a large uncertain region (σ > 5 → BA).
    const n = 400;
    const data = new Float32Array(2 * n);
    for (let j = 0; j < 5; j++) data[j] = 0.9;
    for (let j = 0; j < n; j++) data[n + j] = j < 200 ? 0.6 : 0.02;
    const r = decode({ data, shape: [2, 1, 20, 20] }, { decoder: 'rankdice', solver: 'ba+trna' });
    assert.equal(r.images[0].classes[0].solver, 'trna');
    assert.equal(r.images[1].classes[0].solver, 'ba');
    assert.equal(r.solver, 'mixed');
    for (const b of [0, 1]) {
      const alone = decode(
        { data: data.subarray(b * n, (b + 1) * n), shape: [1, 1, 20, 20] },
        { decoder: 'rankdice', solver: 'ba+trna' },
      );
      assert.equal(r.images[b].classes[0].k, alone.images[0].classes[0].k);
    }
  });

  it('expectedScoresOfMask re-evaluates saved masks and label maps (void labels belong to no class)', () => {
    const input = { data: Float32Array.from([0.9, 0.2, 0.6, 0.1, 0.7, 0.3]), shape: [2, 1, 3] };
    const r = decode(input, { decoder: 'rankdice', solver: 'exact', outputMode: 'multiclass' });
    const again = expectedScoresOfMask(input, r.mask);
    r.images[0].classes.forEach((c, k) => assert.equal(again[0][k].dice, c.expectedDice));
    const labels = { kind: 'multiclass' as const, data: Int32Array.from([0, 255, 1]), shape: [1, 1, 3] };
    const s = expectedScoresOfMask(input, labels);
    assert.ok(
      Math.abs(s[0][0].dice - enumerateScore(Float32Array.from([0.9, 0.2, 0.6]), [1, 0, 0]).dice) < 1e-12,
    );
    assert.ok(
      Math.abs(s[0][1].iou - enumerateScore(Float32Array.from([0.1, 0.7, 0.3]), [0, 0, 1]).iou) < 1e-12,
    );
    assert.throws(() => expectedScoresOfMask(input, { ...labels, data: new Int32Array(2) }), InputError);
  });

  it('expectedDiceByK polls shouldCancel inside its single long pass', () => {
    const p = Float32Array.from({ length: 9000 }, (_, j) => ((j * 7919) % 1000) / 1000);
    assert.throws(() => expectedDiceByK(p, { shouldCancel: () => true }), CancelledError);
    assert.equal(expectedDiceByK(p, { shouldCancel: () => false, maxPoints: 11 }).length, 11);
  });

  it('throws CancelledError when shouldCancel returns true', () => {
    let calls = 0;
    assert.throws(
      () =>
        decode(
          { data: new Float32Array(12).fill(0.3), shape: [3, 1, 2, 2] },
          { decoder: 'rankdice', shouldCancel: () => ++calls > 1 },
        ),
      CancelledError,
    );
  });

  it('every registered decoder and solver runs with its defaults plus its required options', () => {
    const input = { data: Float32Array.from([0.9, 0.1, 0.6, 0.4, 0.2, 0.8]), shape: [2, 1, 3] };
    for (const d of DECODERS) {
      const extra = {
        threshold: d.requires.includes('threshold') ? 0.3 : undefined,
        k: d.requires.includes('k') ? 2 : undefined,
      };
      for (const solver of d.solvers.length ? d.solvers : [undefined]) {
        const r = decode(input, { decoder: d.name, solver, ...extra });
        assert.equal(r.outputMode, d.defaults.outputMode);
        assert.equal(r.images[0].classes.length, 2);
        assert.ok(r.meanExpectedDice !== null && r.meanExpectedDice >= 0 && r.meanExpectedDice <= 1);
      }
    }
  });

  it('docs/decoders.md documents every decoder, solver and option', () => {
    const doc = readFileSync(repoPath('docs/decoders.md'), 'utf8');
    const options = [
      'solver',
      'outputMode',
      'threshold',
      'smooth',
      'pruningProb',
      'eps',
      'unassignedPolicy',
      'voidIndex',
      'emptyConvention',
      'transform',
      'evaluate',
      'exactCostLimit',
      'shouldCancel',
    ];
    for (const d of DECODERS) {
      assert.ok(doc.includes(`\`${d.name}\``), d.name);
      for (const s of d.solvers) if (s !== 'auto') assert.ok(doc.includes(`\`${s}\``), s);
    }
    for (const o of options) assert.ok(doc.includes(`\`${o}\``), o);
  });

  it('the registry lists every decoder once with label, description and defaults', () => {
    const names = DECODERS.map((d) => d.name);
    assert.deepEqual([...names].sort(), [
      'argmax',
      'rankdice',
      'rankiou',
      'threshold',
      'topk',
      'tunedThreshold',
    ]);
    for (const d of DECODERS) {
      assert.ok(d.label.length > 0 && d.description.length > 0);
      assert.ok(d.defaults.outputMode === 'multilabel' || d.defaults.outputMode === 'multiclass');
    }
    assert.equal(DECODERS.find((d) => d.name === 'rankdice')?.defaults.pruningProb, 0);
  });
});
