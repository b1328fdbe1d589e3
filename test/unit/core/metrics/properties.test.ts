/**
 * Property tests against brute force (test/unit/core/metrics/reference.ts): the linear-time EDT, surface metrics,
 * boundary IoU, connected components, the threshold sweep and calibration, on random 2-D and 3-D inputs with
 * random anisotropic spacing.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { squaredEdt } from '../../../../src/core/metrics/edt';
import { surfaceMetrics, boundaryBandWidth } from '../../../../src/core/metrics/surface';
import { connectedComponents } from '../../../../src/core/metrics/components';
import { thresholdSweep } from '../../../../src/core/metrics/sweep';
import { reliability } from '../../../../src/core/metrics/calibration';
import { computeImageMetrics } from '../../../../src/core/metrics/imageMetrics';
import { bruteComponents, bruteSquaredEdt, bruteSurfaceMetrics } from './reference';

const close = (a: number, b: number, label: string): void =>
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${label}: ${a} ≠ ${b}`);

/** A random binary mask of a random 2-D or 3-D shape with a random density. */
const maskCase = (dims: 2 | 3, maxSide: number) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: maxSide }), { minLength: dims, maxLength: dims }),
      fc.array(fc.constantFrom(0.5, 1, 1.3, 2, 0.7), { minLength: dims, maxLength: dims }),
      fc.double({ min: 0.05, max: 0.8, noNaN: true }),
      fc.integer(),
    )
    .map(([shape, spacing, density, seed]) => {
      let s = seed >>> 0;
      const rnd = (): number => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 4294967296;
      };
      const n = shape.reduce((a, b) => a * b, 1);
      const a = new Uint8Array(n);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        a[i] = rnd() < density ? 1 : 0;
        b[i] = rnd() < density ? 1 : 0;
      }
      return { shape, spacing, a, b };
    });

