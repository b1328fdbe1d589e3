/**
 * Sufficient statistics: a row's statistics survive JSON and give the same DATASET object as the in-memory
 * results (bit for bit), in any split into parts concatenated in order; shard ranges cover every sample once.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseShard, shardItems, shardRange } from '../../../../src/core/dataset/shard';
import { aggregateRows, sufficientStatsOf } from '../../../../src/core/dataset/sufficient';
import { mulberry32 } from '../../../../src/core/dataset/stats';
import { aggregateDataset, computeImageMetrics, resolveMetricsConfig } from '../../../../src/core/metrics';
import type { ImageMetrics } from '../../../../src/core/metrics';

function toJsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'number' && !Number.isFinite(x) ? String(x) : x,
  );
}

function fromJsonText<T>(text: string): T {
  return JSON.parse(text, (_k, x: unknown) =>
    x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : x,
  ) as T;
}

describe('core/dataset: sufficient statistics and shards', () => {
  it('rows through JSON aggregate to the same DATASET as the in-memory results', () => {
    const r = mulberry32(3);
    const config = resolveMetricsConfig({ numClasses: 3, includeBackground: true });
    const images: ImageMetrics[] = [];
    for (let k = 0; k < 8; k++) {
      const n = 12 * 10;
      const gt = Uint8Array.from({ length: n }, () => (k === 2 ? 0 : Math.floor(r() * 3)));
      const pred = Uint8Array.from(gt, (g) => (r() < 0.2 ? Math.floor(r() * 3) : g));
      const raw = Float32Array.from({ length: 3 * n }, () => r());
      for (let i = 0; i < n; i++) {
        const s = raw[i] + raw[n + i] + raw[2 * n + i];
        for (let c = 0; c < 3; c++) raw[c * n + i] /= s;
      }
      images.push(
        computeImageMetrics(
          { data: gt, shape: [12, 10] },
          { data: pred, shape: [12, 10] },
          { prob: { data: raw, shape: [3, 12, 10] }, config },
        ),
      );
    }
    const direct = toJsonText(aggregateDataset(images, config));
    const rows = images.map((image) =>
      fromJsonText<{ image: ImageMetrics; stats: ReturnType<typeof sufficientStatsOf> }>(
        toJsonText({ image, stats: sufficientStatsOf(image) }),
      ),
    );
    assert.equal(toJsonText(aggregateRows(rows, config)), direct);
    // Any split into contiguous parts, concatenated back in order, gives the same object.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), (parts) => {
        const pieces = Array.from({ length: parts }, (_, i) =>
          shardItems(rows, { index: i + 1, count: parts }),
        );
        assert.equal(toJsonText(aggregateRows(pieces.flat(), config)), direct);
      }),
    );
  });

  it('shard I/N: contiguous, as even as possible, covering every sample once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 40 }), (n, N) => {
        let next = 0;
        for (let i = 1; i <= N; i++) {
          const { start, end } = shardRange(n, { index: i, count: N });
          assert.equal(start, next);
          assert.ok(end - start === Math.floor(n / N) || end - start === Math.ceil(n / N));
          next = end;
        }
        assert.equal(next, n);
      }),
    );
    assert.deepEqual(parseShard(' 2 / 8 '), { index: 2, count: 8 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', '-1/2'])
      assert.throws(() => parseShard(bad), /--shard/);
  });
});
