/**
 * Hover text for flagged ranges. VS Code's own hover already shows the diagnostic's message, so this adds what the
 * message has no room for: the rule's name and the numeric illustration of what the mistake does to the numbers,
 * and a link that opens the rule's page. Every piece of text that is not our own markup — explanations and
 * messages quote the user's code — goes through markdownText.ts, because the hover is trusted for that link.
 */
import type { Finding, RuleInfo } from '../../core/lint/types';
import { LINT_COMMANDS } from './ids';
import { codeSpan, encodeLinkArgs, escapeMarkdown } from './markdownText';

export { escapeMarkdown } from './markdownText';

/** A `command:` link target with JSON arguments, as VS Code's trusted markdown expects. */
export function commandLink(command: string, args: unknown[]): string {
  return `command:${command}?${encodeLinkArgs(args)}`;
}

/**
 * Markdown for the findings under the cursor; empty when there are none. Each rule is shown once. The result is
 * meant for a MarkdownString trusted only for `LINT_COMMANDS.showRuleDocs`, with HTML off (providers.ts).
 */
export function hoverMarkdown(findings: readonly Finding[], rules: readonly RuleInfo[]): string {
  const seen = new Set<string>();
  const blocks: string[] = [];
  for (const f of findings) {
    if (seen.has(f.rule)) continue;
    seen.add(f.rule);
    const info = rules.find((r) => r.id === f.rule);
    const rule = escapeMarkdown(f.rule);
    const lines = [`**SegLens ${rule}** ${codeSpan(f.name)} · ${escapeMarkdown(f.severity)}`, ''];
    // Explanations embed identifiers and expressions from the user's code: plain text, never markup.
    if (f.explanation) lines.push(escapeMarkdown(f.explanation));
    else if (info) lines.push(escapeMarkdown(info.summary));
    else lines.push(escapeMarkdown(f.message));
    lines.push('', `[Show documentation for ${rule}](${commandLink(LINT_COMMANDS.showRuleDocs, [f.rule])})`);
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n---\n\n');
}
