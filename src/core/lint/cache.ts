/**
 * Findings cache for re-linting while the user types. A function whose text, inferred facts and surroundings
 * did not change produces the same findings, only moved by whole lines, so they are replayed instead of
 * re-analysed. Keys are built from content, never from positions, so a stale entry can only be unused, not
 * wrong; findings that point outside their function are never cached.
 */
import type { FunctionInfo, ModuleModel } from './module';
import { child, textOf, walk } from './syntax';
import type { Finding, LintOptions } from './types';

interface Entry {
  startLine: number;
  findings: Finding[];
}

const MAX_ENTRIES = 20000;

export class LintCache {
  private entries = new Map<string, Entry>();

  get(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: Entry): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, entry);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * A 64-bit content hash (two 32-bit FNV-1a variants plus the length) as a short string: map keys stay small,
 * because hashing long keys on every lookup would cost more than the analysis they save.
 */
export function digest(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}.${text.length.toString(36)}`;
}

/** Names of the local functions a function body calls, memoised per node object (reused nodes keep content). */
const calleeMemo = new WeakMap<object, string[]>();

function calleeNames(model: ModuleModel, fn: FunctionInfo): string[] {
  let names = calleeMemo.get(fn.node);
  if (!names) {
    const { tree } = model;
    const out = new Set<string>();
    walk(fn.body, (n) => {
      if (n.type === 'call') {
        const callee = child(n, 'function');
        if (callee && callee.type === 'identifier') out.add(textOf(tree, callee));
      }
      return true;
    });
    names = [...out];
    calleeMemo.set(fn.node, names);
  }
  return names;
}

/** Digests of LintOptions.modules, memoised per object: editors pass the same map for many lints. */
const modulesDigest = new WeakMap<object, string>();

function optionsKey(options: LintOptions): string {
  const modules = options.modules;
  if (!modules) return JSON.stringify(options);
  let d = modulesDigest.get(modules);
  if (d === undefined) {
    d = digest(JSON.stringify(modules));
    modulesDigest.set(modules, d);
  }
  return JSON.stringify({ ...options, modules: d });
}

/** Everything outside function bodies that an analysis may read. */
export function moduleFingerprint(model: ModuleModel, options: LintOptions): string {
  const { tree } = model;
  const parts: string[] = [
    optionsKey(options),
    model.family ?? '',
    JSON.stringify(model.moduleLayout ?? null),
  ];
  for (const stmt of tree.root.children) {
    if (stmt.type === 'function_definition' || stmt.type === 'class_definition' || stmt.type === 'comment')
      continue;
    if (stmt.type === 'decorated_definition') continue;
    parts.push(textOf(tree, stmt));
  }
  parts.push(model.compileUses.map((u) => `${u.kind}:${u.name}`).join(','));
  parts.push([...model.backwardUses.keys()].join(','));
  parts.push(model.integerMaskEvidence ? 'int-masks' : '');
  parts.push([...model.functionsByName.keys()].sort().join(','));
  parts.push([...model.classes.values()].map((c) => `${c.name}(${c.bases.join(',')})`).join(','));
  return digest(parts.join('\u0001'));
}

/** Content key of one function: its text, facts, enclosing class and the functions and classes it uses (three levels, as deep as the engine follows calls). */
export function functionKey(model: ModuleModel, fn: FunctionInfo, fingerprint: string): string {
  const { tree } = model;
  const line = model.lineOf(fn.node);
  const column = fn.node.start - tree.lineStarts[line];
  const parts = [
    fingerprint,
    String(column),
    fn.role,
    fn.roleReason,
    fn.layout ?? '',
    fn.layoutReason,
    fn.family ?? '',
    textOf(tree, fn.node),
  ];
  if (fn.className) {
    const cls = model.classes.get(fn.className);
    if (cls) parts.push(textOf(tree, cls.node));
  }
  const seen = new Set<string>([fn.name]);
  let frontier = [fn];
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next: FunctionInfo[] = [];
    for (const f of frontier) {
      for (const name of calleeNames(model, f)) {
        // Instantiated classes (`head = MaskHead()`) are read through their forward/call methods.
        const cls = model.classes.get(name);
        if (cls && !seen.has(name)) {
          seen.add(name);
          parts.push(textOf(tree, cls.node));
        }
        const g = model.functionsByName.get(name);
        if (g && !seen.has(name)) {
          seen.add(name);
          parts.push(`${g.role}|${g.layout}|${textOf(tree, g.node)}`);
          next.push(g);
        }
      }
    }
    frontier = next;
  }
  return digest(parts.join('\u0002'));
}

/** A copy of the findings moved by `lines` lines (ranges of fixes included). */
export function shiftFindings(findings: readonly Finding[], lines: number): readonly Finding[] {
  // Findings are never mutated after they are reported, so unmoved ones are shared, not copied.
  if (lines === 0) return findings;
  const move = <
    T extends { start: { line: number; character: number }; end: { line: number; character: number } },
  >(
    r: T,
  ): T => ({
    ...r,
    start: { line: r.start.line + lines, character: r.start.character },
    end: { line: r.end.line + lines, character: r.end.character },
  });
  return findings.map((f) => {
    const out: Finding = { ...f, range: move(f.range) };
    if (f.fixes)
      out.fixes = f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, range: move(e.range) })) }));
    return out;
  });
}
