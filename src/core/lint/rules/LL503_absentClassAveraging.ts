/**
 * LL503 absent-class-averaging (W for metrics, I for losses). Docs: docs/rules/LL503.md.
 * A smoothed per-class ratio (empty/empty = 1) averaged over the class axis: classes absent from both target and
 * prediction score 1 and inflate the mean.
 */
import { additiveTerms } from '../overlap';
import { ruleInfo, type Rule } from '../rule';
import { child, operatorOf, textOf, unparen, walk, type SNode } from '../syntax';
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
      // The list form: [(inter[c] + s) / (union[c] + s) for c in range(n_classes)], then averaged.
      const tree = ctx.model.tree;
      walk(fn.body, (n) => {
        if (n.type === 'function_definition') return false;
        if (n.type !== 'list_comprehension' && n.type !== 'generator_expression') return true;
        const body = child(n, 'body');
        const loop = n.children.find((c) => c.type === 'for_in_clause');
        const iter = loop ? child(loop, 'right') : undefined;
        const ratio = body ? unparen(body) : undefined;
        if (!ratio || !iter || ratio.type !== 'binary_operator' || operatorOf(tree, ratio) !== '/')
          return true;
        if (!/^range\(/.test(textOf(tree, iter))) return true;
        const num = child(ratio, 'left');
        const den = child(ratio, 'right');
        if (!num || !den) return true;
        const constIn = (x: SNode): boolean =>
          additiveTerms(tree, x).some((t) => ev.evalNode(t.node).isConst);
        if (!constIn(num) || !constIn(den)) return true;
        ctx.report(
          info,
          n,
          `Per-class scores with smoothing: a class absent from both target and prediction scores 1 and is averaged in${ctx.assumptions(fn, { role: true })}.`,
          {
            severity: fn.role === 'metric' ? 'warning' : 'info',
            explanation:
              'Exclude absent classes from the mean (skip them, or mask as NaN and use nanmean) and report how many were excluded.',
          },
        );
        return false;
      });
    });
  },
};
