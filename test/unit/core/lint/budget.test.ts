// The per-lint time budget (budget.ts): past it a lint stops with one LL000 finding that names the time spent; the
// deadline is cleared afterwards, so the next lint without a budget runs to the end.
import assert from 'node:assert/strict';
import { BudgetExceeded, checkBudget, checkBudgetNow, withBudget } from '../../../../src/core/lint/budget';
import { concatSites, MAX_SITES, type Site } from '../../../../src/core/lint/values';
import { longForward } from './generated';
import { getLinter } from './helpers';

describe('core/lint time budget', () => {
  it('a lint over its budget returns one LL000 finding with the time spent', async () => {
    const linter = await getLinter();
    const text = longForward(3000);
    const r = linter.lint(text, { timeBudgetMs: 0 });
    r.tree.dispose();
    assert.equal(r.findings.length, 1);
    const [f] = r.findings;
    assert.equal(f.rule, 'LL000');
    assert.match(
      f.message,
      /too large or complex to analyse within the time budget \(stopped after \d+ ms; budget 0 ms\)/,
    );
    // No budget: the same text lints fully (no LL000), so the deadline did not leak into the next lint.
    const full = linter.lint(text);
    full.tree.dispose();
    assert.ok(full.findings.every((x) => x.rule !== 'LL000'));
  });

  it('checkBudget throws only past the deadline, and only inside withBudget', () => {
    for (let i = 0; i < 5000; i++) checkBudget(); // no deadline: never throws
    assert.throws(
      () =>
        withBudget(0, () => {
          const until = Date.now() + 3;
          while (Date.now() <= until);
          for (let i = 0; i < 2048; i++) checkBudget();
        }),
      (e: unknown) => e instanceof BudgetExceeded && e.budgetMs === 0 && e.elapsedMs >= 1,
    );
    assert.equal(
      withBudget(60_000, () => {
        for (let i = 0; i < 5000; i++) checkBudget();
        checkBudgetNow();
        return 'done';
      }),
      'done',
    );
    checkBudgetNow();
  });

  it('site lists are shared when one side is empty and capped at MAX_SITES', () => {
    const site = (i: number): Site => ({ kind: 'sum', chain: [], axisKeyword: false, i }) as unknown as Site;
    const a = [site(0), site(1)];
    assert.equal(concatSites(a, []), a);
    assert.equal(concatSites([], a), a);
    const many = Array.from({ length: MAX_SITES - 1 }, (_, i) => site(i));
    const joined = concatSites(many, [site(100), site(101)]);
    assert.equal(joined.length, MAX_SITES);
    assert.deepEqual(joined.slice(0, MAX_SITES - 1), many);
    assert.equal((joined[MAX_SITES - 1] as unknown as { i: number }).i, 100);
    const full = concatSites(joined, [site(200)]);
    assert.equal(full, joined);
  });
});
