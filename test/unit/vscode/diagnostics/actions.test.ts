import assert from 'node:assert/strict';
import type { Finding } from '../../../../src/core/lint/types';
import { buildActions, fixAllEdits } from '../../../../src/vscode/diagnostics/actions';
import { applyEdits, kerasDemo, sharedLinter } from './helpers';

async function lint(text: string): Promise<Finding[]> {
  const linter = await sharedLinter();
  const r = linter.lint(text);
  r.tree.dispose();
  return r.findings;
}

describe('host/diagnostics code actions', () => {
  let text: string;
  let findings: Finding[];
  before(async () => {
    text = kerasDemo();
    findings = await lint(text);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['LL101', 'LL101', 'LL101'],
    );
  });

  it('lists the preferred fix first, then the others, fix all, both suppressions and the documentation', () => {
    const actions = buildActions(findings[0], text, findings);
    assert.deepEqual(
      actions.map((a) => [a.title, !!a.preferred, a.scope]),
      [
        ['Reduce over [1, 2, 3] (per image, pooled over channels)', true, 'finding'],
        ['Reduce over [1, 2] (per image and per class)', false, 'finding'],
        [
          'Fix all 3 LL101 problems in this file (Reduce over [1, 2, 3] (per image, pooled over channels))',
          false,
          'file',
        ],
        ['Disable LL101 for this line', false, 'finding'],
        ['Disable LL101 for this file', false, 'file'],
        ['Show documentation for LL101', false, 'file'],
      ],
    );
    const docs = actions[5];
    assert.deepEqual(docs.command, {
      id: 'seglens.lint.showRuleDocs',
      title: 'Show documentation for LL101',
      args: ['LL101'],
    });
    assert.deepEqual(docs.edits, []);
  });

  it('the preferred fix rewrites only its own call; fix all leaves a file with no finding at all', async () => {
    const [pref] = buildActions(findings[0], text, findings);
    const once = applyEdits(text, pref.edits);
    const changed = once.split('\n').filter((l, i) => l !== text.split('\n')[i]);
    assert.deepEqual(changed, ['    intersection = K.sum(y_true * y_pred, axis=[1, 2, 3])']);

    const all = buildActions(findings[1], text, findings).find((a) => a.title.startsWith('Fix all'));
    assert.ok(all);
    const fixed = applyEdits(text, all.edits);
    assert.ok(fixed.includes('(K.sum(y_true, [1, 2, 3]) + K.sum(y_pred, [1, 2, 3]) + smooth)'));
    assert.deepEqual(await lint(fixed), []);
  });

  it('drops fixes whose edits no longer fit the text (a stale lint), but keeps suppressions and docs', () => {
    const shorter = text.split('\n').slice(0, 5).join('\n');
    const titles = buildActions(findings[0], shorter, findings).map((a) => a.title);
    assert.deepEqual(titles, [
      'Disable LL101 for this line',
      'Disable LL101 for this file',
      'Show documentation for LL101',
    ]);
  });

  it('offers no "fix all" for a single finding, and only documentation for the size-cap pseudo-rule', () => {
    const one = buildActions(findings[0], text, [findings[0]]).map((a) => a.title);
    assert.ok(!one.some((t) => t.startsWith('Fix all')));
    const tooLarge: Finding = {
      rule: 'LL000',
      name: 'file-too-large',
      severity: 'info',
      message: 'Not linted',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      docs: 'docs/rules/README.md',
    };
    assert.deepEqual(
      buildActions(tooLarge, 'x = 1\n', [tooLarge]).map((a) => a.title),
      ['Show documentation for LL000'],
    );
  });
});

describe('host/diagnostics fix all (source.fixAll.seglens)', () => {
  it('takes every recommended fix once, in document order, and leaves the demo with no finding', async () => {
    const text = kerasDemo();
    const findings = await lint(text);
    const edits = fixAllEdits(findings, text);
    assert.deepEqual(
      edits.map((e) => [e.range.start.line, e.range.start.character, e.newText]),
      [
        [22, 47, '[1, 2, 3]'],
        [23, 58, '[1, 2, 3]'],
        [23, 78, '[1, 2, 3]'],
      ],
    );
    assert.deepEqual(await lint(applyEdits(text, edits)), []);
  });

  it('skips a fix that overlaps one already taken or does not fit the text', () => {
    const mk = (line: number, from: number, to: number): Finding => ({
      rule: 'LL999',
      name: 't',
      severity: 'error',
      message: 'm',
      range: { start: { line, character: from }, end: { line, character: to } },
      docs: 'docs/rules/README.md',
      fixes: [
        {
          title: 't',
          preferred: true,
          edits: [
            { range: { start: { line, character: from }, end: { line, character: to } }, newText: 'z' },
          ],
        },
      ],
    });
    const text = 'abcdef\nxy';
    const edits = fixAllEdits([mk(0, 3, 5), mk(0, 0, 4), mk(1, 0, 9), mk(1, 0, 1)], text);
    assert.deepEqual(
      edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character]),
      [
        [0, 0, 4],
        [1, 0, 1],
      ],
    );
  });
});
