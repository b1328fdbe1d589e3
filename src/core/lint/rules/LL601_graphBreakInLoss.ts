/**
 * LL601 graph-break-in-loss (E). Docs: docs/rules/LL601.md.
 * .numpy() / .item() / .detach() / float() / np.* on the prediction inside a loss, when no differentiable path
 * from the prediction to the returned value remains. Logging after the loss and target-only preprocessing are
 * not affected.
 */
import { ruleInfo, type Rule } from '../rule';
import { SRC_PRED } from '../values';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL601',
  'graph-break-in-loss',
  'error',
  6,
  '.numpy(), .item(), .detach() or np.* on the prediction inside the loss breaks autodiff or graph mode.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      if (fn.role !== 'loss') return;
      for (const r of ev.returns) {
        const v = ev.evalNode(r);
        if (!v.broken || !(v.src & SRC_PRED)) continue;
        ctx.report(
          info,
          v.broken,
          `\`${ctx.text(v.broken).slice(0, 50)}\` takes the prediction out of the autodiff graph inside a loss: no gradient reaches the model${ctx.assumptions(fn, { role: true })}.`,
          {
            explanation:
              'Keep the whole computation in the framework tensor operations; move conversions and logging outside the loss.',
          },
        );
      }
    });
  },
};
