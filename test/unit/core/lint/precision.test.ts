import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLinter } from './helpers';
import { REPO } from '../../../support/repo';

const ROOT = REPO;

async function lintFile(path: string) {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const linter = await getLinter();
  const { findings, tree } = linter.lint(text);
  tree.dispose();
  return { text, findings };
}

describe('lint precision on correct code, recall on the demo', () => {
  for (const file of [
    'test/fixtures/lint/precision_keras.py',
    'test/fixtures/lint/precision_torch.py',
    'test/fixtures/lint/precision_monai_style.py',
    'test/fixtures/lint/precision_classification.py',
    'demo/losses/dice_torch_correct.py',
  ]) {
    it(`${file}: no error or warning`, async () => {
      const { findings } = await lintFile(file);
      const loud = findings.filter((f) => f.severity !== 'info' || file.includes('classification'));
      assert.deepEqual(
        loud.map((f) => `${f.rule} ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
        [],
      );
    });
  }

  it('demo/losses/dice_keras.py: LL101 at every reduce call of the Dice coefficient, nothing else', async () => {
    const { text, findings } = await lintFile('demo/losses/dice_keras.py');
    // Expected sites, found independently: every `K.sum(` inside dice_coef.
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith('def dice_coef('));
    const end = lines.findIndex((l, i) => i > start && l.startsWith('def '));
    const expected: string[] = [];
    for (let i = start; i < end; i++) {
      for (let at = lines[i].indexOf('K.sum('); at >= 0; at = lines[i].indexOf('K.sum(', at + 1)) {
        expected.push(`${i}:${at}`);
      }
    }
    assert.ok(expected.length >= 3);
    assert.deepEqual(
      findings
        .filter((f) => f.severity !== 'info')
        .map((f) => `${f.rule} ${f.range.start.line}:${f.range.start.character}`),
      expected.map((e) => `LL101 ${e}`),
    );
    for (const f of findings.filter((x) => x.rule === 'LL101')) {
      assert.match(f.message, /assumed layout NHWC: Keras default channels_last; role: loss/);
      assert.ok(f.fixes?.[0].edits[0].newText === '[1, 2, 3]');
    }
  });
});
