/**
 * createLinter(): the entry point the editor and the CLI use. It loads the parser once, then each lint()
 * parses (incrementally when given the previous tree), builds the module model, runs the registry's rules
 * and applies suppression comments.
 */
import { LintCache } from './cache';
import { buildModule } from './module';
import { PythonParser } from './parser';
import { RuleContext, type ResolvedOptions } from './rule';
import { ALL_RULES } from './rules/index';
import { applySuppressions, collectSuppressions } from './suppress';
import type {
  CreateLinterOptions,
  Finding,
  Linter,
  LintOptions,
  LintResult,
  ParsedText,
  PreviousParse,
} from './types';

/** About 30,000 lines: linting more takes seconds, too long for an editor to wait on. */
export const DEFAULT_MAX_LENGTH = 1_000_000;

export function resolveOptions(options: LintOptions = {}): ResolvedOptions {
  return {
    layout: options.layout ?? 'auto',
    rules: options.rules ?? {},
    targetsCanBeEmpty: options.targetsCanBeEmpty ?? true,
    oversizedSmooth: options.oversizedSmooth ?? 10,
    meanSmoothThreshold: options.meanSmoothThreshold ?? 1e-3,
    maxLength: options.maxLength ?? DEFAULT_MAX_LENGTH,
  };
}

/** Stand-in tree for texts over the size cap: nothing was parsed, nothing to dispose. */
class UnparsedText implements ParsedText {
  readonly hasSyntaxErrors = false;
  constructor(readonly text: string) {}
  dispose(): void {}
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.rule.localeCompare(b.rule)
  );
}

/** Rule failures are programming errors; they are kept here (and surfaced by tests) instead of failing a lint. */
export const internalErrors: string[] = [];

class PythonLinter implements Linter {
  private readonly cache = new LintCache();
  constructor(private readonly parser: PythonParser) {}

  lint(text: string, options?: LintOptions, previous?: PreviousParse): LintResult {
    const resolved = resolveOptions(options);
    if (text.length > resolved.maxLength) {
      previous?.tree.dispose();
      return {
        tree: new UnparsedText(text),
        findings: [
          {
            rule: 'LL000',
            name: 'file-too-large',
            severity: 'info',
            message: `Not linted: the file has ${text.length} characters, over the limit of ${resolved.maxLength}.`,
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            docs: 'docs/rules/README.md',
          },
        ],
      };
    }
    const parsed = this.parser.parse(text, previous);
    const model = buildModule(parsed.syntax, resolved);
    const ctx = new RuleContext(model, resolved, this.cache);
    for (const rule of ALL_RULES) {
      ctx.currentRule = rule.info;
      try {
        rule.check(ctx);
      } catch (e) {
        // Kept short and bounded: a long-running editor must not accumulate them.
        if (internalErrors.length < 100) {
          internalErrors.push(`${rule.info.id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
      }
    }
    const findings = applySuppressions(ctx.findings, collectSuppressions(parsed.syntax)).sort(
      compareFindings,
    );
    return { findings, tree: parsed };
  }

  dispose(): void {
    this.cache.clear();
    this.parser.dispose();
  }
}

export async function createLinter(options: CreateLinterOptions): Promise<Linter> {
  return new PythonLinter(await PythonParser.create(options.wasm));
}
