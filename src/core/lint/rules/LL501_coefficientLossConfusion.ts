/**
 * LL501 coefficient-loss-confusion (W). Docs: docs/rules/LL501.md.
 * A function that returns a similarity (an overlap ratio, higher is better) is minimised as a loss: passed to
 * compile(loss=...) or its result reaches .backward(). `1 - dice`, `-dice` and `-log(dice)` are fine.
 */
import { ruleInfo, type Rule } from '../rule';

export const info = ruleInfo(
  'LL501',
  'coefficient-loss-confusion',
  'warning',
  5,
  'A similarity (higher is better) is used as a loss: minimising Dice drives it towards 0.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    const m = ctx.model;
    const check = (name: string, at: import('../syntax').SNode, how: string): void => {
      const fn = m.functionsByName.get(name);
      if (!fn) return;
      const v = ctx.analysis(fn).returnValue();
      if (v.sim !== 1) return;
      ctx.report(
        info,
        at,
        `\`${name}\` returns a similarity (higher is better) but is ${how}: minimising it drives the overlap towards 0. Return 1 - score (or -score).`,
        {
          explanation:
            'Minimising the Dice coefficient itself makes the prediction worse. -dice and -log(dice) are valid losses.',
        },
      );
    };
    for (const use of m.compileUses)
      if (use.kind === 'loss') check(use.name, use.node, 'passed to compile(loss=...)');
    for (const [name, call] of m.backwardUses)
      if (!name.includes('.')) check(name, call, 'differentiated with .backward()');
  },
};
