/**
 * LL601 graph-break-in-loss (E). Docs: docs/rules/LL601.md.
 * .numpy() / .item() / .detach() / float() / np.* on the prediction inside a loss, when no differentiable path
 * from the prediction to the returned value remains. Logging after the loss and target-only preprocessing are
 * not affected.
 */
import { ruleInfo, type Rule } from '../rule';
import { child, walk } from '../syntax';
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
      // Graph mode (Keras/TF): a Python `if`/`while` on a tensor derived from the prediction.
      if (fn.family === 'keras') {
        walk(fn.body, (n) => {
          if (n.type === 'function_definition') return false;
          if (n.type !== 'if_statement' && n.type !== 'while_statement') return true;
          const cond = child(n, 'condition');
          const v = cond ? ev.evalNode(cond) : undefined;
          if (cond && v && v.src & SRC_PRED && !v.isConst && v.axes !== null) {
            ctx.report(
              info,
              cond,
              `A Python \`${n.type === 'if_statement' ? 'if' : 'while'}\` on a tensor derived from the prediction fails in graph mode (or silently takes one branch)${ctx.assumptions(fn, { role: true })}.`,
              {
                explanation: 'Use tf.where / tf.cond (or K.switch) so the branch stays inside the graph.',
              },
            );
          }
          return true;
        });
      }
      for (const r of ev.returns) {
        const v = ev.evalNode(r);
        if (!v.broken || !(v.src & SRC_PRED)) continue;
        ctx.report(
          info,
          v.broken,
          `\`${ctx.snippet(v.broken, 50)}\` takes the prediction out of the autodiff graph inside a loss: no gradient reaches the model${ctx.assumptions(fn, { role: true })}.`,
          {
            explanation:
              'Keep the whole computation in the framework tensor operations; move conversions and logging outside the loss.',
          },
        );
      }
    });
  },
};
