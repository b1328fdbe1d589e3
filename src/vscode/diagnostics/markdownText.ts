/**
 * Text from the user's code or from rule messages that quote it, made safe for a hover's markdown. The hover is
 * trusted for one command (the rule's documentation), so a snippet must never become markup: no link (a
 * `[x](command:…)` would run with the hover's trust), no HTML (`<img onerror>`), no code span or heading that
 * swallows the rest of the text. Pure: unit-tested with hostile snippets.
 */

// CommonMark lets a backslash escape every ASCII punctuation character, and then shows it literally. We escape all
// of them that markup, entities (`&lt;`) or GFM autolinks (`www.x.com`, `https://…`, `a@b.io`) can start from,
// keeping only `,;?"'/%` (which start nothing alone) plain, and a decimal point between digits ("0.50": never a
// list marker nor a domain), so the raw text of a hover stays readable and searchable.
const PUNCTUATION = /(?<!\d)\.|\.(?!\d)|[!#$&()*+\-:<=>@[\\\]^_`{|}~]/g;

/**
 * Shows `text` literally in markdown: punctuation escaped, line breaks kept as hard breaks, and a line's leading
 * spaces kept as no-break spaces (markdown drops them, and four of them would start a code block).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(PUNCTUATION, (c) => `\\${c}`)
    .replace(/\t/g, ' ')
    .split(/\r\n?|\n/)
    .map((line) => line.replace(/^ +/, (spaces) => '&nbsp;'.repeat(spaces.length)))
    .join('  \n');
}

/**
 * An inline code span showing `text` exactly: the fence is one backtick longer than the longest run inside, and
 * padded with spaces when the text starts or ends with a backtick (CommonMark strips one space each side).
 * Line breaks become spaces, since a code span cannot hold one.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  if (flat === '') return '';
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Percent-encodes a `command:` link's JSON arguments completely: encodeURIComponent leaves `(`, `)`, `'`, `!` and
 * `*` alone, and an unbalanced `)` would end the markdown link early.
 */
export function encodeLinkArgs(args: unknown[]): string {
  return encodeURIComponent(JSON.stringify(args)).replace(
    /[()'!*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
