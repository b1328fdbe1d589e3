/**
 * The message a lint finding shows in the Problems panel. The panel shows one line per diagnostic, cut at the
 * panel's width, so several findings of one rule in one function (the three sums of a Dice term) read as the same
 * truncated sentence. The first line is therefore short, complete and distinct: the code the finding points at and
 * the rule's first clause; the full message follows on the next lines (the hover and the expanded row show it).
 * Pure, so the wording is unit-tested.
 */

/** Longest code excerpt put in the first line; longer ones end with "…". */
export const MAX_SNIPPET = 48;

/** Where a message's first clause ends: the first of these separators. */
const CLAUSE_ENDS = ['; ', ', so ', ': ', ' — ', '. '];

/** The message's first clause ("Dice term is summed over axis -1 (C) only"), without trailing punctuation. */
export function firstClause(message: string): string {
  const firstLine = message.split('\n', 1)[0];
  let end = firstLine.length;
  for (const sep of CLAUSE_ENDS) {
    const i = firstLine.indexOf(sep);
    if (i > 0 && i < end) end = i;
  }
  return firstLine.slice(0, end).replace(/[.,;:]+$/, '');
}

/** The code on one line, inner whitespace collapsed, at most MAX_SNIPPET characters. */
export function snippetText(code: string): string {
  const one = code.replace(/\s+/g, ' ').trim();
  return one.length <= MAX_SNIPPET ? one : `${one.slice(0, MAX_SNIPPET - 1).trimEnd()}…`;
}

/** First line `code: first clause`, then the whole message (unchanged, so nothing of it is lost). */
export function problemMessage(message: string, code?: string): string {
  const snippet = code ? snippetText(code) : '';
  const head = snippet ? `${snippet}: ${firstClause(message)}` : firstClause(message);
  return head === message ? message : `${head}\n${message}`;
}
