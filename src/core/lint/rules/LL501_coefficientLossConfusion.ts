/**
 * LL501 coefficient-loss-confusion (W). Docs: docs/rules/LL501.md.
 * A function that returns a similarity (an overlap ratio, higher is better) is minimised as a loss: passed to
 * compile(loss=...) or its result reaches .backward(). `1 - dice`, `-dice` and `-log(dice)` are fine.
 */
import { ruleInfo, type Rule } from '../rule';
import { child, operatorOf, textOf, unparen, type SNode } from '../syntax';

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
    // A loss that already returns -score (lower is better) used as if it were the score: `1 - other_loss(p, t)`
    // is 1 + score, which training then drives the wrong way (the sign crosses the call, issue 15 §1).
    for (const fn of m.functions) {
      if (fn.role !== 'loss') continue;
      const ev = ctx.analysis(fn);
      const ret = ev.returns[ev.returns.length - 1];
      const e = ret ? unparen(ret) : undefined;
      if (!e || e.type !== 'binary_operator' || operatorOf(m.tree, e) !== '-') continue;
      const left = child(e, 'left');
      const right = child(e, 'right');
      const callee = right && unparen(right).type === 'call' ? child(unparen(right), 'function') : undefined;
      if (!left || !callee || callee.type !== 'identifier' || ev.evalNode(left).num !== 1) continue;
      const g = m.functionsByName.get(textOf(m.tree, callee));
      if (!g || g === fn || ctx.analysis(g).returnValue().sim !== -1) continue;
      ctx.report(
        info,
        right as SNode,
        `\`${g.name}\` already returns a loss (-score, lower is better); \`1 - ${g.name}(...)\` is 1 + score, so minimising it drives the overlap towards 0.`,
        {
          explanation: `Use ${g.name}(...) as the loss directly, or have it return the score and keep 1 - score here.`,
        },
      );
    }
  },
};
