/**
 * LL503 absent-class-averaging (W for metrics, I for losses). Docs: docs/rules/LL503.md.
 * A smoothed per-class ratio (empty/empty = 1) averaged over the class axis: classes absent from both target and
 * prediction score 1 and inflate the mean.
 */
import type { FunctionEval } from '../engine';
import type { FunctionInfo } from '../module';
import { additiveTerms } from '../overlap';
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import { child, namedChildren, operatorOf, textOf, unparen, walk, type SNode } from '../syntax';
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
      loopForms(ctx, fn, ev);
    });
  },
};

/** `max(card, 1)`, `np.maximum(union, 1.0)`: a denominator clamped to a constant. */
function clampedToConstant(ev: FunctionEval, den: SNode): boolean {
  const d = unparen(den);
  if (d.type !== 'call') return false;
  const f = child(d, 'function');
  const name = f ? textOf(ev.model.tree, f) : '';
  if (!/(^|\.)(max|maximum)$/.test(name)) return false;
  const args = child(d, 'arguments');
  const list = args ? namedChildren(args) : [];
  return list.length === 2 && list.some((a) => ev.evalNode(a).isConst);
}

/**
 * Loop-style metrics (issue 15 §6): per-class (or per-image) ratios collected in a Python loop — `scores.append((2
 * * inter + 1) / (card + 1))` or `total += 2 * inter / max(card, 1)` — and averaged afterwards. With smoothing an
 * absent class scores 1; with the denominator clamped to 1 it scores 0; either way it is averaged in.
 */
function loopForms(ctx: RuleContext, fn: FunctionInfo, ev: FunctionEval): void {
  const tree = ctx.model.tree;
  const constIn = (x: SNode): boolean => additiveTerms(tree, x).some((t) => ev.evalNode(t.node).isConst);
  walk(fn.body, (loop) => {
    if (loop.type === 'function_definition' || loop.type === 'class_definition') return false;
    if (loop.type !== 'for_statement') return true;
    const body = child(loop, 'body');
    if (!body) return true;
    walk(body, (n) => {
      if (n.type === 'function_definition' || n.type === 'for_statement') return false;
      let collected: SNode | undefined;
      if (n.type === 'augmented_assignment' && operatorOf(tree, n) === '+=') collected = child(n, 'right');
      else if (n.type === 'call') {
        const f = child(n, 'function');
        const args = child(n, 'arguments');
        if (f?.type === 'attribute' && textOf(tree, child(f, 'attribute') ?? f) === 'append' && args)
          collected = namedChildren(args)[0];
      }
      const ratio = collected ? unparen(collected) : undefined;
      if (!ratio || ratio.type !== 'binary_operator' || operatorOf(tree, ratio) !== '/') return true;
      const num = child(ratio, 'left');
      const den = child(ratio, 'right');
      if (!num || !den || ev.evalNode(num).isConst) return true;
      const smoothed = constIn(num) && constIn(den);
      const clamped = !smoothed && clampedToConstant(ev, den);
      if (!smoothed && !clamped) return true;
      ctx.report(
        info,
        ratio,
        smoothed
          ? `Scores collected in a loop with smoothing: a class (or image) absent from both target and prediction ` +
              `scores (0 + s)/(0 + s) = 1 and is averaged in, inflating the mean; skip absent ones or average with ` +
              `nanmean${ctx.assumptions(fn, { role: true })}.`
          : `Scores collected in a loop with the denominator clamped (\`${ctx.snippet(den, 30)}\`): a class (or image) ` +
              `absent from both target and prediction scores 0 and is averaged in, deflating the mean; skip absent ones ` +
              `or average with nanmean${ctx.assumptions(fn, { role: true })}.`,
        {
          severity: fn.role === 'metric' ? 'warning' : 'info',
          explanation:
            'Skip absent classes (or mark them NaN and use nanmean) and report how many were left out, or define ' +
            'the empty/empty score explicitly (1 or undefined) and document it.',
        },
      );
      return false;
    });
    return true;
  });
}
