/**
 * Object matching against a brute-force reference (all pairs by set intersection, greedy by IoU then ids), at
 * thresholds below, at and above 0.5, and the best-threshold tie rule of the sweep (spec §6).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { connectedComponents } from '../../../../src/core/metrics/components';
import { objectMetrics } from '../../../../src/core/metrics/objects';
import { bestThreshold } from '../../../../src/core/metrics/sweep';
import { bruteComponents } from './reference';

interface RefObject {
  id: number;
  pixels: Set<number>;
}

function objectsOf(labels: Int32Array): RefObject[] {
  const out: RefObject[] = [];
  labels.forEach((l, i) => {
    if (!l) return;
    while (out.length < l) out.push({ id: out.length + 1, pixels: new Set() });
    out[l - 1].pixels.add(i);
  });
  return out;
}

function iouOf(a: Set<number>, b: Set<number>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

describe('metrics/objects vs brute-force greedy matching', () => {
  it('matches, per-object IoU/Dice/maxIou and size bins equal the reference (thresholds 0.1…0.7, 4/8)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        fc.uint8Array({ minLength: 144, maxLength: 144 }),
        fc.uint8Array({ minLength: 144, maxLength: 144 }),
        fc.constantFrom(0.1, 0.2, 0.3, 0.5, 0.7),
        fc.constantFrom(4, 8),
        (h, w, ra, rb, thr, conn) => {
          const n = h * w;
          const a = Uint8Array.from(ra.subarray(0, n), (v) => (v < 100 ? 1 : 0));
          const b = Uint8Array.from(rb.subarray(0, n), (v) => (v < 100 ? 1 : 0));
          const shape = [h, w];
          const m = objectMetrics(
            connectedComponents(a, shape, conn),
            connectedComponents(b, shape, conn),
            [0, 0],
            {
              matchIouThreshold: thr,
              objectSizeBins: [3, 6],
              bothEmpty: 'best',
            },
          );
          const G = objectsOf(bruteComponents(a, shape, conn));
          const P = objectsOf(bruteComponents(b, shape, conn));
          const pairs: { g: number; p: number; iou: number }[] = [];
          for (const g of G)
            for (const p of P) pairs.push({ g: g.id, p: p.id, iou: iouOf(g.pixels, p.pixels) });
          pairs.sort((x, y) => y.iou - x.iou || x.g - y.g || x.p - y.p);
          const mg = new Map<number, number>();
          const mp = new Map<number, number>();
          for (const q of pairs) {
            if (q.iou > thr && !mg.has(q.g) && !mp.has(q.p)) {
              mg.set(q.g, q.p);
              mp.set(q.p, q.g);
            }
          }
          assert.equal(m.tp, mg.size);
          assert.equal(m.fn, G.length - mg.size);
          assert.equal(m.fp, P.length - mg.size);
          for (const g of G) {
            const rec = m.gtObjects[g.id - 1];
            assert.equal(rec.size, g.pixels.size);
            assert.equal(rec.matchedPred, mg.get(g.id) ?? null);
            const maxIou = Math.max(0, ...P.map((p) => iouOf(g.pixels, p.pixels)));
            assert.equal(rec.maxIou, maxIou);
            const p = mg.has(g.id) ? P[(mg.get(g.id) as number) - 1] : undefined;
            assert.equal(rec.iou, p ? iouOf(g.pixels, p.pixels) : 0);
            if (p) {
              let inter = 0;
              for (const x of g.pixels) if (p.pixels.has(x)) inter++;
              assert.equal(rec.dice, (2 * inter) / (g.pixels.size + p.pixels.size));
            }
          }
          const bin = (s: number): string => (s < 3 ? '1-2' : s < 6 ? '3-5' : '6+');
          const missed: Record<string, number> = { '1-2': 0, '3-5': 0, '6+': 0 };
          for (const g of G) if (!mg.has(g.id)) missed[bin(g.pixels.size)]++;
          assert.deepEqual(m.missedBySize, missed);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('metrics/sweep: best threshold (spec §6)', () => {
  const t = [0, 0.25, 0.5, 0.75, 1];
  it('takes the maximum, ignoring undefined values', () => {
    assert.deepEqual(bestThreshold(t, [0.1, NaN, 0.3, 0.9, 0.2]), { threshold: 0.75, value: 0.9 });
  });
  it('breaks ties within 1e-12 by closeness to 0.5, then the smaller threshold', () => {
    assert.deepEqual(bestThreshold(t, [0.9, 0.9, 0.2, 0.9 - 1e-13, 0.1]), { threshold: 0.25, value: 0.9 });
    assert.deepEqual(bestThreshold(t, [0.1, 0.8, 0.2, 0.8, 0.1]), { threshold: 0.25, value: 0.8 });
    assert.deepEqual(bestThreshold(t, [0.1, 0.8, 0.8, 0.8, 0.1]), { threshold: 0.5, value: 0.8 });
  });
  it('returns NaN when every value is undefined', () => {
    const r = bestThreshold(t, [NaN, NaN, NaN, NaN, NaN]);
    assert.ok(Number.isNaN(r.threshold) && Number.isNaN(r.value));
  });
});
