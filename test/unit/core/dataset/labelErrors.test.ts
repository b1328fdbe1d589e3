import assert from 'node:assert/strict';
import { labelErrorCandidates, LabelErrorCandidate } from '../../../../src/core/dataset/labelErrors';
import { classChannel } from '../../../../src/core/metrics/channels';
import { mulberry32 } from '../../../../src/core/dataset/stats';

/**
 * The candidates by their definition (docs/dataset.md), on the whole image: regions by flood fill (8 / 26
 * neighbours), ids in the order of each region's first pixel, each region's confidence summed in C order.
 */
function oracle(
  gt: Uint8Array,
  pred: Uint8Array,
  prob: Float32Array,
  shape: number[],
  classes: number[],
  K: number,
  minPixels: number,
  ignore: number | undefined,
): LabelErrorCandidate[] {
  const n = gt.length;
  const nd = shape.length;
  const coordOf = (i: number): number[] => {
    const c: number[] = [];
    for (let a = nd - 1; a >= 0; a--) {
      c.unshift(i % shape[a]);
      i = Math.floor(i / shape[a]);
    }
    return c;
  };
  const indexOf = (c: number[]): number => c.reduce((s, v, a) => s * shape[a] + v, 0);
  const out: LabelErrorCandidate[] = [];
  for (const c of classes) {
    const ch = classChannel(prob.length / n, c, K, 0);
    if (!ch) continue;
    let best: LabelErrorCandidate | undefined;
    for (const kind of ['missed', 'spurious'] as const) {
      const [is, not] = kind === 'missed' ? [gt, pred] : [pred, gt];
      const on = (i: number) => gt[i] !== ignore && is[i] === c && not[i] !== c;
      const id = new Int32Array(n);
      let count = 0;
      for (let s = 0; s < n; s++) {
        if (!on(s) || id[s]) continue;
        id[s] = ++count;
        const stack = [s];
        while (stack.length) {
          const p = coordOf(stack.pop() as number);
          for (let code = 0; code < 3 ** nd; code++) {
            const q = p.map((v, a) => v + (Math.floor(code / 3 ** a) % 3) - 1);
            if (q.some((v, a) => v < 0 || v >= shape[a])) continue;
            const j = indexOf(q);
            if (on(j) && !id[j]) {
              id[j] = count;
              stack.push(j);
            }
          }
        }
      }
      const size = new Array<number>(count + 1).fill(0);
      const sum = new Array<number>(count + 1).fill(0);
      const min: number[][] = [];
      const max: number[][] = [];
      for (let i = 0; i < n; i++) {
        const k = id[i];
        if (!k) continue;
        size[k]++;
        const p = ch.complement ? 1 - prob[ch.channel * n + i] : prob[ch.channel * n + i];
        sum[k] += kind === 'missed' ? 1 - p : p;
        const co = coordOf(i);
        min[k] = min[k] ? min[k].map((v, a) => Math.min(v, co[a])) : co;
        max[k] = max[k] ? max[k].map((v, a) => Math.max(v, co[a])) : co;
      }
      for (let k = 1; k <= count; k++) {
        if (size[k] < minPixels) continue;
        const score = sum[k] / size[k];
        if (!best || score > best.score || (score === best.score && size[k] > best.pixels))
          best = { class: c, score, kind, pixels: size[k], bbox: { min: min[k], max: max[k] } };
      }
    }
    if (best) out.push(best);
  }
  return out.sort((a, b) => b.score - a.score || b.pixels - a.pixels || a.class - b.class);
}

