/**
 * LL206 class-id-metric-fed-probabilities (W). Docs: docs/rules/LL206.md.
 * MeanIoU / mean_iou in compile(metrics=[...]) of a model that ends in softmax/sigmoid: the metric expects class
 * ids and counts every probability value as its own label. Also the direct calls (issue 15 §7):
 * `tf.metrics.mean_iou(labels, predictions, n)`, `MeanIoU(n)(y_true, y_pred)` and `m.update_state(y_true, y_pred)`
 * with `m = MeanIoU(...)`, when the predictions are the prediction itself (not thresholded, argmaxed or cast).
 */
import type { FunctionInfo } from '../module';
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import { callArgs } from '../signatures';
import { child, namedChildren, textOf, unparen, type SNode } from '../syntax';
import { SRC_PRED } from '../values';

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
    directCalls(ctx);
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

const CLASS_ID_METRIC = /(^|\.)metrics\.(MeanIoU|IoU|mean_iou)$/;

/** The innermost function of the module that contains `node` (the module body when none does). */
function enclosingFunction(ctx: RuleContext, node: SNode): FunctionInfo {
  let best: FunctionInfo | undefined;
  for (const f of ctx.model.functions) {
    if (node.start < f.node.start || node.end > f.node.end) continue;
    if (!best || f.node.start >= best.node.start) best = f;
  }
  return best ?? ctx.model.moduleFunction;
}

/** Whether a call expression creates a class-id metric (`tf.keras.metrics.MeanIoU(num_classes=2)`). */
function createsMetric(ctx: RuleContext, node: SNode | undefined): boolean {
  if (!node || node.type !== 'call') return false;
  const f = child(node, 'function');
  const name = f ? ctx.model.resolve(f) : undefined;
  return name !== undefined && CLASS_ID_METRIC.test(name);
}

/** The predictions argument of a direct class-id metric call, or undefined when the call is not one. */
function predictionsOf(ctx: RuleContext, call: SNode, fn: FunctionInfo): SNode | undefined {
  const tree = ctx.model.tree;
  const f = child(call, 'function');
  if (!f) return undefined;
  const args = callArgs(tree, call);
  const name = ctx.model.resolve(f);
  // tf.metrics.mean_iou(labels, predictions, num_classes)
  if (name && /(^|\.)metrics\.mean_iou$/.test(name))
    return args.keywords.get('predictions') ?? args.positional[1];
  // MeanIoU(num_classes=2)(y_true, y_pred)
  if (f.type === 'call' && createsMetric(ctx, f)) return args.keywords.get('y_pred') ?? args.positional[1];
  if (f.type !== 'attribute') return undefined;
  const attr = child(f, 'attribute');
  const obj = child(f, 'object');
  if (!attr || !obj || textOf(tree, attr) !== 'update_state' || obj.type !== 'identifier') return undefined;
  // m = MeanIoU(...) … m.update_state(y_true, y_pred)
  const bound = ctx.analysis(fn).bindingBefore(textOf(tree, obj), call.start)?.value;
  return createsMetric(ctx, bound) ? (args.keywords.get('y_pred') ?? args.positional[1]) : undefined;
}

/** A cheap syntactic filter first: most calls are none of the three forms (keeps the rule linear in the file). */
function maybeDirect(ctx: RuleContext, call: SNode): boolean {
  const f = child(call, 'function');
  if (!f) return false;
  if (f.type === 'call') return true;
  const text = f.type === 'attribute' ? textOf(ctx.model.tree, child(f, 'attribute') ?? f) : '';
  return text === 'update_state' || text === 'mean_iou';
}

function directCalls(ctx: RuleContext): void {
  for (const call of ctx.model.calls) {
    if (!maybeDirect(ctx, call)) continue;
    const fn = enclosingFunction(ctx, call);
    const pred = predictionsOf(ctx, call, fn);
    if (!pred) continue;
    const v = ctx.analysis(fn).evalNode(pred);
    // Thresholded, argmaxed or cast predictions are class ids already.
    if (!(v.src & SRC_PRED) || v.hard || v.cast || v.labels) continue;
    ctx.report(
      info,
      pred,
      `\`${ctx.snippet(pred, 40)}\` is the prediction itself, but this IoU metric expects class ids: every probability value counts as its own label. Pass the thresholded or argmaxed prediction.`,
      {
        explanation:
          'MeanIoU / mean_iou build a confusion matrix from integer labels. Probabilities are truncated or counted as distinct labels, so the score is meaningless. Use tf.argmax(y_pred, -1) (multi-class) or tf.cast(y_pred > 0.5, tf.int32) (binary), or OneHotMeanIoU.',
      },
    );
  }
}
