/**
 * Hover text for flagged ranges. VS Code's own hover already shows the diagnostic's message, so this adds what the
 * message has no room for: the rule's name and the numeric illustration of what the mistake does to the numbers,
 * and a link that opens the rule's page.
 */
import type { Finding, RuleInfo } from '../../core/lint/types';
import { LINT_COMMANDS } from './ids';

/** Escapes text so markdown shows it literally (messages are plain text and contain `*`, `_` and brackets). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`);
}

/** A `command:` link target with JSON arguments, as VS Code's trusted markdown expects. */
export function commandLink(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** Markdown for the findings under the cursor; empty when there are none. Each rule is shown once. */
export function hoverMarkdown(findings: readonly Finding[], rules: readonly RuleInfo[]): string {
  const seen = new Set<string>();
  const blocks: string[] = [];
  for (const f of findings) {
    if (seen.has(f.rule)) continue;
    seen.add(f.rule);
    const info = rules.find((r) => r.id === f.rule);
    const lines = [`**SegLens ${f.rule}** \`${f.name}\` · ${f.severity}`, ''];
    if (f.explanation) lines.push(f.explanation);
    else if (info) lines.push(escapeMarkdown(info.summary));
    else lines.push(escapeMarkdown(f.message));
    lines.push(
      '',
      `[Show documentation for ${f.rule}](${commandLink(LINT_COMMANDS.showRuleDocs, [f.rule])})`,
    );
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n---\n\n');
}
