/**
 * Conformance: every value of every public metric case (test/fixtures/metrics, a copy of
 * shared/fixtures/metrics) must come out of `seglens eval --pairs` within the README's tolerances, under the case's
 * config and again under bothEmpty = "nan" (datasetIfBothEmptyNaN).
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertMatches, runCli } from './helpers';
import { repoPath } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

const FIXTURES = repoPath('test/fixtures/metrics');

interface CaseImage {
  id: string;
  gt: string;
  pred: string;
  prob: string | null;
  spacing: number[];
  expected: Record<string, unknown>;
}
interface Case {
  id: string;
  config: Record<string, unknown>;
  images: CaseImage[];
  dataset: Record<string, unknown>;
  datasetIfBothEmptyNaN: Record<string, unknown>;
}

const cases = (JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as { cases: Case[] }).cases;

describe('metrics fixtures through `seglens eval --pairs`', () => {
  let dir: string;
  before(() => {
    dir = makeTempDir('seglens-metrics').path;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has all ten public cases', () => {
    assert.equal(cases.length, 10);
  });

  for (const c of cases) {
    const run = async (
      bothEmpty: 'best' | 'nan',
    ): Promise<{ images: Record<string, unknown>[]; dataset: unknown }> => {
      const pairs = join(dir, `${c.id}-${bothEmpty}.pairs.json`);
      const abs = (p: string | null): string | null => (p === null ? null : join(FIXTURES, p));
      const config = join(dir, `${c.id}-${bothEmpty}.config.json`);
      writeFileSync(
        pairs,
        JSON.stringify(
          c.images.map((im) => ({
            id: im.id,
            gt: abs(im.gt),
            pred: abs(im.pred),
            prob: abs(im.prob),
            spacing: im.spacing,
          })),
        ),
      );
      writeFileSync(config, JSON.stringify({ ...c.config, bothEmpty }));
      const r = await runCli(['eval', '--pairs', pairs, '--config', config, '--json']);
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      return JSON.parse(r.stdout) as { images: Record<string, unknown>[]; dataset: unknown };
    };

    it(`${c.id}: every image value and the dataset aggregates`, async () => {
      const out = await run('best');
      assert.equal(out.images.length, c.images.length);
      c.images.forEach((im, i) => {
        const { id, ...rest } = out.images[i];
        assert.equal(id, im.id);
        assertMatches(rest, im.expected, `${c.id}/${im.id}`);
      });
      assertMatches(out.dataset, c.dataset, `${c.id}/dataset`);
    });

    it(`${c.id}: dataset aggregates under bothEmpty = "nan"`, async () => {
      const out = await run('nan');
      assertMatches(out.dataset, c.datasetIfBothEmptyNaN, `${c.id}/datasetIfBothEmptyNaN`);
    });
  }
});
