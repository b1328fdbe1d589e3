/**
 * LL505 class-weighting-errors (W). Docs: docs/rules/LL505.md.
 * Generalized-Dice weights 1/(Σt)² with a tiny (or no) epsilon explode for absent classes, and weights applied to
 * the numerator only let the score exceed 1.
 */
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import { additiveTerms } from '../overlap';
import { child, namedChildren, operatorOf, textOf, unparen, type SNode } from '../syntax';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL505',
  'class-weighting-errors',
  'warning',
  5,
  'Generalized-Dice weights 1/Σt² explode for absent classes, or class weights are applied to the numerator only.',
);

/** The operand of `torch.reciprocal(d)` (first argument) or `d.reciprocal()` (receiver). */
function reciprocalOperand(call: SNode): SNode | undefined {
  const args = child(call, 'arguments');
  const first = args ? namedChildren(args)[0] : undefined;
  if (first) return first;
  const fn = child(call, 'function');
  return fn?.type === 'attribute' ? child(fn, 'object') : undefined;
}

/** 1e-6 rather than 0.000001. */
function small(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential().replace('e+', 'e') : String(v);
}

/** The base of a square written `x ** 2`, `tf.square(x)`, `K.square(x)` or `x.pow(2)`; undefined otherwise. */
function squaredBase(ctx: RuleContext, node: SNode): SNode | undefined {
  const n = unparen(node);
  const tree = ctx.model.tree;
  if (n.type === 'binary_operator' && operatorOf(tree, n) === '**') {
    const right = child(n, 'right');
    return right && textOf(tree, right) === '2' ? child(n, 'left') : undefined;
  }
  if (n.type !== 'call') return undefined;
  const fn = child(n, 'function');
  const args = child(n, 'arguments');
  const positional = args ? namedChildren(args) : [];
  if (!fn || fn.type !== 'attribute') return undefined;
  const attr = textOf(tree, child(fn, 'attribute') ?? fn);
  if (attr === 'square' && ctx.model.resolve(fn)) return positional[0];
  if (attr === 'pow' && positional[0] && textOf(tree, positional[0]) === '2') return child(fn, 'object');
  return undefined;
}

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    eachFunction(ctx, (fn, ev) => {
      const seen = new Set<number>();
      const flagWeight = (node: import('../syntax').SNode): void => {
        if (seen.has(node.id)) return;
        seen.add(node.id);
        // `1 / d`, or `torch.reciprocal(d)` / `d.reciprocal()`.
        const den = node.type === 'call' ? reciprocalOperand(node) : child(node, 'right');
        // A denominator bounded below by a clamp/maximum (`(Σt ** 2).clamp(min=1)`) keeps the weight finite.
        if (den && ev.evalNode(den).clipped) return;
        const constantIn = (n: SNode): number | undefined =>
          additiveTerms(tree, n)
            .map((t) => ev.evalNode(t.node))
            .find((v) => v.isConst)?.num;
        let eps = den ? constantIn(den) : undefined;
        // (Σt + ε)², `tf.square(Σt + ε)`: the epsilon is inside the square, so the weight is bounded by 1/ε².
        const base = eps === undefined && den ? squaredBase(ctx, den) : undefined;
        const inner = base ? constantIn(base) : undefined;
        if (inner !== undefined) eps = inner * inner;
        if (eps !== undefined && eps >= 1e-5) return;
        const what =
          eps === undefined
            ? 'has no epsilon'
            : inner !== undefined
              ? `uses epsilon ${small(inner)} inside the square (${small(eps)} once squared)`
              : `uses epsilon ${eps}`;
        ctx.report(
          info,
          node,
          `Class weight 1/(Σt)² ${what}: for a class absent from the target it is ~${eps ? (1 / eps).toExponential(0) : 'infinite'} and dominates the loss.`,
          {
            explanation:
              'With ε = 1e-10 an absent class gets weight 1e20; five pixels of predicted mass on it drive the GDL to 3.6e-23 although the present class scores 0.95. Replace infinite weights by the largest finite one, or drop absent classes.',
          },
        );
      };
      for (const ratio of ev.ratios()) {
        if (ratio.num.weight) flagWeight(ratio.num.weight);
        if (ratio.num.weight && !ratio.den.weight) {
          ctx.report(
            info,
            unparen(ev.definition(unparen(ratio.denNode))),
            'Class weights multiply the numerator but not the denominator: the score can exceed 1 and the loss go negative.',
            {
              explanation: 'Weight both terms, sum the weighted terms, then divide.',
            },
          );
        }
        // w·I_c / (w·S_c) per class: the weight is in both terms of every class's ratio and cancels.
        if (
          ratio.num.weight &&
          ratio.den.weight &&
          ratio.num.axes?.includes('C') &&
          ratio.den.axes?.includes('C')
        ) {
          ctx.report(
            info,
            ratio.node,
            'The class weights multiply both terms of a per-class ratio, so they cancel: sum the weighted terms over the classes first, then divide.',
            {
              explanation:
                'Generalized Dice is 2·Σ_c w_c·I_c / Σ_c w_c·S_c. Dividing per class gives w_c·I_c / (w_c·S_c) = I_c / S_c, the unweighted Dice.',
            },
          );
        }
      }
    });
  },
};
