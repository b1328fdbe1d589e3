import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../../../src/core/lint';
import { ALL_RULES } from '../../../../src/core/lint/rules';
import { REPO } from '../../../support/repo';

const ROOT = REPO;

describe('lint rule registry', () => {
  it('has unique ids and names, LLxxx ids and kebab-case names', () => {
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length);
    assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length);
    for (const r of RULES) {
      assert.match(r.id, /^LL[1-6]\d\d$/);
      assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.equal(Number(r.id[2]), r.group, `${r.id} group`);
      assert.ok(r.summary.length > 20, `${r.id} summary`);
    }
  });

  it('keeps one rule per file, named after the rule', () => {
    const files = readdirSync(join(ROOT, 'src/core/lint/rules')).filter((f) => /^LL\d{3}_/.test(f));
    assert.deepEqual(files.map((f) => f.slice(0, 5)).sort(), ALL_RULES.map((r) => r.info.id).sort());
  });

  it('documents every rule with the four sections', () => {
    for (const r of RULES) {
      const path = join(ROOT, r.docs);
      assert.ok(existsSync(path), `${r.docs} exists`);
      const text = readFileSync(path, 'utf8');
      assert.ok(text.startsWith(`# ${r.id} \`${r.name}\``), `${r.docs} title`);
      for (const h of ['## What it does', '## Why is this bad?', '## Example', '## Use instead']) {
        assert.ok(text.includes(h), `${r.docs} has "${h}"`);
      }
    }
  });

  it('lists every rule in docs/rules/README.md with its default severity', () => {
    const readme = readFileSync(join(ROOT, 'docs/rules/README.md'), 'utf8');
    for (const r of RULES) {
      assert.ok(
        readme.includes(`| [${r.id}](${r.id}.md) | \`${r.name}\` | ${r.severity} |`),
        `${r.id} in README`,
      );
    }
  });

  it('has a bad and a good fixture for every rule', () => {
    const dir = join(ROOT, 'test/fixtures/lint');
    for (const r of RULES) {
      assert.ok(existsSync(join(dir, `${r.id}_bad.py`)), `${r.id}_bad.py`);
      assert.ok(existsSync(join(dir, `${r.id}_good.py`)), `${r.id}_good.py`);
    }
  });
});
