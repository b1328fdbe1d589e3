/**
 * LL306 fractional-power-at-zero (I). Docs: docs/rules/LL306.md.
 * `(1 - p) ** gamma` with 0 < gamma < 1 has an infinite derivative at p = 1.
 */
import { parseNumber } from '../values';
import { ruleInfo, type Rule } from '../rule';
import { child, operatorOf, textOf, unparen } from '../syntax';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL306',
  'fractional-power-at-zero',
  'info',
  3,
  '(1-p)**gamma with gamma < 1 has an infinite gradient at p = 1.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    eachFunction(ctx, (fn, ev) => {
      for (const p of ev.events.pows) {
        const g = ev.evalNode(p.exponentNode).num;
        if (g === undefined || g <= 0 || g >= 1) continue;
        const base = unparen(p.baseNode);
        const complement =
          base.type === 'binary_operator' &&
          operatorOf(tree, base) === '-' &&
          parseNumber(textOf(tree, child(base, 'left') ?? base)) === 1;
        if (!complement && !(p.base.src && !p.base.guarded)) continue;
        ctx.report(
          info,
          p.node,
          `Exponent ${g} < 1: the derivative of x^${g} is infinite at x = 0, so the gradient explodes where the base reaches 0.`,
          {
            explanation:
              'Keep exponents ≥ 1, or clamp the base away from 0 (e.g. clamp_min(1e-6)) before the power.',
          },
        );
      }
    });
  },
};
