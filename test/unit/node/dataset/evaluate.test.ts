/**
 * The dataset engine (src/node/dataset): pairing preview, streaming evaluation in process and in the worker pool
 * (identical results), one bad sample does not stop the run, cancellation, and aggregates equal to the metric core
 * run directly on the same files.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError } from '../../../../src/core/errors';
import { loadLabelMap, loadProbMap } from '../../../../src/core/io/load';
import { writeNpy } from '../../../../src/core/io/npy';
import { aggregateDataset, computeImageMetrics, resolveMetricsConfig } from '../../../../src/core/metrics';
import { decodeToLabels } from '../../../../src/core/dataset/evaluateSample';
import {
  EvalRow,
  evaluateDataset,
  inProcessRunner,
  planFolder,
  planFromFolders,
  poolRunner,
} from '../../../../src/node/dataset';
import { WorkerPool } from '../../../../src/node/workers/pool';
import { BuiltWorker, buildPoolWorker } from '../workers/buildWorker';
import { writeSynthSet } from './synth';
import { makeTempDir } from '../../../support/tempDir';

/** Rows without the fields that may legitimately differ between runs (none) — JSON with NaN kept visible. */
const canon = (rows: readonly unknown[]): string =>
  JSON.stringify(rows, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v instanceof Uint8Array ? Array.from(v) : v,
  );

