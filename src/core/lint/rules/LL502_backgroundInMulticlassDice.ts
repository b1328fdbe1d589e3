/**
 * LL502 background-in-multiclass-dice (I). Docs: docs/rules/LL502.md.
 * A per-class Dice (class axis kept) averaged over every class, background included, with no `[:, 1:]`,
 * `do_bg` or `include_background` switch.
 */
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL502',
  'background-in-multiclass-dice',
  'info',
  5,
  'Multi-class Dice averages the background class; its near-1 score inflates the mean.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      if (fn.params.some((p) => /background|bg/i.test(p.name))) return;
      if (ev.events.slices.some((s) => s.label === 'C')) return;
      for (const site of ev.events.reduces) {
        const v = site.operand;
        if (v.sim !== 1 || !v.multiclass || !site.operandAxes?.includes('C') || !site.reducedLabels?.has('C'))
          continue;
        ctx.report(
          info,
          site.call,
          `This mean over classes includes the background class, whose near-1 Dice inflates the average${ctx.assumptions(fn, { layout: true })}.`,
          {
            explanation:
              'Average over the foreground classes only (e.g. per_class[:, 1:].mean()), or make the choice an explicit option.',
          },
        );
        break;
      }
    });
  },
};
