/**
 * A per-lint time budget, checked cooperatively: the evaluator and the rule loop call `checkBudget()`, which reads
 * the clock every 1024 calls and throws `BudgetExceeded` past the deadline. The linter turns that into one LL000
 * finding ("too large or complex to analyse") instead of a lint that holds its thread for minutes. The engine is
 * linear in file size; the budget is the backstop for shapes nobody has measured yet.
 *
 * Linting is synchronous and single-threaded, so one module-level deadline is enough; `withBudget` restores the
 * previous one (a nested lint of a related module shares the caller's).
 */

export class BudgetExceeded extends Error {
  constructor(
    /** Milliseconds spent when the lint stopped. */
    readonly elapsedMs: number,
    readonly budgetMs: number,
  ) {
    super(`lint stopped after ${Math.round(elapsedMs)} ms (budget ${budgetMs} ms)`);
  }
}

let deadline = Infinity;
let startedAt = 0;
let budget = 0;
let ticks = 0;

/** Runs `fn` with a deadline `ms` from now; undefined or non-finite: no deadline. */
export function withBudget<T>(ms: number | undefined, fn: () => T): T {
  if (ms === undefined || !Number.isFinite(ms) || deadline !== Infinity) return fn();
  startedAt = Date.now();
  budget = ms;
  deadline = startedAt + ms;
  ticks = 0;
  try {
    return fn();
  } finally {
    deadline = Infinity;
  }
}

/** Throws BudgetExceeded once the deadline has passed (the clock is read on every 1024th call). */
export function checkBudget(): void {
  if (deadline === Infinity || (++ticks & 1023) !== 0) return;
  const now = Date.now();
  if (now > deadline) throw new BudgetExceeded(now - startedAt, budget);
}

/** The same check without the sampling (between rules: cheap, and rare). */
export function checkBudgetNow(): void {
  if (deadline === Infinity) return;
  const now = Date.now();
  if (now > deadline) throw new BudgetExceeded(now - startedAt, budget);
}
