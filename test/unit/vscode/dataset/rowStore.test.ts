import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalRow } from '../../../../src/core/dataset/rows';
import { evaluateDataset, planFolder } from '../../../../src/node/dataset';
import type { DatasetReport } from '../../../../src/node/dataset';
import { ROW_FLAGS, TABLE_METRICS } from '../../../../src/protocol/dataset';
import { cacheKey, loadRun, saveRun } from '../../../../src/vscode/dataset/cache';
import { csvCell, summaryCsv, tableCsv, tableJson } from '../../../../src/vscode/dataset/exportData';
import { classList, datasetRoot, previewOf } from '../../../../src/vscode/dataset/preview';
import { RowStore, type StoreItem, classMean, flagBits } from '../../../../src/vscode/dataset/rowStore';
import { spread, summarizeNow } from '../../../../src/vscode/dataset/summary';
import { modelAgreement, regionOfBox } from '../../../../src/vscode/dataset/labelErrors';
import { REPO } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const DEMO = join(REPO, 'demo');

function row(id: string, model: string, decoder: string, extra: Partial<EvalRow> = {}): EvalRow {
  return {
    id,
    model,
    decoder: decoder as EvalRow['decoder'],
    meanDice: NaN,
    expectedDice: 0.5,
    expectedDicePerClass: { '1': 0.5 },
    solver: null,
    flags: [],
    files: {},
    ...extra,
  };
}

