/**
 * The contract between the engine and the rules. A rule reads the module model and the per-function
 * analyses through its context and reports findings; it never parses or walks text itself.
 */
import { functionKey, moduleFingerprint, shiftFindings, type LintCache } from './cache';
import { FunctionEval } from './engine';
import type { FunctionInfo, ModuleModel } from './module';
import { insideError, nodeRange, rangeOf, textOf, type SNode } from './syntax';
import type { Finding, Fix, LintOptions, Range, RuleInfo, Severity, TextEdit } from './types';

export interface ResolvedOptions extends Required<
  Omit<LintOptions, 'rules' | 'layout' | 'modules' | 'timeBudgetMs'>
> {
  layout: LintOptions['layout'];
  timeBudgetMs?: number;
  modules?: LintOptions['modules'];
  rules: Readonly<Record<string, 'off' | Severity>>;
}

export interface ReportExtra {
  severity?: Severity;
  explanation?: string;
  fixes?: Fix[];
}

export class RuleContext {
  readonly findings: Finding[] = [];
  private readonly evals = new Map<FunctionInfo, FunctionEval>();
  private readonly seen = new Set<string>();

  /** The rule whose check() is running (set by the linter), for per-function caching. */
  currentRule?: RuleInfo;
  private fingerprint?: string;
  private readonly keys = new Map<FunctionInfo, string>();

  constructor(
    readonly model: ModuleModel,
    readonly options: ResolvedOptions,
    private readonly cache?: LintCache,
  ) {}

  private keyOf(fn: FunctionInfo): string {
    let k = this.keys.get(fn);
    if (k === undefined) {
      this.fingerprint ??= moduleFingerprint(this.model, this.options);
      k = functionKey(this.model, fn, this.fingerprint);
      this.keys.set(fn, k);
    }
    return k;
  }

  /**
   * Runs `cb` for every function (and the module body when asked), replaying cached findings for functions
   * whose content key is unchanged since an earlier lint.
   */
  forEachFunction(cb: (fn: FunctionInfo, ev: FunctionEval) => void, withModule: boolean): void {
    const rule = this.currentRule;
    for (const fn of this.model.functions) {
      if (!this.cache || !rule) {
        cb(fn, this.analysis(fn));
        continue;
      }
      const key = `${rule.id}\u0000${this.keyOf(fn)}`;
      const line = this.model.lineOf(fn.node);
      const hit = this.cache.get(key);
      if (hit) {
        for (const f of shiftFindings(hit.findings, line - hit.startLine)) this.push(f);
        continue;
      }
      const before = this.findings.length;
      cb(fn, this.analysis(fn));
      const added = this.findings.slice(before);
      const lastLine = this.model.lineOf({ ...fn.node, start: fn.node.end } as SNode);
      // A finding (or a fix edit: a call-site finding may fix the helper it calls) outside the function would be
      // replayed at a stale position when only the function moves.
      const within = (r: Range): boolean => r.start.line >= line && r.end.line <= lastLine;
      if (
        added.every(
          (f) => within(f.range) && (f.fixes ?? []).every((x) => x.edits.every((e) => within(e.range))),
        )
      ) {
        this.cache.set(key, { startLine: line, findings: added });
      }
    }
    if (withModule) cb(this.model.moduleFunction, this.analysis(this.model.moduleFunction));
  }

  private push(f: Finding): void {
    const key = `${f.rule}:${f.range.start.line}:${f.range.start.character}:${f.range.end.line}:${f.range.end.character}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(f);
  }

  /** The (cached, fully evaluated) analysis of one function. */
  analysis(fn: FunctionInfo): FunctionEval {
    let e = this.evals.get(fn);
    if (!e) {
      e = new FunctionEval(this.model, fn);
      e.evaluateAll();
      this.evals.set(fn, e);
    }
    return e;
  }

  text(node: SNode): string {
    return textOf(this.model.tree, node);
  }

  /**
   * The code of `node` for a message: whitespace collapsed and, past `max` characters, cut at a token boundary with
   * the brackets still open closed after an ellipsis (`keep.unsqueeze(…)`), never mid-token (issue 15 §8).
   */
  snippet(node: SNode, max = 50): string {
    return shortSnippet(this.text(node), max);
  }

  range(node: SNode): Range {
    return nodeRange(this.model.tree, node);
  }

  rangeOf(start: number, end: number): Range {
    return rangeOf(this.model.tree, start, end);
  }

  edit(node: SNode, newText: string): TextEdit {
    return { range: this.range(node), newText };
  }

  insert(offset: number, newText: string): TextEdit {
    return { range: this.rangeOf(offset, offset), newText };
  }

  /** "(assumed layout NHWC: Keras default channels_last; role: loss, passed to compile(loss=...))" */
  assumptions(
    fn: FunctionInfo,
    what: { layout?: boolean; role?: boolean } = { layout: true, role: true },
  ): string {
    const parts: string[] = [];
    if (what.layout && fn.layout) parts.push(`assumed layout ${fn.layout}: ${fn.layoutReason}`);
    if (what.role) parts.push(`role: ${fn.role}${fn.roleReason ? `, ${fn.roleReason}` : ''}`);
    return parts.length ? ` (${parts.join('; ')})` : '';
  }

  report(rule: RuleInfo, node: SNode, message: string, extra: ReportExtra = {}): void {
    this.reportRange(rule, node.start, node.end, message, extra, node);
  }

  reportRange(
    rule: RuleInfo,
    start: number,
    end: number,
    message: string,
    extra: ReportExtra = {},
    node?: SNode,
  ): void {
    if (node && insideError(node)) return;
    const setting = this.options.rules[rule.id] ?? this.options.rules[rule.name];
    if (setting === 'off') return;
    const finding: Finding = {
      rule: rule.id,
      name: rule.name,
      severity: setting ?? extra.severity ?? rule.severity,
      message,
      range: this.rangeOf(start, end),
      docs: rule.docs,
    };
    if (extra.explanation) finding.explanation = extra.explanation;
    if (extra.fixes && extra.fixes.length) finding.fixes = extra.fixes;
    this.push(finding);
  }
}

export interface Rule {
  info: RuleInfo;
  check(ctx: RuleContext): void;
}

/** Builds the registry entry of a rule from its id, name, severity and group. */
export function ruleInfo(
  id: string,
  name: string,
  severity: Severity,
  group: RuleInfo['group'],
  summary: string,
): RuleInfo {
  return { id, name, severity, group, summary, docs: `docs/rules/${id}.md` };
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** See RuleContext.snippet. */
export function shortSnippet(code: string, max: number): string {
  const text = code.replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const tokens = text.match(/\w+|'[^']*'|"[^"]*"|\s+|\S/g) ?? [];
  let out = '';
  const open: string[] = [];
  for (const t of tokens) {
    if (out.length + t.length > max) break;
    out += t;
    if (t in CLOSER) open.push(CLOSER[t]);
    else if (t === open[open.length - 1]) open.pop();
  }
  return `${out.trimEnd()}…${open.reverse().join('')}`;
}