describe('node/dataset: planFolder / evaluateDataset', function () {
  this.timeout(120_000);
  let dir: string;
  let worker: BuiltWorker;
  before(async () => {
    dir = makeTempDir('seglens-dataset').path;
    writeSynthSet(dir, { n: 9, models: ['alpha', 'beta'] });
    writeFileSync(join(dir, 'notes.txt'), 'not data');
    copyFileSync(join(dir, 'masks/img0000.png'), join(dir, 'masks/lonely.png'));
    // A map of the wrong size: this sample must fail alone.
    writeFileSync(
      join(dir, 'probs/alpha/img0005.npy'),
      writeNpy({ dtype: 'float32', shape: [8, 8], data: new Float32Array(64).fill(0.5) }),
    );
    writeFileSync(
      join(dir, 'labels.json'),
      JSON.stringify({
        classes: [
          { index: 0, name: 'bg' },
          { index: 1, name: 'disc', color: '#ff0000' },
        ],
      }),
    );
    worker = await buildPoolWorker('seglens-dataset-pool-');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    worker.dispose();
  });

  it('plans the folder: items by id, models A→Z, labels.json, unmatched files with reasons', async () => {
    const plan = await planFolder(dir);
    assert.equal(plan.items.length, 9);
    assert.deepEqual(plan.models, ['alpha', 'beta']);
    assert.equal(plan.numClasses, 2);
    assert.equal(plan.labels?.[1].name, 'disc');
    assert.deepEqual(Object.keys(plan.items[0].probs), ['alpha', 'beta']);
    assert.ok(plan.items[0].image?.endsWith(join('images', 'img0000.png')));
    assert.ok(plan.items[0].gt?.endsWith(join('masks', 'img0000.png')));
    const reasons = Object.fromEntries(plan.unmatched.map((u) => [u.path.slice(dir.length + 1), u.reason]));
    assert.match(reasons['notes.txt'], /unknown file type/);
    assert.match(reasons[join('masks', 'lonely.png')], /no image or probability map/);
  });

  it('evaluates every (image, model, decoder); a bad sample gives error rows and the run goes on', async () => {
    const plan = await planFolder(dir);
    const streamed: EvalRow[] = [];
    const progress: number[] = [];
    const report = await evaluateDataset(plan, {
      decoders: ['threshold', 'rankdice'],
      onRow: (r) => streamed.push(r),
      onProgress: (d) => progress.push(d),
    });
    assert.equal(report.rows.length, 9 * 2 * 2);
    assert.equal(streamed.length, report.rows.length);
    assert.deepEqual(progress, [0, ...Array.from({ length: 18 }, (_, i) => i + 1)]);
    assert.deepEqual(
      report.rows.slice(0, 4).map((r) => `${r.id}/${r.model}/${r.decoder}`),
      [
        'img0000/alpha/threshold',
        'img0000/alpha/rankdice',
        'img0000/beta/threshold',
        'img0000/beta/rankdice',
      ],
    );
    assert.equal(report.failed.length, 1);
    assert.equal(report.failed[0].id, 'img0005');
    assert.match(
      report.failed[0].reason,
      /img0005\.npy: shape \[8, 8\] does not fit the label map's \[32, 32\]/,
    );
    const bad = report.rows.filter((r) => r.error);
    assert.equal(bad.length, 2);
    assert.ok(bad.every((r) => r.flags.includes('skipped') && r.model === 'alpha'));
    const emptyGt = report.rows.find((r) => r.id === 'img0003');
    assert.ok(emptyGt?.flags.includes('empty-gt'));
    for (const r of report.rows.filter((x) => !x.error)) {
      assert.ok(r.image && r.stats, 'rows carry IMAGE and sufficient statistics');
      assert.ok(r.expectedDice >= 0 && r.expectedDice <= 1, `expected Dice ${r.expectedDice}`);
    }
    assert.equal(report.summaries.length, 4);
    assert.equal(report.summaries[0].images, 8);
    assert.equal(report.summaries[2].images, 9);
  });

  it('the aggregates equal the metric core run directly on the same files', async () => {
    const plan = await planFolder(dir);
    const report = await evaluateDataset(plan, { decoders: ['rankdice'], models: ['beta'] });
    const config = resolveMetricsConfig({ numClasses: 2 });
    const images = plan.items.map((item) => {
      const gt = loadLabelMap(new Uint8Array(readFileSync(item.gt as string)), { source: 'gt' });
      const prob = loadProbMap(new Uint8Array(readFileSync(item.probs.beta)), {
        source: 'p',
        spatial: gt.shape,
      });
      // The dataset mode's default solver (DATASET_SOLVER) is rma.
      return computeImageMetrics(gt, decodeToLabels(prob, 'rankdice', config, 'rma').labels, {
        prob,
        config,
      });
    });
    const direct = aggregateDataset(images, config);
    assert.deepEqual(
      JSON.parse(JSON.stringify(report.summaries[0].dataset)),
      JSON.parse(JSON.stringify(direct)),
    );
  });

  it('runs in the worker pool with the same rows as in process', async () => {
    const plan = await planFolder(dir);
    const pool = new WorkerPool({ script: worker.script, size: 2 });
    try {
      const opts = { decoders: ['threshold', 'rankdice'] as const, thumbnail: 16 };
      const local = await evaluateDataset(plan, {
        ...opts,
        decoders: [...opts.decoders],
        runner: inProcessRunner,
      });
      const remote = await evaluateDataset(plan, {
        ...opts,
        decoders: [...opts.decoders],
        runner: poolRunner(pool),
        concurrency: 4,
      });
      assert.equal(canon(remote.rows), canon(local.rows));
      // The pool runner aggregates in a worker (the host only copies strings): the same numbers as here.
      assert.equal(canon(remote.summaries as never), canon(local.summaries as never));
      assert.ok(remote.summaries[0].dataset && remote.summaries[0].summary && remote.summaries[0].confusion);
      const thumb = remote.rows[0].thumbnail;
      assert.ok(thumb && thumb.width === 16 && thumb.codes.length === 256);
    } finally {
      await pool.dispose();
    }
  });

  it('aggregates in a worker when the runner can, and on this thread otherwise', async () => {
    const plan = await planFolder(dir);
    const pool = new WorkerPool({ script: worker.script, size: 1 });
    try {
      const base = poolRunner(pool);
      let calls = 0;
      const runner = Object.assign((i: Parameters<typeof base>[0], sig?: AbortSignal) => base(i, sig), {
        aggregate: (input: Parameters<NonNullable<typeof base.aggregate>>[0]) => {
          calls++;
          assert.equal(input.groups.length, 2 * 1, 'one group per (model, decoder)');
          assert.equal(typeof input.groups[1][0], 'string');
          return (base.aggregate as NonNullable<typeof base.aggregate>)(input);
        },
      });
      const report = await evaluateDataset(plan, { decoders: ['threshold'], runner });
      assert.equal(calls, 1);
      assert.deepEqual(
        report.summaries.map((x) => [x.model, x.decoder, x.images]),
        [
          ['alpha', 'threshold', 8],
          ['beta', 'threshold', 9],
        ],
      );
    } finally {
      await pool.dispose();
    }
  });

  it('keepRows: false keeps a few fields per row, streams whole rows, and gives the same summaries', async () => {
    const plan = await planFolder(dir);
    const full = await evaluateDataset(plan, { decoders: ['threshold', 'rankdice'] });
    const streamed: EvalRow[] = [];
    const light = await evaluateDataset(plan, {
      decoders: ['threshold', 'rankdice'],
      keepRows: false,
      onRow: (r) => streamed.push(r),
    });
    assert.equal(canon(light.summaries), canon(full.summaries));
    assert.deepEqual(light.failed, full.failed);
    assert.equal(light.rows.length, full.rows.length);
    for (const [k, r] of light.rows.entries()) {
      assert.equal(r.image, undefined);
      assert.equal(r.stats, undefined);
      assert.equal(r.thumbnail, undefined);
      assert.deepEqual(
        [r.id, r.model, r.decoder, r.meanDice, r.flags],
        [
          full.rows[k].id,
          full.rows[k].model,
          full.rows[k].decoder,
          full.rows[k].meanDice,
          full.rows[k].flags,
        ],
      );
    }
    // onRow still sees every row whole (the view's store reads its metrics from there).
    assert.ok(streamed.some((r) => r.image && r.stats));
    assert.equal(streamed.length, full.rows.length);
  });

  it('cancels: rejects with CancelledError and keeps the rows already streamed', async () => {
    const plan = await planFolder(dir);
    const pool = new WorkerPool({ script: worker.script, size: 1 });
    const ac = new AbortController();
    const rows: EvalRow[] = [];
    try {
      await assert.rejects(
        evaluateDataset(plan, {
          decoders: ['threshold'],
          runner: poolRunner(pool),
          concurrency: 1,
          signal: ac.signal,
          onRow: (r) => {
            rows.push(r);
            if (rows.length === 3) ac.abort();
          },
        }),
        CancelledError,
      );
      assert.equal(rows.length, 3);
    } finally {
      await pool.dispose();
    }
  });

  it('planFromFolders pairs explicit folders by stem and finds labels.json beside them', () => {
    const plan = planFromFolders({ gt: join(dir, 'masks'), probs: join(dir, 'probs', 'beta') });
    assert.equal(plan.items.length, 9);
    assert.deepEqual(plan.models, ['beta']);
    assert.equal(plan.numClasses, 2);
    assert.deepEqual(
      plan.unmatched.map((u) => [u.path.slice(dir.length + 1), u.reason]),
      [[join('masks', 'lonely.png'), 'no probability map with the same stem']],
    );
    mkdirSync(join(dir, 'empty'), { recursive: true });
  });
});
