/**
 * Components by runs (componentRuns.ts) on masks the small property test does not reach: wide lines where whole
 * zero words are skipped, masks starting off a word boundary, values other than 0/1, and non-byte masks — against
 * the flood fill of reference.ts (ids in first-pixel order, sizes, inclusive boxes).
 */
import * as assert from 'node:assert/strict';
import { connectedComponents } from '../../../../src/core/metrics/components';
import { mulberry32 } from '../../../../src/core/dataset/stats';
import { bruteComponents } from './reference';

function check(mask: ArrayLike<number>, shape: number[], conn: number, what: string): void {
  const got = connectedComponents(mask, shape, conn);
  const want = Array.from(
    bruteComponents(
      Array.from(mask, (v) => (v ? 1 : 0)),
      shape,
      conn,
    ),
  );
  assert.deepEqual(Array.from(got.labels), want, `${what}: labels`);
  const nd = shape.length;
  const count = Math.max(0, ...want);
  assert.equal(got.count, count, `${what}: count`);
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
  for (let id = 1; id <= count; id++) {
    let size = 0;
    const lo = new Array<number>(nd).fill(Infinity);
    const hi = new Array<number>(nd).fill(-Infinity);
    want.forEach((l, i) => {
      if (l !== id) return;
      size++;
      for (let a = 0; a < nd; a++) {
        const c = Math.floor(i / strides[a]) % shape[a];
        lo[a] = Math.min(lo[a], c);
        hi[a] = Math.max(hi[a], c);
      }
    });
    assert.equal(got.sizes[id], size, `${what}: size of ${id}`);
    assert.deepEqual(Array.from(got.bboxMin.subarray(id * nd, id * nd + nd)), lo, `${what}: min of ${id}`);
    assert.deepEqual(Array.from(got.bboxMax.subarray(id * nd, id * nd + nd)), hi, `${what}: max of ${id}`);
  }
}

/** Rows of long background, blobs, single pixels and full lines, with foreground values 1 or 255. */
function mask(n: number, W: number, seed: number): Uint8Array {
  const r = mulberry32(seed);
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = i % W;
    const row = Math.floor(i / W);
    const kind = row % 5;
    const on =
      kind === 0
        ? false
        : kind === 1
          ? r() < 0.08
          : kind === 2
            ? x > 9 && x < 40
            : kind === 3
              ? r() < 0.6
              : true;
    if (on) m[i] = r() < 0.5 ? 1 : 255;
  }
  return m;
}

describe('metrics: connected components by runs (componentRuns.ts)', () => {
  it('equal the flood fill on wide 2-D masks, 4 and 8, aligned and unaligned, bytes and other arrays', () => {
    for (const [H, W] of [
      [23, 64],
      [17, 61],
      [1, 130],
      [40, 3],
    ]) {
      const m = mask(H * W, W, H * 1000 + W);
      // The same pixels one byte into a buffer: no whole-word skipping from a misaligned start.
      const shifted = new Uint8Array(H * W + 1);
      shifted.set(m, 1);
      for (const conn of [4, 8]) {
        check(m, [H, W], conn, `${H}×${W} conn ${conn}`);
        check(shifted.subarray(1), [H, W], conn, `${H}×${W} unaligned conn ${conn}`);
        check(Int32Array.from(m), [H, W], conn, `${H}×${W} Int32Array conn ${conn}`);
        check(Array.from(m), [H, W], conn, `${H}×${W} plain array conn ${conn}`);
      }
    }
  });

  it('equal the flood fill on 3-D masks under 6, 18 and 26', () => {
    for (const [D, H, W] of [
      [5, 9, 37],
      [3, 1, 70],
      [7, 6, 5],
    ]) {
      const m = mask(D * H * W, W, D * 100 + H * 10 + W);
      for (const conn of [6, 18, 26]) check(m, [D, H, W], conn, `${D}×${H}×${W} conn ${conn}`);
    }
  });

  it('a checkerboard (the most runs a mask can have) and one-pixel-wide lines', () => {
    for (const [H, W] of [
      [33, 65],
      [40, 1],
      [1, 257],
    ]) {
      const m = Uint8Array.from({ length: H * W }, (_, i) => (Math.floor(i / W) + (i % W)) % 2);
      for (const conn of [4, 8]) check(m, [H, W], conn, `checkerboard ${H}×${W} conn ${conn}`);
      check(new Uint8Array(H * W).fill(1), [H, W], 8, `full ${H}×${W}`);
    }
    const cube = Uint8Array.from(
      { length: 6 * 7 * 9 },
      (_, i) => (i + Math.floor(i / 9) + Math.floor(i / 63)) % 2,
    );
    for (const conn of [6, 18, 26]) check(cube, [6, 7, 9], conn, `3-D checkerboard conn ${conn}`);
  });

  it('an empty mask and a full one', () => {
    check(new Uint8Array(64 * 9), [9, 64], 8, 'empty');
    check(new Uint8Array(64 * 9).fill(1), [9, 64], 4, 'full');
    check(new Uint8Array(0), [0, 5], 8, 'no pixels');
  });
});
