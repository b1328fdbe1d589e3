import assert from 'node:assert/strict';
import { squaredEdt } from '../../../../src/core/metrics/edt';
import { surfaceOf } from '../../../../src/core/metrics/surface';
import {
  directBudget,
  directDistancesOfCoordinates,
  directSurfaceDistances,
  preferDirect,
} from '../../../../src/core/metrics/surfaceDistances';
import { mulberry32 } from '../../../../src/core/dataset/stats';

/** Random blobs inside a one-pixel background frame (as a class crop has). */
function framedBlobs(shape: number[], seed: number): Uint8Array {
  const r = mulberry32(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(n);
  const centres = Array.from({ length: 3 }, () => ({
    c: shape.map((s) => 1 + r() * (s - 2)),
    rad: 1 + r() * Math.min(...shape) * 0.3,
  }));
  for (let i = 0; i < n; i++) {
    const coord: number[] = [];
    let rest = i;
    for (let a = shape.length - 1; a >= 0; a--) {
      coord.unshift(rest % shape[a]);
      rest = Math.floor(rest / shape[a]);
    }
    if (coord.some((v, a) => v === 0 || v === shape[a] - 1)) continue;
    if (centres.some(({ c, rad }) => Math.hypot(...coord.map((v, a) => v - c[a])) <= rad)) out[i] = 1;
  }
  return out;
}

/** The transform's distances at the set pixels of `at`, in C order (what surface.ts reads). */
function viaEdt(sites: Uint8Array, at: Uint8Array, shape: number[], spacing: number[]): number[] {
  const sq = squaredEdt(sites, shape, spacing);
  const out: number[] = [];
  for (let i = 0; i < at.length; i++) if (at[i]) out.push(Math.sqrt(sq[i]));
  return out;
}

describe('metrics: direct surface-to-surface distances (surfaceDistances.ts)', () => {
  it('equal the distance transforms bit for bit, both directions, 2-D and 3-D, unit and anisotropic spacing', () => {
    const cases: [number[], number[]][] = [
      [
        [24, 31],
        [1, 1],
      ],
      [
        [40, 17],
        [0.7, 1.9],
      ],
      [
        [9, 12, 14],
        [1, 1, 1],
      ],
      [
        [8, 15, 11],
        [2.5, 0.8, 1.1],
      ],
    ];
    let compared = 0;
    for (const [shape, spacing] of cases) {
      for (let seed = 1; seed <= 12; seed++) {
        const sg = surfaceOf(framedBlobs(shape, seed), shape);
        const sp = surfaceOf(framedBlobs(shape, seed + 100), shape);
        const nG = sg.reduce((a, b) => a + b, 0);
        const nP = sp.reduce((a, b) => a + b, 0);
        if (nG === 0 || nP === 0) continue;
        const d = directSurfaceDistances(sg, sp, nG, nP, shape, spacing);
        assert.deepEqual(
          Array.from(d.gToP),
          viaEdt(sp, sg, shape, spacing),
          `${shape} ${spacing} seed ${seed} G→P`,
        );
        assert.deepEqual(
          Array.from(d.pToG),
          viaEdt(sg, sp, shape, spacing),
          `${shape} ${spacing} seed ${seed} P→G`,
        );
        compared++;
      }
    }
    assert.ok(compared >= 40, `${compared} cases compared`);
  });

  it('with a budget: close long surfaces still go direct (and equal the transforms), a search over it gives up', () => {
    // A grid of discs and slightly smaller ones: long surfaces (all pairs would exceed the unbounded rule), close.
    const shape = [160, 150];
    const ring = (rad: number) => {
      const m = new Uint8Array(shape[0] * shape[1]);
      for (let y = 1; y < shape[0] - 1; y++)
        for (let x = 1; x < shape[1] - 1; x++)
          if (Math.hypot((y % 16) - 8, (x % 15) - 7) <= rad) m[y * shape[1] + x] = 1;
      return surfaceOf(m, shape);
    };
    for (const spacing of [
      [1, 1],
      [0.8, 1.3],
    ]) {
      const sg = ring(6);
      const sp = ring(4.5);
      const nG = sg.reduce((a, b) => a + b, 0);
      const nP = sp.reduce((a, b) => a + b, 0);
      assert.equal(preferDirect(nG, nP, sg.length), false);
      const coords = (m: Uint8Array, n: number) => {
        const out = new Int32Array(2 * n);
        let k = 0;
        m.forEach((v, i) => {
          if (!v) return;
          out[k] = Math.floor(i / shape[1]);
          out[n + k] = i % shape[1];
          k++;
        });
        return out;
      };
      const g = coords(sg, nG);
      const p = coords(sp, nP);
      const d = directDistancesOfCoordinates(g, nG, p, nP, 2, spacing, directBudget(nG, nP, sg.length, 2));
      assert.ok(d, 'close surfaces stay within the budget');
      assert.deepEqual(Array.from(d.gToP), viaEdt(sp, sg, shape, spacing));
      assert.deepEqual(Array.from(d.pToG), viaEdt(sg, sp, shape, spacing));
      assert.equal(
        directDistancesOfCoordinates(g, nG, p, nP, 2, spacing, nG),
        null,
        'a small budget gives up',
      );
    }
    assert.equal(directBudget(10, 10, 1000, 3), Number.POSITIVE_INFINITY);
    assert.equal(directBudget(4000, 4000, 1000, 3), 0, 'in 3-D only the unbounded rule goes direct');
  });

  it('is chosen only while the pairs stay within a few per crop pixel', () => {
    assert.equal(preferDirect(300, 300, 150 * 150), true);
    assert.equal(preferDirect(4000, 4000, 1024 * 1024), false);
  });
});