/** Blobs of classes 1…K−1 (some touching the border), then per-pixel flips of a few pixels. */
function labels(shape: number[], K: number, r: () => number, flips: number): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(n);
  const blobs = Array.from({ length: 3 }, () => ({
    c: shape.map((s) => r() * s),
    rad: 0.5 + r() * Math.max(...shape) * 0.4,
    k: 1 + Math.floor(r() * (K - 1)),
  }));
  for (let i = 0; i < n; i++) {
    let rest = i;
    const co: number[] = [];
    for (let a = shape.length - 1; a >= 0; a--) {
      co.unshift(rest % shape[a]);
      rest = Math.floor(rest / shape[a]);
    }
    for (const b of blobs) if (Math.hypot(...co.map((v, a) => v - b.c[a])) <= b.rad) out[i] = b.k;
  }
  for (let k = 0; k < flips; k++) out[Math.floor(r() * n)] = Math.floor(r() * K);
  return out;
}

describe('dataset: label-error candidates (labelErrors.ts)', () => {
  it('equal the definition on the whole image: 2-D and 3-D, binary and softmax maps, ignore label, odd widths', () => {
    const r = mulberry32(77);
    let found = 0;
    for (let t = 0; t < 60; t++) {
      const shape = t % 3 === 2 ? [5 + (t % 4), 6, 7 + (t % 5)] : [9 + (t % 13), 11 + (t % 7)];
      const n = shape.reduce((a, b) => a * b, 1);
      const K = t % 2 ? 2 : 3;
      const gt = labels(shape, K, r, 5);
      const pred = t % 5 === 0 ? gt.slice() : labels(shape, K, r, 8);
      const ignore = t % 4 === 1 ? 255 : undefined;
      if (ignore !== undefined) for (let k = 0; k < 6; k++) gt[Math.floor(r() * n)] = 255;
      const C = K === 2 && t % 4 !== 3 ? 1 : K;
      const prob = Float32Array.from({ length: C * n }, () => r());
      const classes = t % 3 ? [1, 0, 2].filter((c) => c < K) : [1];
      const minPixels = t % 2 ? 1 : 4;
      const want = oracle(gt, pred, prob, shape, classes, K, minPixels, ignore);
      const got = labelErrorCandidates(
        { data: gt, shape },
        { data: pred, shape },
        { data: prob, shape: [C, ...shape] },
        {
          classes,
          config: { numClasses: K, backgroundIndex: 0 },
          minPixels,
          ignoreIndex: ignore,
        },
      );
      assert.deepEqual(got, want, `case ${t}`);
      found += got.length;
    }
    assert.ok(found > 40, `only ${found} candidates: the cases do not exercise the scoring`);
  });

  it('edge cases: no disagreement, everything wrong, one pixel, regions on the border, Int32 labels', () => {
    const shape = [6, 10];
    const n = 60;
    const prob = Float32Array.from({ length: n }, (_, i) => (i % 7) / 7);
    const cases: [Uint8Array, Uint8Array][] = [
      [new Uint8Array(n), new Uint8Array(n)],
      [new Uint8Array(n).fill(1), new Uint8Array(n)],
      [new Uint8Array(n), new Uint8Array(n).fill(1)],
      [Uint8Array.from({ length: n }, (_, i) => (i === 37 ? 1 : 0)), new Uint8Array(n)],
      [
        Uint8Array.from({ length: n }, (_, i) => (i % 10 === 0 || i % 10 === 9 || i < 10 || i >= 50 ? 1 : 0)),
        new Uint8Array(n),
      ],
    ];
    for (const [k, [g, p]] of cases.entries()) {
      for (const minPixels of [1, 10]) {
        const want = oracle(g, p, prob, shape, [0, 1], 2, minPixels, undefined);
        const o = { classes: [0, 1], config: { numClasses: 2, backgroundIndex: 0 }, minPixels };
        const mapP = { data: prob, shape: [1, ...shape] };
        assert.deepEqual(
          labelErrorCandidates({ data: g, shape }, { data: p, shape }, mapP, o),
          want,
          `case ${k}`,
        );
        const g32 = { data: Int32Array.from(g), shape };
        const p32 = { data: Int32Array.from(p), shape };
        assert.deepEqual(labelErrorCandidates(g32, p32, mapP, o), want, `case ${k} as Int32`);
      }
    }
  });
});
