import assert from 'node:assert/strict';
import { classBoxes, cropClass } from '../../../../src/core/metrics/crop';
import { unionClassBoxes } from '../../../../src/core/metrics/sharedGt';
import { maskRuns } from '../../../../src/core/metrics/lineRuns';
import { mulberry32 } from '../../../../src/core/dataset/stats';

/** Boxes by the definition: for each class, min and max coordinate over every pixel of G ∪ P. */
function bruteBoxes(gt: Uint8Array, pred: Uint8Array, shape: number[], K: number) {
  const nd = shape.length;
  const out: ({ lo: number[]; hi: number[] } | null)[] = Array.from({ length: K }, () => null);
  for (let i = 0; i < gt.length; i++) {
    const coord: number[] = [];
    let r = i;
    for (let a = nd - 1; a >= 0; a--) {
      coord.unshift(r % shape[a]);
      r = Math.floor(r / shape[a]);
    }
    for (const c of new Set([gt[i], pred[i]])) {
      const b = (out[c] ??= { lo: [...coord], hi: [...coord] });
      coord.forEach((v, a) => {
        b.lo[a] = Math.min(b.lo[a], v);
        b.hi[a] = Math.max(b.hi[a], v);
      });
    }
  }
  return out;
}

describe('metrics: class bounding boxes (crop.ts)', () => {
  it('classBoxes equals the per-pixel definition on random 1-D, 2-D and 3-D maps with sparse classes', () => {
    const r = mulberry32(5);
    for (const shape of [[17], [1, 1], [9, 13], [31, 7], [4, 5, 6], [1, 8, 3]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      for (const K of [1, 2, 5]) {
        const draw = () => (r() < 0.7 ? 0 : Math.floor(r() * K));
        const gt = Uint8Array.from({ length: n }, draw);
        const pred = Uint8Array.from({ length: n }, draw);
        assert.deepEqual(classBoxes(gt, pred, shape, K), bruteBoxes(gt, pred, shape, K), `${shape} K=${K}`);
      }
    }
  });

  it('labels at or above numClasses (an ignore label) belong to no class; long runs, full and 1-pixel lines', () => {
    const r = mulberry32(11);
    for (const shape of [
      [1, 64],
      [5, 40],
      [3, 4, 33],
      [2, 1, 1],
    ]) {
      const n = shape.reduce((a, b) => a * b, 1);
      for (const fill of [0, 1, 255]) {
        // Runs of one label (as masks have), some of the ignore label 255, and a few lone pixels.
        const gt = new Uint8Array(n).fill(fill);
        const pred = new Uint8Array(n).fill(fill === 255 ? 0 : fill);
        for (let k = 0; k < 6; k++) {
          const at = Math.floor(r() * n);
          const len = Math.floor(r() * 20);
          const v = [0, 1, 2, 255][Math.floor(r() * 4)];
          gt.fill(v, at, Math.min(n, at + len));
          pred[Math.floor(r() * n)] = Math.floor(r() * 3);
        }
        const brute = bruteBoxes(gt, pred, shape, 256).slice(0, 3);
        assert.deepEqual(classBoxes(gt, pred, shape, 3), brute, `${shape} fill ${fill}`);
      }
    }
  });

  it('unionClassBoxes gives each prediction its own G ∪ P boxes and the box around all of them', () => {
    const r = mulberry32(23);
    for (const shape of [
      [9, 13],
      [4, 5, 6],
    ]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const draw = () => (r() < 0.8 ? 0 : Math.floor(r() * 4));
      const gt = Uint8Array.from({ length: n }, draw);
      const preds = [0, 1, 2].map(() => Uint8Array.from({ length: n }, draw));
      const own: ReturnType<typeof classBoxes>[] = [];
      const union = unionClassBoxes(gt, preds, shape, 4, (_, b) => own.push(b));
      preds.forEach((p, k) => assert.deepEqual(own[k], bruteBoxes(gt, p, shape, 4)));
      // The union by the definition: boxes of the GT concatenated with every prediction.
      const all = bruteBoxes(
        Uint8Array.from([...gt, ...preds.flatMap((p) => [...p])]),
        Uint8Array.from([...gt, ...preds.flatMap((p) => [...p])]),
        [preds.length + 1, ...shape],
        4,
      ).map((b) => (b ? { lo: b.lo.slice(1), hi: b.hi.slice(1) } : null));
      assert.deepEqual(union, all);
    }
  });

  it('cropClass gives the runs of both crops as maskRuns reads them (and none for a reused GT crop)', () => {
    const r = mulberry32(31);
    for (const shape of [[9, 13], [30, 41], [4, 5, 6], [1, 8, 3], [17]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      for (const K of [2, 4]) {
        const draw = () => (r() < 0.6 ? 0 : Math.floor(r() * K));
        const gt = Uint8Array.from({ length: n }, draw);
        const pred = Uint8Array.from({ length: n }, draw);
        // Long runs too (filled by a different path than short ones).
        pred.fill(1, n >> 3, n >> 1);
        gt.fill(K - 1, n >> 2, n - 3);
        const boxes = classBoxes(gt, pred, shape, K);
        for (let c = 0; c < K; c++) {
          const crop = cropClass(gt, pred, shape, c, boxes[c]);
          if (!crop) continue;
          // The crops by their definition: 1 where the image pixel (origin + crop coordinate) holds the class.
          for (let k = 0; k < crop.gt.length; k++) {
            let rest = k;
            let at = 0;
            let inside = true;
            for (let a = shape.length - 1, mul = 1; a >= 0; a--) {
              const v = (rest % crop.shape[a]) + crop.origin[a];
              rest = Math.floor(rest / crop.shape[a]);
              if (v < 0 || v >= shape[a]) inside = false;
              at += v * mul;
              mul *= shape[a];
            }
            assert.equal(crop.gt[k], inside && gt[at] === c ? 1 : 0);
            assert.equal(crop.pred[k], inside && pred[at] === c ? 1 : 0);
          }
          assert.deepEqual(crop.gtRuns, maskRuns(crop.gt, crop.shape), `${shape} class ${c} GT`);
          assert.deepEqual(crop.predRuns, maskRuns(crop.pred, crop.shape), `${shape} class ${c} pred`);
          const again = cropClass(gt, pred, shape, c, boxes[c], crop.gt);
          assert.equal(again?.gtRuns, undefined);
          assert.deepEqual(again?.predRuns, crop.predRuns);
        }
      }
    }
  });

  it('a class in neither map has no box and no crop; a one-pixel class gets a 3×3 crop with its pixel centred', () => {
    const gt = new Uint8Array(12);
    const pred = new Uint8Array(12);
    pred[5] = 2; // [1, 1] of a 3×4 image
    const boxes = classBoxes(gt, pred, [3, 4], 3);
    assert.equal(boxes[1], null);
    assert.deepEqual(boxes[2], { lo: [1, 1], hi: [1, 1] });
    assert.equal(cropClass(gt, pred, [3, 4], 1, boxes[1]), null);
    const crop = cropClass(gt, pred, [3, 4], 2, boxes[2]);
    assert.deepEqual(crop?.shape, [3, 3]);
    assert.deepEqual(crop?.origin, [0, 0]);
    assert.deepEqual(Array.from(crop?.pred ?? []), [0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });
});
