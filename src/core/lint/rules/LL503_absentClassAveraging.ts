/**
 * LL503 absent-class-averaging (W for metrics, I for losses). Docs: docs/rules/LL503.md.
 * A smoothed per-class ratio (empty/empty = 1) averaged over the class axis: classes absent from both target and
 * prediction score 1 and inflate the mean.
 */
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL503',
  'absent-class-averaging',
  'warning',
  5,
  'Classes absent from both target and prediction score 1 (or 0/NaN) and are averaged in.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      if (fn.role === 'helper') return;
      for (const site of ev.events.reduces) {
        const v = site.operand;
        if (
          v.sim !== 1 ||
          !v.guarded ||
          !v.multiclass ||
          !site.operandAxes?.includes('C') ||
          !site.reducedLabels?.has('C')
        )
          continue;
        ctx.report(
          info,
          site.call,
          `Classes absent from both target and prediction score (0 + s)/(0 + s) = 1 and are averaged in, inflating rare-class scores${ctx.assumptions(fn, { role: true })}.`,
          {
            severity: fn.role === 'metric' ? 'warning' : 'info',
            explanation:
              'torchmetrics#2850 reports 99.9% for a class that was never predicted correctly. Exclude absent classes from the mean (mask them as NaN and use nanmean) and report how many were excluded.',
          },
        );
        break;
      }
    });
  },
};
