import assert from 'node:assert/strict';
import { RULES } from '../../../../src/core/lint';
import type { Finding } from '../../../../src/core/lint/types';
import { commandLink, escapeMarkdown, hoverMarkdown } from '../../../../src/vscode/diagnostics/hover';
import { statusView } from '../../../../src/vscode/diagnostics/status';

const finding = (rule: string, severity: Finding['severity'], explanation?: string): Finding => ({
  rule,
  name: RULES.find((r) => r.id === rule)?.name ?? 'x',
  severity,
  message: `message of ${rule}`,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  docs: `docs/rules/${rule}.md`,
  explanation,
});

describe('host/diagnostics hover and status text', () => {
  it('hover shows the rule, its name and severity, the numeric explanation and a docs command link', () => {
    const md = hoverMarkdown(
      [finding('LL101', 'error', 'The per-image score is 0.50; this code reports 0.97.')],
      RULES,
    );
    assert.equal(
      md,
      '**SegLens LL101** `overlap-reduced-over-wrong-axes` · error\n\n' +
        // Explanations quote user code, so they are escaped like any text (shown as written when rendered).
        'The per\\-image score is 0.50; this code reports 0.97\\.\n\n' +
        '[Show documentation for LL101](command:seglens.lint.showRuleDocs?%5B%22LL101%22%5D)',
    );
    const [, query] = commandLink('seglens.lint.showRuleDocs', ['LL101']).split('?');
    assert.deepEqual(JSON.parse(decodeURIComponent(query)), ['LL101']);
  });

  it('hover falls back to the escaped rule summary, and shows each rule once', () => {
    const md = hoverMarkdown(
      [finding('LL304', 'error'), finding('LL304', 'error'), finding('LL102', 'info')],
      RULES,
    );
    const blocks = md.split('\n\n---\n\n');
    assert.equal(blocks.length, 2);
    const summary = RULES.find((r) => r.id === 'LL304')?.summary ?? '';
    assert.ok(blocks[0].includes(escapeMarkdown(summary)));
    assert.equal(hoverMarkdown([], RULES), '');
  });

  it('escapes markdown syntax so messages show literally', () => {
    assert.equal(escapeMarkdown('a*b_c [x](y) <b> `k`'), 'a\\*b\\_c \\[x\\]\\(y\\) \\<b\\> \\`k\\`');
  });

  it('status: counts by severity, a click target, and every non-linted state', () => {
    const linted = statusView({
      kind: 'linted',
      findings: [finding('LL101', 'error'), finding('LL101', 'error'), finding('LL102', 'info')],
      ms: 12.4,
      tooLarge: false,
    });
    assert.equal(linted.text, '$(error) SegLens 3');
    assert.match(linted.tooltip, /2 errors, 0 warnings, 1 info \(12 ms\)/);
    assert.equal(linted.command, 'workbench.actions.view.problems');

    const warnOnly = statusView({
      kind: 'linted',
      findings: [finding('LL303', 'warning')],
      ms: 1,
      tooLarge: false,
    });
    assert.equal(warnOnly.text, '$(warning) SegLens 1');

    const clean = statusView({ kind: 'linted', findings: [], ms: 3, tooLarge: false });
    assert.equal(clean.text, '$(check) SegLens');
    assert.equal(clean.command, 'seglens.lint.showOutput');

    assert.match(statusView({ kind: 'linted', findings: [], ms: 0, tooLarge: true }).tooltip, /size limit/);
    assert.equal(statusView({ kind: 'loading' }).text, '$(sync~spin) SegLens');
    assert.match(statusView({ kind: 'disabled' }).tooltip, /seglens\.lint\.enable/);
    const failed = statusView({ kind: 'failed', error: 'no wasm' });
    assert.equal(failed.warn, true);
    assert.match(failed.tooltip, /no wasm/);
  });
});
