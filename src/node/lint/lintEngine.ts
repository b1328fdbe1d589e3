/**
 * The worker side of linting, kept apart from the worker_threads wiring so plain-node tests drive it directly: it
 * owns the linter (created on the first request, so the parser loads at first lint) and the last syntax tree of
 * each document. The worker serves `lint` and `close` from it, in order; a failure is thrown (the RPC answers it).
 */
import { createLinter } from '../../core/lint';
import type { Linter, LinterWasm, ParsedText } from '../../core/lint/types';
import type { LintInput, LintResult } from './workerProtocol';

/**
 * Time budget of one lint in the worker: past it the lint stops with one LL000 finding ("too large or complex to
 * analyse, N ms"). The engine is linear (a 16,000-line generated file lints in about 2 s), so only pathological
 * input gets here; it stays well below the client's hang timeout (LINT_TIMEOUT_MS), which would lose the worker.
 */
export const LINT_TIME_BUDGET_MS = 10_000;

export class LintEngine {
  private linter: Promise<Linter> | undefined;
  private readonly trees = new Map<string, ParsedText>();

  constructor(private readonly loadWasm: () => Promise<LinterWasm>) {}

  private getLinter(): Promise<Linter> {
    if (!this.linter) {
      this.linter = this.loadWasm().then((wasm) => createLinter({ wasm }));
      // A failed load is retried on the next request rather than remembered forever.
      this.linter.catch(() => (this.linter = undefined));
    }
    return this.linter;
  }

  /** Number of trees held (tests check that closing frees them). */
  get treeCount(): number {
    return this.trees.size;
  }

  /** Frees the tree kept for `key`. */
  close(key: string): void {
    this.trees.get(key)?.dispose();
    this.trees.delete(key);
  }

  async lint(req: LintInput): Promise<LintResult> {
    const linter = await this.getLinter();
    const old = this.trees.get(req.key);
    this.trees.delete(req.key);
    const previous = old && req.edits ? { tree: old, edits: req.edits } : undefined;
    if (old && !previous) old.dispose();
    const started = performance.now();
    const options = { ...req.options, timeBudgetMs: req.options.timeBudgetMs ?? LINT_TIME_BUDGET_MS };
    const result = linter.lint(req.text, options, previous);
    const ms = performance.now() - started;
    const hasSyntaxErrors = result.tree.hasSyntaxErrors;
    if (req.keep) this.trees.set(req.key, result.tree);
    else result.tree.dispose();
    return { findings: result.findings, hasSyntaxErrors, ms, incremental: previous !== undefined };
  }

  dispose(): void {
    for (const t of this.trees.values()) t.dispose();
    this.trees.clear();
    void this.linter?.then(
      (l) => l.dispose(),
      () => undefined,
    );
    this.linter = undefined;
  }
}
