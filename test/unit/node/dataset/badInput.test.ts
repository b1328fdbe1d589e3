/**
 * Bad input in a dataset: a NaN map, logits (refused without consent, converted and flagged with it), duplicate
 * stems, mixed sizes and a missing map of one model — each gives a row or an unmatched entry naming the file and the
 * problem, and the other samples are evaluated.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeNpy } from '../../../../src/core/io/npy';
import { evaluateDataset, planFolder, planFromFolders } from '../../../../src/node/dataset';
import { writeSynthSet } from './synth';
import { makeTempDir } from '../../../support/tempDir';

describe('node/dataset: bad input gives a clear row, the run goes on', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = makeTempDir('seglens-dataset-bad').path;
    writeSynthSet(dir, { n: 6, models: ['m', 'n'], size: 24 });
    const nan = new Float32Array(24 * 24).fill(0.2);
    nan[7] = NaN;
    writeFileSync(
      join(dir, 'probs/m/img0001.npy'),
      writeNpy({ dtype: 'float32', shape: [24, 24], data: nan }),
    );
    const logits = Float32Array.from({ length: 24 * 24 }, (_, i) => ((i % 24) - 12) / 2);
    writeFileSync(
      join(dir, 'probs/m/img0002.npy'),
      writeNpy({ dtype: 'float32', shape: [24, 24], data: logits }),
    );
    writeFileSync(
      join(dir, 'probs/m/img0003.npy'),
      writeNpy({ dtype: 'float32', shape: [20, 24], data: new Float32Array(480) }),
    );
    rmSync(join(dir, 'probs/n/img0004.npy'));
    copyFileSync(join(dir, 'masks/img0005.png'), join(dir, 'masks/img0005_mask.png'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and the problem for each bad sample', async () => {
    const plan = await planFolder(dir);
    const report = await evaluateDataset(plan, { decoders: ['threshold'] });
    const reasons = Object.fromEntries(report.failed.map((f) => [`${f.id}/${f.model}`, f.reason]));
    assert.match(reasons['img0001/m'], /img0001\.npy: the probability map contains NaN/);
    assert.match(reasons['img0002/m'], /img0002\.npy: values range over \[-6, 5\.5\].*look like logits/);
    assert.match(reasons['img0003/m'], /img0003\.npy: shape \[20, 24\] does not fit/);
    assert.match(reasons['img0004/n'], /no probability map of model 'n'/);
    assert.equal(report.failed.length, 4);
    // Every other (image, model) was evaluated.
    assert.equal(report.rows.filter((r) => !r.error).length, 6 * 2 - 4);
  });

  it('converts logits only when asked, and flags the row', async () => {
    const plan = await planFolder(dir);
    const report = await evaluateDataset(plan, { decoders: ['threshold'], models: ['m'], logits: 'sigmoid' });
    const row = report.rows.find((r) => r.id === 'img0002');
    assert.equal(row?.error, undefined);
    assert.deepEqual(row?.flags, ['logits-converted']);
    assert.ok(!report.rows.find((r) => r.id === 'img0000')?.flags.includes('logits-converted'));
  });

  it('reports a second mask of the same stem as unmatched, naming the file used', async () => {
    const plan = planFromFolders({ gt: join(dir, 'masks'), probs: join(dir, 'probs/n') });
    const dup = plan.unmatched.find((u) => u.path.endsWith('img0005_mask.png'));
    assert.match(dup?.reason ?? '', /duplicate stem 'img0005': img0005\.png is used/);
  });
});
