/**
 * Sharded evaluation: `seglens eval --shard I/N` parts merged by `seglens merge` equal the unsharded run in every
 * number and row (JSON and CSV), whatever the order of the part files; only "run" differs. Also: JSON-lines parts,
 * a failed sample in one shard, and refusals (missing shard, duplicate shard, other config).
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSynthSet } from '../node/dataset/synth';
import { cli } from './cliHelper';
import { makeTempDir } from '../../support/tempDir';

/** The report without "run", serialised again (key order and every number kept). */
function body(text: string): string {
  const { run: _run, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(rest);
}

describe('seglens eval --shard + seglens merge', function () {
  this.timeout(180_000);
  let dir: string;
  const common = ['eval', '--gt', 'masks', '--probs', 'probs', '--decoders', 'threshold,rankdice'];
  before(() => {
    dir = makeTempDir('seglens-merge').path;
    writeSynthSet(dir, { n: 11, flat: true, seed: 3 });
    // One broken map: the shard holding it reports it as skipped; the merge must keep it.
    writeFileSync(join(dir, 'probs/img0004.npy'), Buffer.from('broken'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('3 shards merged in any order equal one run (JSON and CSV); only "run" differs', async () => {
    const single = await cli([...common, '--json', '--out', 'single.json'], dir);
    assert.equal(single.code, 1, 'the broken sample makes the run exit 1');
    const singleCsv = await cli([...common, '--csv'], dir);
    const sizes: number[] = [];
    for (const i of [1, 2, 3]) {
      const r = await cli([...common, '--shard', `${i}/3`, '--json', '--out', `part_${i}.json`], dir);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      const part = JSON.parse(readFileSync(join(dir, `part_${i}.json`), 'utf8')) as {
        images: unknown[];
        skipped: unknown[];
        run: { shard: { index: number; count: number; samples: number } };
      };
      assert.deepEqual([part.run.shard.index, part.run.shard.count], [i, 3]);
      sizes.push(part.run.shard.samples);
    }
    assert.deepEqual(sizes, [3, 4, 4]);
    const singleText = readFileSync(join(dir, 'single.json'), 'utf8');
    for (const order of [
      ['part_1.json', 'part_2.json', 'part_3.json'],
      ['part_3.json', 'part_1.json', 'part_2.json'],
      ['part_2.json', 'part_3.json', 'part_1.json'],
    ]) {
      const merged = await cli(['merge', ...order, '--json'], dir);
      assert.equal(merged.code, 1, 'the skipped sample is still reported');
      assert.equal(body(merged.stdout), body(singleText), `order ${order.join(' ')}`);
      const run = (JSON.parse(merged.stdout) as { run: { command: string; parts: unknown[] } }).run;
      assert.equal(run.command, 'merge');
      assert.equal(run.parts.length, 3);
      const csv = await cli(['merge', ...order, '--csv'], dir);
      assert.equal(csv.stdout, singleCsv.stdout);
    }
    const skipped = (JSON.parse(singleText) as { skipped: { id: string }[] }).skipped;
    assert.deepEqual(
      skipped.map((s) => s.id),
      ['img0004'],
    );
  });

  it('merges JSON-lines parts too, and writes --out', async () => {
    for (const i of [1, 2]) {
      await cli([...common, '--shard', `${i}/2`, '--jsonl', '--out', `lines_${i}.jsonl`], dir);
    }
    const merged = await cli(['merge', 'lines_2.jsonl', 'lines_1.jsonl', '--out', 'merged.json'], dir);
    assert.equal(merged.stdout, '');
    const single = await cli([...common, '--json'], dir);
    assert.equal(body(readFileSync(join(dir, 'merged.json'), 'utf8')), body(single.stdout));
  });

  it('refuses a missing shard, a shard given twice and parts of another config', async () => {
    await cli([...common, '--shard', '1/3', '--json', '--out', 'p1.json'], dir);
    await cli([...common, '--shard', '2/3', '--json', '--out', 'p2.json'], dir);
    const missing = await cli(['merge', 'p1.json', 'p2.json'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /shard\(s\) 3\/3 missing/);
    const twice = await cli(['merge', 'p1.json', 'p1.json', 'p2.json'], dir);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /p1\.json: is shard 1\/3 again/);
    writeFileSync(join(dir, 'c.json'), '{"nsdTolerance": 2}');
    await cli([...common, '--config', 'c.json', '--shard', '3/3', '--json', '--out', 'p3.json'], dir);
    const other = await cli(['merge', 'p1.json', 'p2.json', 'p3.json'], dir);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /p3\.json: its metric config differs/);
    const notReport = await cli(['merge', 'c.json'], dir);
    assert.equal(notReport.code, 2);
    assert.match(notReport.stderr, /c\.json: not a report of seglens eval/);
  });
});
