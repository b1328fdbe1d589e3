/**
 * LL201 hard-threshold-in-loss (E). Docs: docs/rules/LL201.md.
 * round / comparisons / argmax / cast-to-bool of the prediction on the path to a loss's return value make the
 * gradient zero almost everywhere. Metrics may threshold; labels may be compared; straight-through
 * estimators (`x + (hard - x).detach()`) are allowed.
 */
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL201',
  'hard-threshold-in-loss',
  'error',
  2,
  'round/compare/argmax/cast(bool) on the prediction inside a loss blocks the gradient.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      if (fn.role !== 'loss') return;
      for (const r of ev.returns) {
        const v = ev.evalNode(r);
        if (!v.hard) continue;
        ctx.report(
          info,
          v.hard,
          `\`${ctx.snippet(v.hard, 60)}\` thresholds the prediction inside a loss: its derivative is 0 almost ` +
            `everywhere, so the loss gives no gradient${ctx.assumptions(fn, { role: true })}.`,
          {
            explanation:
              'Rounding, comparisons, argmax and casts to bool/int are piecewise constant. TF reports "No gradients ' +
              'provided for any variable", PyTorch "element 0 of tensors does not require grad", or the loss stays ' +
              'flat. Use the soft probabilities in the loss and keep thresholded versions for metrics.',
          },
        );
      }
    });
  },
};
