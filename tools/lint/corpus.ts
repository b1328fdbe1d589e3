/**
 * The realistic loss-lint corpus (issue 15): Python files under test/fixtures/lint/realistic/ whose functions are
 * grouped into cases (`# case: <id> — <what>` before them) with the findings a correct linter reports marked on
 * their lines (`# expect: LL101, LL101`). A case with no marker is correct code. This scores a linter on it:
 *
 * - recall: expected findings found (same rule, same case; each finding counts once) over expected findings;
 * - precision: matched findings over matched + unexpected error/warning findings (unexpected info findings are
 *   hints, not counted);
 * - clean: correct cases with no error or warning finding.
 *
 * The files of the corpus are each other's modules (as in `seglens lint DIR`), so a loss in project/losses.py sees
 * the helpers of project/utils/metrics.py. Used by test/unit/core/lint/realistic.test.ts and bench/lint.bench.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Finding, Linter } from '../../src/core/lint/types';

export interface CorpusCase {
  file: string;
  id: string;
  /** 0-based first and last line of the case (up to the next case or the end of the file). */
  startLine: number;
  endLine: number;
  /** Expected rule ids, one entry per expected finding. */
  expected: string[];
}

export interface CaseResult {
  case: CorpusCase;
  /** Findings of the case's lines that count: error/warning, and info findings of an expected rule. */
  found: Finding[];
  matched: number;
  missed: string[];
  unexpected: Finding[];
}

export interface CorpusScore {
  files: number;
  cases: number;
  correctCases: number;
  cleanCorrectCases: number;
  expected: number;
  matched: number;
  unexpected: number;
  recall: number;
  precision: number;
  results: CaseResult[];
  ms: number;
}

/** Every .py file under `dir`, sorted, as paths relative to it. */
function pythonFiles(dir: string, sub = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, sub)).sort()) {
    const rel = sub ? `${sub}/${name}` : name;
    if (statSync(join(dir, rel)).isDirectory()) out.push(...pythonFiles(dir, rel));
    else if (name.endsWith('.py')) out.push(rel);
  }
  return out;
}

/** The cases of one file, from its `# case:` and `# expect:` comments. */
export function parseCases(file: string, text: string): CorpusCase[] {
  const lines = text.split('\n');
  const cases: CorpusCase[] = [];
  lines.forEach((line, i) => {
    const c = /^#\s*case:\s*(\S+)/.exec(line);
    if (c) {
      if (cases.length) cases[cases.length - 1].endLine = i - 1;
      cases.push({ file, id: c[1], startLine: i, endLine: lines.length - 1, expected: [] });
      return;
    }
    // A marker lists rule ids (`# expect: LL101, LL101`); prose that mentions the marker is not one.
    const m = /#\s*expect:\s*(LL\d{3}.*)$/.exec(line);
    if (!m) return;
    if (!cases.length) throw new Error(`${file}:${i + 1}: an expectation before the first case`);
    for (const item of m[1].split(',')) {
      const rule = item.trim();
      if (!/^LL\d{3}$/.test(rule)) throw new Error(`${file}:${i + 1}: bad expectation '${item}'`);
      cases[cases.length - 1].expected.push(rule);
    }
  });
  return cases;
}

/**
 * The text with the corpus's own annotations blanked (same length, same lines): a `# case:` description such as
 * "summed over axis=-1 on NHWC masks" sits where a shape comment would, and must not tell the linter the answer.
 */
export function withoutAnnotations(text: string): string {
  return text.replace(/#\s*(case|expect):[^\n]*/g, (m) => '#' + ' '.repeat(m.length - 1));
}

/** Files as importable modules: `project/utils/metrics.py` is "utils.metrics", "project.utils.metrics", "metrics". */
function moduleMap(texts: ReadonlyArray<{ file: string; text: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { file, text } of texts) {
    const parts = file.replace(/\.py$/, '').split('/');
    if (parts[parts.length - 1] === '__init__') parts.pop();
    for (let i = parts.length - 1; i >= 0; i--) {
      const name = parts.slice(i).join('.');
      if (name && !(name in out)) out[name] = text;
    }
  }
  return out;
}

/** Lints every file of the corpus in `dir` and scores the findings against the cases. */
export function scoreCorpus(linter: Linter, dir: string): CorpusScore {
  const files = pythonFiles(dir);
  const texts = files.map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
  const modules = moduleMap(texts.map(({ file, text }) => ({ file, text: withoutAnnotations(text) })));
  const results: CaseResult[] = [];
  const started = performance.now();
  for (const { file, text } of texts) {
    const cases = parseCases(relative(dir, join(dir, file)), text);
    if (!cases.length) continue;
    const { findings, tree } = linter.lint(withoutAnnotations(text), { modules });
    tree.dispose();
    for (const c of cases) {
      const inCase = findings.filter(
        (f) => f.range.start.line >= c.startLine && f.range.start.line <= c.endLine,
      );
      const found = inCase.filter((f) => f.severity !== 'info' || c.expected.includes(f.rule));
      const left = [...found];
      const missed: string[] = [];
      let matched = 0;
      for (const rule of c.expected) {
        const k = left.findIndex((f) => f.rule === rule);
        if (k >= 0) {
          left.splice(k, 1);
          matched++;
        } else missed.push(rule);
      }
      // Unmatched info findings of an expected rule are extra hints, not false alarms.
      const unexpected = left.filter((f) => f.severity !== 'info');
      results.push({ case: c, found, matched, missed, unexpected });
    }
  }
  const ms = performance.now() - started;
  const expected = results.reduce((a, r) => a + r.case.expected.length, 0);
  const matched = results.reduce((a, r) => a + r.matched, 0);
  const unexpected = results.reduce((a, r) => a + r.unexpected.length, 0);
  const correct = results.filter((r) => r.case.expected.length === 0);
  return {
    files: new Set(results.map((r) => r.case.file)).size,
    cases: results.length,
    correctCases: correct.length,
    cleanCorrectCases: correct.filter((r) => r.unexpected.length === 0).length,
    expected,
    matched,
    unexpected,
    recall: expected ? matched / expected : 1,
    precision: matched + unexpected ? matched / (matched + unexpected) : 1,
    results,
    ms,
  };
}

/** A short multi-line report: totals, then every case that missed or over-reported. */
export function formatScore(s: CorpusScore): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const lines = [
    `realistic corpus: ${s.cases} cases in ${s.files} files (${s.correctCases} correct), ` +
      `${s.expected} expected findings`,
    `recall ${pct(s.recall)} (${s.matched}/${s.expected}), precision ${pct(s.precision)} ` +
      `(${s.matched}/${s.matched + s.unexpected}), correct cases clean ${s.cleanCorrectCases}/${s.correctCases}, ` +
      `${Math.round(s.ms)} ms`,
  ];
  for (const r of s.results) {
    if (!r.missed.length && !r.unexpected.length) continue;
    const parts: string[] = [];
    if (r.missed.length) parts.push(`missed ${r.missed.join(', ')}`);
    if (r.unexpected.length)
      parts.push(`unexpected ${r.unexpected.map((f) => `${f.rule}@${f.range.start.line + 1}`).join(', ')}`);
    lines.push(`  ${r.case.file} ${r.case.id}: ${parts.join('; ')}`);
  }
  return lines.join('\n');
}
