/**
 * LL601 graph-break-in-loss (E). Docs: docs/rules/LL601.md.
 * .numpy() / .item() / .detach() / float() / np.* on the prediction inside a loss, when no differentiable path
 * from the prediction to the returned value remains, or when a cut term feeds the returned value (its part of the
 * loss has no gradient). Logging after the loss and target-only preprocessing are not affected.
 */
import type { FunctionEval } from '../engine';
import { ruleInfo, type Rule } from '../rule';
import { child, textOf, walk, type SNode } from '../syntax';
import { SRC_PRED } from '../values';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL601',
  'graph-break-in-loss',
  'error',
  6,
  '.numpy(), .item(), .detach() or np.* on the prediction inside the loss breaks autodiff or graph mode.',
);

/** Whether `node` lies in a returned expression or in the definitions its names come from (a bounded walk). */
function feedsReturn(ev: FunctionEval, node: SNode): boolean {
  const tree = ev.model.tree;
  const queue = [...ev.returns];
  const seen = new Set<number>();
  while (queue.length && seen.size < 200) {
    const e = queue.shift() as SNode;
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (node.start >= e.start && node.end <= e.end) return true;
    walk(e, (n) => {
      if (n.type === 'identifier') {
        const def = ev.bindingBefore(textOf(tree, n), n.start)?.value;
        if (def) queue.push(def);
      }
      return true;
    });
  }
  return false;
}

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
      const cuts = new Set<SNode>();
      const wholeLoss = new Set<SNode>();
      for (const r of ev.returns) {
        const v = ev.evalNode(r);
        if (v.broken && v.src & SRC_PRED) {
          cuts.add(v.broken);
          wholeLoss.add(v.broken);
        }
      }
      // A cut on one term (`inter = (p * t).sum().item()`) while another term keeps the graph: the result still
      // has a gradient, but not through that term. Only cuts that feed the returned value count (logging does not).
      // A detached term is often deliberate (a focal weight, the straight-through estimator): only conversions out
      // of the framework (.item(), .numpy(), float(), np.asarray) count here.
      for (const b of ev.events.breaks) {
        const f = child(b.call, 'function');
        const name = f ? textOf(ctx.model.tree, f) : '';
        if (/(detach|stop_gradient)$/.test(name)) continue;
        if (b.operand.src & SRC_PRED && !b.operand.broken && feedsReturn(ev, b.call)) cuts.add(b.call);
      }
      for (const cut of cuts) {
        ctx.report(
          info,
          cut,
          wholeLoss.has(cut)
            ? `\`${ctx.snippet(cut, 50)}\` takes the prediction out of the autodiff graph inside a loss: no gradient reaches the model${ctx.assumptions(fn, { role: true })}.`
            : `\`${ctx.snippet(cut, 50)}\` turns a term of the loss into a Python number: that term is a constant for ` +
                `autodiff, so only the other terms train the model; keep it a tensor${ctx.assumptions(fn, { role: true })}.`,
          {
            explanation:
              'Keep the whole computation in the framework tensor operations; move conversions and logging outside the loss.',
          },
        );
      }
    });
  },
};
