/**
 * Two models in one `seglens eval` (`--probs A,B`): the first at the top level, the second under "models", compared
 * per image under "modelComparisons" on the images both evaluated (a missing map of B is a skipped row naming the
 * model); and the sharded run of two models merges into the single run.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pairedComparison } from '../../../src/core/dataset/stats';
import { writeSynthSet } from '../node/dataset/synth';
import { cli } from './cliHelper';
import { makeTempDir } from '../../support/tempDir';

interface Rows {
  id: string;
  meanDice: number;
}
interface Report {
  run: { model: { name: string }; models: { name: string }[] };
  images: Rows[];
  decoders: { decoder: string; images: Rows[] }[];
  models: { model: string; decoders: { decoder: string; images: Rows[] }[] }[];
  modelComparisons: {
    a: string;
    b: string;
    decoder: string;
    n: number;
    wins: number;
    meanDifference: number;
    ci: { low: number; high: number };
  }[];
  skipped: { id: string; model: string; reason: string }[];
}

describe('seglens eval with two models', function () {
  this.timeout(120_000);
  let dir: string;
  const args = [
    'eval',
    '--gt',
    'masks',
    '--probs',
    'probs/alpha,probs/beta',
    '--decoders',
    'threshold,rankdice',
  ];
  before(() => {
    dir = makeTempDir('seglens-models').path;
    writeSynthSet(dir, { n: 8, models: ['alpha', 'beta'], seed: 5 });
    rmSync(join(dir, 'probs/beta/img0006.npy'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports both models and compares them per image on the images both evaluated', async () => {
    const r = await cli([...args, '--json', '--out', 'two.json'], dir);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(readFileSync(join(dir, 'two.json'), 'utf8')) as Report;
    assert.equal(out.run.model.name, 'alpha');
    assert.deepEqual(
      out.run.models.map((m) => m.name),
      ['alpha', 'beta'],
    );
    assert.equal(out.images.length, 8);
    assert.equal(out.models[0].model, 'beta');
    assert.equal(out.models[0].decoders[0].images.length, 7);
    assert.deepEqual(
      out.skipped.map((s) => [s.id, s.model]),
      [['img0006', 'beta']],
    );
    assert.match(out.skipped[0].reason, /no probability map of model 'beta'/);
    assert.equal(out.modelComparisons.length, 2);
    for (const [d, c] of out.modelComparisons.entries()) {
      assert.deepEqual([c.a, c.b, c.decoder], ['alpha', 'beta', out.decoders[d].decoder]);
      // The same statistic from the rows, joined on the id by hand.
      const b = new Map(out.models[0].decoders[d].images.map((x) => [x.id, x.meanDice]));
      const pairs = out.decoders[d].images.filter((x) => b.has(x.id));
      const direct = pairedComparison(
        pairs.map((x) => x.meanDice),
        pairs.map((x) => b.get(x.id) as number),
      );
      assert.equal(c.n, 7);
      assert.equal(c.wins, direct.wins);
      assert.equal(c.meanDifference, direct.meanDifference);
      assert.deepEqual([c.ci.low, c.ci.high], [direct.ci.low, direct.ci.high]);
    }
  });

  it('2 shards of two models (JSON and JSON lines) merge into the single run', async () => {
    const single = await cli([...args, '--json'], dir);
    const body = (text: string): string => {
      const { run: _run, ...rest } = JSON.parse(text) as Record<string, unknown>;
      return JSON.stringify(rest);
    };
    for (const i of [1, 2]) {
      await cli([...args, '--shard', `${i}/2`, '--json', '--out', `m_${i}.json`], dir);
      await cli([...args, '--shard', `${i}/2`, '--jsonl', '--out', `m_${i}.jsonl`], dir);
    }
    const merged = await cli(['merge', 'm_2.json', 'm_1.json'], dir);
    assert.equal(merged.code, 1);
    assert.equal(body(merged.stdout), body(single.stdout));
    const mergedLines = await cli(['merge', 'm_1.jsonl', 'm_2.jsonl'], dir);
    assert.equal(body(mergedLines.stdout), body(single.stdout));
  });

  it('refuses two probability folders of the same name', async () => {
    const r = await cli(['eval', '--gt', 'masks', '--probs', 'probs/alpha,probs/alpha', '--json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /both called 'alpha'/);
  });
});
