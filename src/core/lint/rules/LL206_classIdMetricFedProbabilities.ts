/**
 * LL206 class-id-metric-fed-probabilities (W). Docs: docs/rules/LL206.md.
 * MeanIoU / mean_iou in compile(metrics=[...]) of a model that ends in softmax/sigmoid: the metric expects class
 * ids and counts every probability value as its own label.
 */
import { ruleInfo, type Rule } from '../rule';
import { callArgs } from '../signatures';
import { child, namedChildren, textOf, unparen, type SNode } from '../syntax';

export const info = ruleInfo(
  'LL206',
  'class-id-metric-fed-probabilities',
  'warning',
  2,
  'MeanIoU expects class ids; passing probabilities or one-hot counts every value as its own label.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    let activation: SNode | undefined;
    const metricCalls: SNode[] = [];
    for (const n of ctx.model.calls) {
      const act = callArgs(tree, n).keywords.get('activation');
      if (act && !activation && /^['"](softmax|sigmoid)['"]$/.test(textOf(tree, act))) activation = act;
      const f = child(n, 'function');
      if (!f || f.type !== 'attribute' || textOf(tree, child(f, 'attribute') ?? f) !== 'compile') continue;
      const metrics = callArgs(tree, n).keywords.get('metrics');
      const list = metrics ? unparen(metrics) : undefined;
      if (!list || (list.type !== 'list' && list.type !== 'tuple')) continue;
      for (const m of namedChildren(list)) {
        const callee = m.type === 'call' ? child(m, 'function') : m;
        const name = callee ? ctx.model.resolve(callee) : undefined;
        if (name === 'metrics.MeanIoU' || name === 'metrics.mean_iou' || name === 'metrics.IoU')
          metricCalls.push(m);
      }
    }
    if (!activation) return;
    for (const m of metricCalls) {
      ctx.report(
        info,
        m,
        `MeanIoU expects class ids, but the model ends in ${textOf(tree, activation)} (line ${ctx.model.lineOf(activation) + 1}): every probability value counts as its own label.`,
        {
          explanation:
            'Take the argmax first (a MeanIoU subclass whose update_state applies argmax), or use OneHotMeanIoU in newer Keras.',
        },
      );
    }
  },
};
