// Error-map codes against the metric core's per-class counts (hand-drawn masks and random maps), and export bytes
// round-tripped through the project's own readers.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readNpy } from '../../../../src/core/io/npy';
import { decodePngImage } from '../../../../src/core/io/png';
import { computeImageMetrics } from '../../../../src/core/metrics';
import {
  ERROR_FN,
  ERROR_FP,
  ERROR_TP,
  ERROR_WRONG_CLASS,
  diffCode,
  errorCode,
  errorHistogram,
  overlapFromCounts,
} from '../../../../src/core/viewmodel/errorMap';
import {
  labelsToNpy,
  labelsToPng,
  metricsToCsv,
  metricsToJson,
} from '../../../../src/core/viewmodel/exportFormats';
import { channelLayout } from '../../../../src/core/viewmodel/probLayout';

/** Parses an ASCII-art mask: '.' is 0, digits are classes. */
function ascii(rows: string[]): { data: Uint8Array; shape: [number, number] } {
  const h = rows.length;
  const w = rows[0].length;
  const data = new Uint8Array(h * w);
  rows.forEach((r, y) => [...r].forEach((ch, x) => (data[y * w + x] = ch === '.' ? 0 : Number(ch))));
  return { data, shape: [h, w] };
}

describe('analysis: error map', () => {
  it('codes a hand-drawn pair: TP, FP, FN and wrong class', () => {
    const gt = ascii(['11..', '11.2', '..22']);
    const pr = ascii(['1.1.', '12.2', '...2']);
    const codes = Array.from(gt.data, (g, i) => errorCode(pr.data[i], g, 3));
    // Row by row: (1,1)=TP (1,0)=FN (.,1)=FP (.,.)=none / (1,1)=TP (1,2)=wrong (.,.) (2,2)=TP / … (2,0)=FN (2,2)=TP
    assert.deepEqual(codes, [
      ERROR_TP,
      ERROR_FN,
      ERROR_FP,
      0,
      ERROR_TP,
      ERROR_WRONG_CLASS,
      0,
      ERROR_TP,
      0,
      0,
      ERROR_FN,
      ERROR_TP,
    ]);
    assert.deepEqual(errorHistogram(pr.data, gt.data, 3), [4, 4, 1, 2, 1]);
    // An ignore label is never an error.
    assert.equal(errorCode(1, 255, 3), 0);
  });

  it('per-class TP/FP/FN from the error codes equal computeImageMetrics counts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 48, maxLength: 48 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 48, maxLength: 48 }),
        (g, p) => {
          const gt = { data: Uint8Array.from(g), shape: [6, 8] };
          const pred = { data: Uint8Array.from(p), shape: [6, 8] };
          const m = computeImageMetrics(gt, pred, { config: { numClasses: 4 } });
          for (let c = 1; c < 4; c++) {
            let tp = 0;
            let fp = 0;
            let fn = 0;
            for (let i = 0; i < 48; i++) {
              const code = errorCode(p[i], g[i], 4);
              if (code === ERROR_TP && p[i] === c) tp++;
              if ((code === ERROR_FP || code === ERROR_WRONG_CLASS) && p[i] === c) fp++;
              if ((code === ERROR_FN || code === ERROR_WRONG_CLASS) && g[i] === c) fn++;
            }
            const counts = m.perClass[String(c)].counts;
            assert.deepEqual([tp, fp, fn], [counts.tp, counts.fp, counts.fn]);
            const o = overlapFromCounts(tp, fp, fn);
            assert.ok(Math.abs(o.dice - m.perClass[String(c)].overlap.dice) < 1e-12);
            assert.ok(Math.abs(o.iou - m.perClass[String(c)].overlap.iou) < 1e-12);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('difference codes say which decoder selected a pixel', () => {
    assert.deepEqual(
      [diffCode(0, 0), diffCode(2, 2), diffCode(1, 0), diffCode(0, 3), diffCode(1, 2)],
      [0, 0, 1, 2, 3],
    );
  });
});

describe('analysis: probability layouts', () => {
  it('one channel is binary, channels summing to one are softmax, others are sigmoid per foreground class', () => {
    assert.equal(channelLayout({ data: new Float32Array(4), shape: [1, 2, 2] }).kind, 'binary');
    const soft = channelLayout({ data: Float32Array.from([0.2, 0.5, 0.8, 0.5]), shape: [2, 1, 2] });
    assert.deepEqual([soft.kind, soft.numClasses, soft.classOfChannel.join()], ['softmax', 2, '0,1']);
    const sig = channelLayout({ data: Float32Array.from([0.2, 0.5, 0.1, 0.1]), shape: [2, 1, 2] });
    assert.deepEqual([sig.kind, sig.numClasses, sig.classOfChannel.join()], ['foreground', 3, '1,2']);
  });
});

describe('analysis: export bytes', () => {
  it('a label map round-trips through PNG (8 and 16 bit) and NPY', () => {
    const labels = Uint8Array.from([0, 1, 2, 5, 0, 3]);
    const png = decodePngImage(labelsToPng(labels, 3, 2));
    assert.deepEqual([png.width, png.height, png.channels, png.bitDepth], [3, 2, 1, 8]);
    assert.deepEqual(Array.from(png.data), Array.from(labels));
    const wide = Uint16Array.from([0, 300, 65535, 7]);
    const png16 = decodePngImage(labelsToPng(wide, 2, 2));
    assert.equal(png16.bitDepth, 16);
    assert.deepEqual(Array.from(png16.data), Array.from(wide));
    const npy = readNpy(labelsToNpy(labels, 3, 2));
    assert.deepEqual([npy.dtype, npy.shape.join()], ['uint8', '2,3']);
    assert.deepEqual(Array.from(npy.data as Uint8Array), Array.from(labels));
    assert.throws(() => labelsToPng(Int32Array.from([70000]), 1, 1), RangeError);
  });

  it('metrics JSON spells non-finite numbers as strings; CSV has a row per class and metric', () => {
    const gt = ascii(['11..', '....']);
    const pred = ascii(['1...', '...1']);
    const m = computeImageMetrics({ data: gt.data, shape: gt.shape }, { data: pred.data, shape: pred.shape });
    const json = JSON.parse(metricsToJson(m)) as { perClass: Record<string, { overlap: { dice: number } }> };
    // Hand count: tp 1, fp 1, fn 1 → Dice 2/4.
    assert.equal(json.perClass['1'].overlap.dice, 0.5);
    assert.equal(metricsToJson({ a: NaN, b: Infinity }), '{\n  "a": "NaN",\n  "b": "Infinity"\n}\n');
    const csv = metricsToCsv(m, 'threshold', new Map([[1, 'caudate, left']]))
      .trim()
      .split('\n');
    assert.equal(csv[0], 'decoder,class,name,metric,value');
    assert.ok(csv.includes('threshold,1,"caudate, left",dice,0.5'));
    assert.ok(csv.includes('threshold,1,"caudate, left",tp,1'));
    assert.ok(csv.some((r) => r.startsWith('threshold,macro,,dice.nClasses,1')));
  });
});