describe('dataset view: row store', () => {
  it('completes an image when every model and decoder arrived, in any order', () => {
    const items: StoreItem[] = [
      { id: 'a', probs: { m1: '/a1', m2: '/a2' } },
      { id: 'b', probs: { m1: '/b1' } },
    ];
    const s = new RowStore(items, ['m1', 'm2'], ['threshold', 'rankdice'], [{ index: 1, name: 'fg' }]);
    assert.equal(s.add(row('a', 'm2', 'rankdice')), undefined);
    assert.equal(s.add(row('a', 'm1', 'threshold')), undefined);
    assert.equal(s.add(row('zzz', 'm1', 'threshold')), undefined, 'unknown id ignored');
    assert.equal(s.add(row('a', 'm1', 'rankdice')), undefined);
    assert.equal(s.add(row('a', 'm2', 'threshold')), 0);
    assert.equal(s.completed, 1);
    s.add(row('b', 'm1', 'threshold'));
    s.add(row('b', 'm1', 'rankdice'));
    s.add(row('b', 'm2', 'threshold', { error: 'no probability map', flags: ['skipped'] }));
    assert.equal(s.add(row('b', 'm2', 'rankdice', { error: 'later error', flags: ['skipped'] })), 1);
    assert.equal(s.errors[1], 'no probability map', 'the first reason is kept');
    assert.ok(s.flags[1] & ROW_FLAGS.skipped);
    const b = s.batch([1, 0]);
    assert.deepEqual(b.ids, ['b', 'a']);
    assert.equal(b.values.byteLength, 2 * s.cols * 8);
    assert.equal(s.cols, 2 * 2 * 2 * TABLE_METRICS.length);
  });

  it('maps engine flags to bits and averages classes the way the table documents', () => {
    assert.equal(
      flagBits(['empty-gt', 'logits-converted', 'odd']),
      ROW_FLAGS.emptyGt | ROW_FLAGS.logitsConverted,
    );
    assert.equal(classMean([0.5, NaN, 1]), 0.75);
    assert.equal(classMean([Infinity, 2]), 2);
    assert.equal(classMean([Infinity, NaN]), Infinity);
    assert.ok(Number.isNaN(classMean([NaN])));
  });

  it('spread of finite values', () => {
    assert.deepEqual(spread([1, 2, 3, NaN, 4]), { mean: 2.5, sd: Math.sqrt(5 / 3), median: 2.5, n: 4 });
    assert.deepEqual(spread([]), { mean: null, sd: null, median: null, n: 0 });
  });

  it('a label-error region is the in-plane box of the last two axes (rows are y)', () => {
    // Rows 3…5, columns 10…17 of an image: x 10, y 3, 8 wide, 3 high.
    assert.deepEqual(regionOfBox({ min: [3, 10], max: [5, 17] }), { x: 10, y: 3, width: 8, height: 3 });
    // A volume's box [z, y, x]: its in-plane extent.
    assert.deepEqual(regionOfBox({ min: [7, 0, 4], max: [9, 1, 4] }), { x: 4, y: 0, width: 1, height: 2 });
    assert.equal(regionOfBox({ min: [4], max: [9] }), null, 'one axis: no 2-D box');
    assert.equal(regionOfBox({ min: [5, 5], max: [4, 6] }), null, 'max before min');
  });

  it('datasetRoot: a role folder or a model folder means the dataset above it', () => {
    const roles = ['images', 'masks', 'probs'];
    assert.equal(datasetRoot('/d/demo/images', roles, ['probs']), '/d/demo');
    assert.equal(datasetRoot('/d/demo/probs/unet', roles, ['probs']), '/d/demo');
    assert.equal(datasetRoot('/d/demo', roles, ['probs']), '/d/demo');
  });

  it('CSV cells are quoted when needed and non-finite numbers are spelled like seglens eval', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "x"'), '"say ""x"""');
    assert.equal(csvCell(NaN), 'NaN');
    assert.equal(csvCell(Infinity), 'Infinity');
    assert.equal(csvCell(0.25), '0.25');
  });

  describe('on the demo set (two models, two decoders, in process)', function () {
    this.timeout(120_000);
    let report: DatasetReport;
    let store: RowStore;
    const models = ['unet_bce', 'unet_dice_axis_bug'];
    const decoders = ['threshold', 'rankdice'] as const;

    before(async () => {
      const plan = await planFolder(DEMO);
      store = new RowStore(plan.items, models, [...decoders], classList(plan), plan.numClasses, 20);
      report = await evaluateDataset(plan, {
        decoders: [...decoders],
        models,
        thumbnail: 20,
        onRow: (r) => store.add(r),
      });
      const preview = previewOf(plan, 'demo', ['threshold', 'rankdice']);
      assert.equal(preview.total, 12);
      assert.deepEqual(
        preview.models.map((m) => m.name),
        models,
      );
      assert.equal(preview.classes.length, 5);
    });

    it('keeps per image exactly the engine’s Dice and expected Dice', () => {
      assert.equal(store.completed, 12);
      for (const r of report.rows) {
        const i = store.rowIndex(r.id) as number;
        const m = models.indexOf(r.model);
        const d = decoders.indexOf(r.decoder as (typeof decoders)[number]);
        assert.equal(store.value(i, m, d, 0, 'dice'), r.meanDice);
        assert.equal(store.value(i, m, d, 0, 'expectedDice'), r.expectedDice);
        assert.equal(store.value(i, m, d, 1, 'dice'), r.image?.perClass['1'].overlap.dice);
        assert.equal(store.value(i, m, d, 1, 'hd95'), r.image?.perClass['1'].surface.hd95);
      }
    });

    it('pooled Dice and pixel accuracy summed from the kept counts equal the DATASET object', () => {
      const summary = summarizeNow(store, { classNames: new Map(), resamples: 200 });
      for (const s of report.summaries) {
        const mine = summary.perDecoder.find((p) => p.model === s.model && p.decoder === s.decoder);
        assert.ok(mine && s.dataset);
        assert.ok(Math.abs((mine.pooledDice ?? NaN) - s.dataset.microOverClasses.metrics.dice) < 1e-12);
        assert.ok(Math.abs((mine.pixelAccuracy ?? NaN) - s.dataset.pixelAccuracy.pooled) < 1e-12);
        assert.equal(mine.dice.n, 12);
        // One sentence: the view's, from its kept counts, is core's, word for word, from the DATASET object.
        assert.equal(mine.gapSentence, s.summary?.explanation);
        for (const c of mine.perClass)
          assert.ok(
            Math.abs((c.pooledDice ?? NaN) - s.dataset.perClass[String(c.index)].pooled.dice) < 1e-12,
          );
      }
      // Decoder comparisons per model, model comparisons per decoder.
      assert.equal(summary.comparisons.length, 2 + 2);
      const c = summary.comparisons[0];
      assert.equal(c.wins + c.ties + c.losses, c.n);
      assert.ok(summary.labelErrors.length > 0);
      // Ordered by score × the model's mean Dice on the set: the axis-bug model misses every structure (mean Dice
      // near 0), so its blanket "the model rejects this label" comes after the working model's candidates.
      const agreement = modelAgreement(store);
      assert.ok(agreement[0] > 0.5 && agreement[1] < 0.1, `agreement ${agreement}`);
      const weight = (e: { score: number; model: string }) => e.score * agreement[models.indexOf(e.model)];
      assert.ok(summary.labelErrors.every((e, i, a) => i === 0 || weight(a[i - 1]) >= weight(e)));
      assert.equal(summary.labelErrors[0].model, 'unet_bce');
      // Each candidate's region is its engine row's best region of that class: x from columns, y from rows.
      for (const e of summary.labelErrors) {
        const row = report.rows.find(
          (r) => r.id === e.id && r.model === e.model && r.decoder === 'threshold',
        );
        const found = row?.labelErrors?.find((l) => l.class === e.classIndex);
        assert.ok(found, `${e.id} class ${e.classIndex}`);
        const [y0, x0] = found.bbox.min;
        const [y1, x1] = found.bbox.max;
        assert.deepEqual(e.region, { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 });
      }
      assert.ok(summaryCsv(summary).includes('comparison'));
    });

    it('the cache gives back the same store, and nothing for another key or a damaged file', async () => {
      const dir = makeTempDir('seglens-cache').path;
      const summary = summarizeNow(store, { classNames: new Map(), resamples: 50 });
      const key = cacheKey('fp', { models, decoders: [...decoders], logits: 'refuse' });
      assert.notEqual(key, cacheKey('fp2', { models, decoders: [...decoders], logits: 'refuse' }));
      assert.notEqual(key, cacheKey('fp', { models, decoders: ['threshold'], logits: 'refuse' }));
      await saveRun(dir, key, store, classList(await planFolder(DEMO)), summary);
      const back = await loadRun(dir, key);
      assert.ok(back);
      assert.deepEqual(back.store.values, store.values);
      assert.deepEqual(back.store.counts, store.counts);
      assert.deepEqual(back.store.errors, store.errors);
      assert.equal(back.store.completed, 12);
      assert.equal(back.store.labelErrors.length, store.labelErrors.length);
      assert.deepEqual(back.summary, JSON.parse(JSON.stringify(summary)));
      assert.equal(await loadRun(dir, 'nope'), undefined);
      writeFileSync(join(dir, `${key}.bin`), 'damaged');
      assert.equal(await loadRun(dir, key), undefined);
    });

    it('keeps each image’s class confusion, so a matrix cell lists exactly its images', () => {
      assert.equal(store.confusionClasses, 6);
      const K = 6;
      for (let m = 0; m < 2; m++)
        for (let d = 0; d < 2; d++)
          for (const [g, p] of [
            [1, 0],
            [0, 1],
            [5, 5],
          ]) {
            const expected = report.rows
              .filter(
                (r) =>
                  r.model === models[m] && r.decoder === decoders[d] && (r.confusion?.[g * K + p] ?? 0) > 0,
              )
              .map((r) => store.rowIndex(r.id) as number)
              .sort((a, b) => a - b);
            assert.deepEqual(store.rowsWithCell(m, d, g, p), expected);
          }
      const summary = summarizeNow(store, { classNames: new Map(), resamples: 50 });
      const mine = summary.perDecoder[0].confusion;
      const theirs = report.summaries[0].confusion;
      assert.ok(mine && theirs);
      assert.deepEqual(mine, theirs);
    });

    it('keeps the first decoder’s error-map thumbnail per model, and posts it with the row', () => {
      for (const r of report.rows.filter((x) => x.decoder === decoders[0])) {
        const row = store.rowIndex(r.id) as number;
        const m = models.indexOf(r.model);
        const th = r.thumbnail;
        assert.ok(th && th.width <= 20 && th.height <= 20);
        const at = row * 2 + m;
        assert.deepEqual([store.thumbDims[at * 2], store.thumbDims[at * 2 + 1]], [th.width, th.height]);
        assert.deepEqual(
          store.thumbs.subarray(at * 400, at * 400 + th.width * th.height),
          Uint8Array.from(th.codes),
        );
      }
      const b = store.batch([3]);
      assert.equal(b.thumbs.byteLength, 2 * 400);
      assert.equal(b.thumbDims.length, 4);
    });

    it('exports every row, in id order, with every column', () => {
      const csv = tableCsv(store).trim().split('\n');
      assert.equal(csv.length, 13);
      assert.equal(csv[0].split(',').length, 3 + store.cols);
      assert.ok(csv[1].startsWith('slice_048,'));
      const json = tableJson(store, { root: 'demo', classes: [] });
      assert.equal(json.rows.length, 12);
      assert.equal(json.rows[0].metrics.unet_bce.rankdice.all.dice, store.value(0, 0, 1, 0, 'dice'));
    });
  });
});