describe('metrics properties vs brute force', () => {
  it('squaredEdt equals the all-pairs minimum (2-D and 3-D, anisotropic)', () => {
    fc.assert(
      fc.property(fc.oneof(maskCase(2, 9), maskCase(3, 5)), ({ shape, spacing, a }) => {
        const got = squaredEdt(a, shape, spacing);
        const want = bruteSquaredEdt(a, shape, spacing);
        for (let i = 0; i < want.length; i++) {
          if (want[i] === Infinity) assert.equal(got[i], Infinity);
          else close(got[i], want[i], `edt[${i}]`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('surface metrics equal the all-pairs definitions (2-D and 3-D, anisotropic)', () => {
    fc.assert(
      fc.property(
        fc.oneof(maskCase(2, 8), maskCase(3, 4)),
        fc.constantFrom(0.5, 1, 1.5),
        fc.constantFrom(0.02, 0.2),
        ({ shape, spacing, a, b }, tau, ratio) => {
          if (!a.some((v) => v) || !b.some((v) => v)) return;
          const got = surfaceMetrics(a, b, shape, 1, {
            spacing,
            hdPercentile: 95,
            nsdTolerance: tau,
            boundaryIouDilationRatio: ratio,
            bothEmpty: 'best',
          });
          const want = bruteSurfaceMetrics(
            a,
            b,
            shape,
            spacing,
            tau,
            boundaryBandWidth(shape, spacing, ratio),
          );
          for (const k of Object.keys(want) as (keyof typeof want)[]) close(got[k], want[k], k);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('connected components equal flood fill, ids in first-pixel order (4, 8, 6, 18, 26)', () => {
    fc.assert(
      fc.property(fc.oneof(maskCase(2, 12), maskCase(3, 6)), ({ shape, a }) => {
        for (const conn of shape.length === 2 ? [4, 8] : [6, 18, 26]) {
          const got = connectedComponents(a, shape, conn);
          const want = bruteComponents(a, shape, conn);
          assert.deepEqual(got.labels, want);
          assert.equal(got.count, Math.max(0, ...want));
          for (let id = 1; id <= got.count; id++)
            assert.equal(got.sizes[id], want.filter((l) => l === id).length);
          // Inclusive boxes from the flood fill's labels, axis by axis.
          const nd = shape.length;
          const strides = shape.map((_, a) => shape.slice(a + 1).reduce((x, y) => x * y, 1));
          const lo = new Array<number>((got.count + 1) * nd).fill(2147483647);
          const hi = new Array<number>((got.count + 1) * nd).fill(-1);
          want.forEach((id, i) => {
            if (!id) return;
            for (let ax = 0; ax < nd; ax++) {
              const c = Math.floor(i / strides[ax]) % shape[ax];
              lo[id * nd + ax] = Math.min(lo[id * nd + ax], c);
              hi[id * nd + ax] = Math.max(hi[id * nd + ax], c);
            }
          });
          assert.deepEqual([...got.bboxMin].slice(nd), lo.slice(nd));
          assert.deepEqual([...got.bboxMax].slice(nd), hi.slice(nd));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the threshold sweep equals thresholding at every t = k/K in float64, incl. float32 values at the edges', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        fc.constantFrom(10, 100, 7),
        (ks, noise, gtBits, K) => {
          const n = ks.length;
          // Half the values sit exactly on (float32-rounded) grid thresholds, the hardest case for "≥".
          const prob = new Float32Array(n);
          for (let i = 0; i < n; i++) prob[i] = i % 2 ? Math.min(1, ks[i] / 100) : noise[i];
          const gt = new Uint8Array(n);
          for (let i = 0; i < n; i++) gt[i] = gtBits[i] ? 1 : 0;
          const s = thresholdSweep({ data: prob, shape: [1, 1, n] }, { data: gt, shape: [1, n] }, K);
          for (let k = 0; k <= K; k++) {
            const t = k / K;
            let tp = 0;
            let fp = 0;
            for (let i = 0; i < n; i++) {
              if (prob[i] >= t) {
                if (gt[i]) tp++;
                else fp++;
              }
            }
            assert.equal(s.tp[k], tp, `tp at ${t}`);
            assert.equal(s.fp[k], fp, `fp at ${t}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ECE, MCE and Brier equal the direct formulas (spec §5)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), {
          minLength: 1,
          maxLength: 80,
        }),
        fc.integer({ min: 1, max: 20 }),
        (px, B) => {
          const prob = new Float32Array(px.map(([p]) => p));
          const gt = new Uint8Array(px.map(([, y]) => (y ? 1 : 0)));
          const r = reliability(
            { data: prob, shape: [1, 1, px.length] },
            { data: gt, shape: [1, px.length] },
            B,
          );
          const bins = Array.from({ length: B }, () => [] as [number, number][]);
          prob.forEach((p, i) => bins[Math.min(Math.floor(p * B), B - 1)].push([p, gt[i]]));
          let ece = 0;
          let mce = 0;
          for (const b of bins) {
            if (!b.length) continue;
            const conf = b.reduce((s, [p]) => s + p, 0) / b.length;
            const freq = b.reduce((s, [, y]) => s + y, 0) / b.length;
            ece += (b.length / px.length) * Math.abs(conf - freq);
            mce = Math.max(mce, Math.abs(conf - freq));
          }
          const brier = Array.from(prob).reduce((s, p, i) => s + (p - gt[i]) ** 2, 0) / px.length;
          close(r.ece, ece, 'ece');
          close(r.mce, mce, 'mce');
          close(r.brier, brier, 'brier');
          assert.equal(
            r.reliability.reduce((s, b) => s + b.count, 0),
            px.length,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('identity scores perfectly and Dice = 2·IoU/(1+IoU) on random multi-class maps', () => {
    fc.assert(
      fc.property(maskCase(2, 10), ({ shape, a, b }) => {
        const gt = { data: a.map((v, i) => v + b[i]), shape };
        const pred = { data: b.map((v, i) => (v * 2 + (a[i] ^ 1) * (i % 2)) % 3), shape };
        const config = { numClasses: 3 };
        const same = computeImageMetrics(gt, gt, { config });
        for (const c of Object.values(same.perClass)) {
          assert.equal(c.overlap.dice, 1);
          if (c.emptyCase === 'none') assert.equal(c.surface.hd, 0);
        }
        const m = computeImageMetrics(gt, pred, { config });
        for (const c of Object.values(m.perClass)) {
          const { dice, iou } = c.overlap;
          if (c.emptyCase !== 'both_empty') close(dice, (2 * iou) / (1 + iou), 'dice vs iou');
        }
      }),
      { numRuns: 100 },
    );
  });

  it('computeImageMetrics on multi-class 2-D and 3-D maps equals brute force per class (crop by class boxes)', () => {
    fc.assert(
      fc.property(fc.oneof(maskCase(2, 9), maskCase(3, 4)), ({ shape, spacing, a, b }) => {
        // Three classes from two random bit planes.
        const gt = { data: a.map((v, i) => v + (b[i] & (i % 2))), shape };
        const pred = { data: b.map((v, i) => (v + a[(i * 7) % a.length]) % 3), shape };
        const m = computeImageMetrics(gt, pred, {
          spacing,
          config: { numClasses: 3, includeBackground: true },
        });
        const conn = shape.length === 2 ? '8' : '26';
        for (const c of [0, 1, 2]) {
          const g = gt.data.map((v) => (v === c ? 1 : 0));
          const p = pred.data.map((v) => (v === c ? 1 : 0));
          const r = m.perClass[String(c)];
          assert.equal(r.objects[conn].nGt, Math.max(0, ...bruteComponents(g, shape, Number(conn))));
          if (!g.some((v) => v) || !p.some((v) => v)) continue;
          const want = bruteSurfaceMetrics(g, p, shape, spacing, 1, r.surface.boundaryIouBandWidth);
          for (const k of Object.keys(want) as (keyof typeof want)[])
            close(r.surface[k], want[k], `class ${c} ${k}`);
        }
      }),
      { numRuns: 60 },
    );
  });
});
