/**
 * A dataset row must show the numbers the viewer shows when the sample is opened from the table: per-class Dice
 * and expected Dice of the engine (src/node/dataset) equal those of the viewer's analysis
 * (src/node/analysis/analysisTasks) on the demo's foreground-only maps, for threshold and RankDice (both solvers).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolveMetricsConfig } from '../../../../src/core/metrics';
import { analysisDecode, loadAnalysisSample } from '../../../../src/node/analysis/analysisTasks';
import { runDatasetSample } from '../../../../src/node/dataset/sampleTask';
import { repoPath } from '../../../support/repo';

describe('node/dataset: rows equal the viewer’s numbers', function () {
  this.timeout(60_000);
  for (const model of ['unet_bce', 'unet_dice_axis_bug']) {
    it(`demo ${model}: per-class Dice and expected Dice of threshold and RankDice`, async () => {
      for (const id of ['slice_048', 'slice_072']) {
        const prob = repoPath(`demo/probs/${model}/${id}.npy`);
        const gt = repoPath(`demo/masks/${id}.png`);
        const files = {
          probBytes: new Uint8Array(readFileSync(prob)),
          probSource: prob,
          gtBytes: new Uint8Array(readFileSync(gt)),
          gtSource: gt,
          maxPixels: 1e8,
        };
        for (const [decoder, solver] of [
          ['threshold', 'auto'],
          ['rankdice', 'rma'],
          ['rankdice', 'exact'],
        ] as const) {
          const settings = { threshold: 0.5, solver };
          const view = analysisDecode(await loadAnalysisSample(files, settings), decoder, settings);
          const [row] = runDatasetSample({
            id,
            model,
            files: { gt, prob },
            decoders: [decoder],
            config: resolveMetricsConfig({ numClasses: 6 }),
            solver,
          });
          const where = `${model}/${id}/${decoder}/${solver}`;
          const viewer = view.metrics?.perClass ?? {};
          assert.deepEqual(Object.keys(row.image?.perClass ?? {}), Object.keys(viewer), where);
          for (const [c, m] of Object.entries(viewer)) {
            assert.equal(row.image?.perClass[c].overlap.dice, m.overlap.dice, `${where} class ${c}`);
            assert.deepEqual(row.image?.perClass[c].counts, m.counts, `${where} class ${c}`);
          }
          // The image's Dice in the table is the viewer's macro Dice (one definition), recomputed here from the
          // counts: classes with a pixel in the mask or the prediction, Dice = 2tp / (2tp + fp + fn).
          const present = Object.values(viewer)
            .map((m) => m.counts)
            .filter((k) => k.tp + k.fp + k.fn > 0);
          const macro =
            present.reduce((a, k) => a + (2 * k.tp) / (2 * k.tp + k.fp + k.fn), 0) / present.length;
          assert.ok(
            Math.abs(row.meanDice - macro) < 1e-12,
            `${where} meanDice ${row.meanDice} vs macro ${macro}`,
          );
          assert.equal(
            row.meanDice,
            view.metrics?.macroPresentClasses.metrics.dice.value,
            `${where} viewer macro`,
          );
          assert.deepEqual(
            Object.values(row.expectedDicePerClass),
            view.perClass.map((p) => p.expectedDice),
            `${where} expected Dice`,
          );
        }
      }
    });
  }
});
