/**
 * A small glob dialect for pairing patterns, compiled to regular expressions: `*` (within a path segment),
 * `**` + `/` (any number of folders), `?` (one character) and `{a,b}` (alternatives). The **first** `*` of a pattern
 * captures the sample's stem, which is what pairs files of different roles.
 */

export interface CompiledGlob {
  pattern: string;
  regex: RegExp;
  /** Number of literal characters: a more literal pattern is a more specific one. */
  specificity: number;
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * Literal characters a match must contain: wildcards count 0 and a `{a,b}` group counts its shortest alternative,
 * so long extension lists do not make a pattern look more specific than it is.
 */
function literalLength(pattern: string): number {
  let p = pattern.replace(/\*\*\//g, '');
  for (;;) {
    const next = p.replace(/\{([^{}]*)\}/g, (_m, body: string) =>
      body.split(',').reduce((a, b) => (b.length < a.length ? b : a)),
    );
    if (next === p) break;
    p = next;
  }
  return p.replace(/[*?]/g, '').length;
}

/**
 * Compiles a pattern. It is matched against the **end** of a path (at a folder boundary), so `masks/*.png` matches
 * `/data/run1/masks/a.png`; what precedes the match is the sample's folder.
 * @throws RangeError for a pattern without `*` (it could not capture a stem) or with unbalanced braces.
 */
export function compileGlob(pattern: string): CompiledGlob {
  // Patterns match at the end of a path anyway; a leading "**/" would only swallow the sample's folder.
  const body = pattern.replace(/^(\*\*\/)+/, '');
  let re = '';
  let captured = false;
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '*' && body[i + 1] === '*' && body[i + 2] === '/') {
      re += '(?:[^/]+/)*';
      i += 2;
    } else if (ch === '*') {
      re += captured ? '[^/]*' : '([^/]+?)';
      captured = true;
    } else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      re += '(?:';
      depth++;
    } else if (ch === '}') {
      if (depth === 0) throw new RangeError(`pairing pattern '${pattern}': unbalanced '}'`);
      re += ')';
      depth--;
    } else if (ch === ',' && depth > 0) re += '|';
    else re += escapeRegex(ch);
  }
  if (depth !== 0) throw new RangeError(`pairing pattern '${pattern}': unbalanced '{'`);
  if (!captured) throw new RangeError(`pairing pattern '${pattern}' needs a '*' for the file stem`);
  return { pattern, regex: new RegExp(`(?:^|/)${re}$`, 'i'), specificity: literalLength(pattern) };
}

/** Matches a path; returns the folder before the match (with trailing '/') and the captured stem, or null. */
export function matchGlob(g: CompiledGlob, path: string): { folder: string; stem: string } | null {
  const m = g.regex.exec(path);
  if (!m) return null;
  const start = m.index + (path[m.index] === '/' ? 1 : 0);
  return { folder: path.slice(0, start), stem: m[1] };
}
