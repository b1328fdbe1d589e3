/**
 * createLinter(): the entry point the editor and the CLI use. It loads the parser once, then each lint()
 * parses (incrementally when given the previous tree), builds the module model, runs the registry's rules
 * and applies suppression comments.
 */
import { BudgetExceeded, checkBudgetNow, withBudget } from './budget';
import { digest, LintCache } from './cache';
import { buildModule, type ModuleModel } from './module';
import { PythonParser, type ParsedPython } from './parser';
import { RuleContext, type ResolvedOptions } from './rule';
import { ALL_RULES } from './rules';
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
    modules: options.modules,
    timeBudgetMs: options.timeBudgetMs,
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

/** The one LL000 finding of a file that was not (fully) linted: too long, or over the time budget. */
export function notLinted(message: string): Finding {
  return {
    rule: 'LL000',
    name: 'file-too-large',
    severity: 'info',
    message,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    docs: 'docs/rules/README.md',
  };
}

/** The framework of the first imported project module that has one (`from utils.metrics import soft_dice`). */
function importedFamily(
  model: ModuleModel,
  related: (name: string) => ModuleModel | undefined,
): ModuleModel['family'] {
  for (const path of new Set(model.aliases.values())) {
    const dotted = path.replace(/^\.+/, '');
    // `utils.metrics.soft_dice` (a name imported from a module) or `utils.metrics` (the module itself).
    const dot = dotted.lastIndexOf('.');
    const family = related(dotted)?.family ?? (dot > 0 ? related(dotted.slice(0, dot))?.family : undefined);
    if (family) return family;
  }
  return undefined;
}

/** Rule failures are programming errors; they are kept here (and surfaced by tests) instead of failing a lint. */
export const internalErrors: string[] = [];

class PythonLinter implements Linter {
  private readonly cache = new LintCache();
  /** Parsed LintOptions.modules, by name and content digest, so unchanged modules are parsed once. */
  private readonly related = new Map<string, { digest: string; model: ModuleModel }>();
  constructor(private readonly parser: PythonParser) {}

  private relatedModel(name: string, text: string, options: ResolvedOptions): ModuleModel | undefined {
    if (text.length > options.maxLength) return undefined;
    const key = digest(text + JSON.stringify({ ...options, modules: undefined }));
    const hit = this.related.get(name);
    if (hit && hit.digest === key) return hit.model;
    const parsed = this.parser.parse(text);
    // Only the plain copy is kept: the related module is never re-parsed incrementally.
    parsed.dispose();
    const model = buildModule(parsed.syntax, { ...options, modules: undefined });
    if (this.related.size > 500) this.related.clear();
    this.related.set(name, { digest: key, model });
    return model;
  }

  lint(text: string, options?: LintOptions, previous?: PreviousParse): LintResult {
    const resolved = resolveOptions(options);
    if (text.length > resolved.maxLength) {
      previous?.tree.dispose();
      return {
        tree: new UnparsedText(text),
        findings: [
          notLinted(
            `Not linted: the file has ${text.length} characters, over the limit of ${resolved.maxLength}.`,
          ),
        ],
      };
    }
    const parsed = this.parser.parse(text, previous);
    try {
      return withBudget(resolved.timeBudgetMs, () => this.analyse(parsed, resolved));
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      return {
        tree: parsed,
        findings: [
          notLinted(
            `Not linted: the file is too large or complex to analyse within the time budget ` +
              `(stopped after ${Math.round(e.elapsedMs)} ms; budget ${e.budgetMs} ms).`,
          ),
        ],
      };
    }
  }

  private analyse(parsed: ParsedPython, resolved: ResolvedOptions): LintResult {
    let model = buildModule(parsed.syntax, resolved);
    const modules = resolved.modules;
    if (modules) {
      const related = (name: string): ModuleModel | undefined => {
        const text = Object.prototype.hasOwnProperty.call(modules, name) ? modules[name] : undefined;
        return text === undefined ? undefined : this.relatedModel(name, text, resolved);
      };
      // A file that shows no framework of its own (it only imports its helpers) takes the framework of the project
      // modules it imports, so its tensors get that framework's default layout.
      if (!model.family) {
        const family = importedFamily(model, related);
        if (family) model = buildModule(parsed.syntax, resolved, family);
      }
      model.related = related;
    }
    const ctx = new RuleContext(model, resolved, this.cache);
    for (const rule of ALL_RULES) {
      ctx.currentRule = rule.info;
      checkBudgetNow();
      try {
        rule.check(ctx);
      } catch (e) {
        if (e instanceof BudgetExceeded) throw e;
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
