/**
 * LL507 focal-formula-errors (E). Docs: docs/rules/LL507.md.
 * `(1 - p_t) * gamma` instead of `** gamma`, and p_t taken from log-probabilities (`1 - p_t` > 1, log NaN).
 */
import { parseNumber } from '../values';
import { ruleInfo, type Rule } from '../rule';
import { callArgs } from '../signatures';
import { child, operatorOf, textOf, unparen, walk, type SNode } from '../syntax';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL507',
  'focal-formula-errors',
  'error',
  5,
  'Focal term uses *gamma instead of **gamma, or takes p_t from log-probabilities.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    eachFunction(ctx, (fn, ev) => {
      // where(target == 1, alpha * a, alpha * b): the same alpha on both classes removes the class balance.
      const checkWhereAlpha = (call: SNode): void => {
        const f = child(call, 'function');
        const name = f ? ctx.model.resolve(f) : undefined;
        if (!name || !/\.where$/.test(name)) return;
        const [, a, b] = callArgs(tree, call).positional;
        if (!a || !b) return;
        const alphaFactor = (x: SNode): string | undefined => {
          const m =
            /(^|[^\w.])(alpha\w*)\s*\*/.exec(textOf(tree, x)) ?? /\*\s*(alpha\w*)\b/.exec(textOf(tree, x));
          return m ? m[m.length - 1] : undefined;
        };
        const fa = alphaFactor(a);
        const fb = alphaFactor(b);
        if (!fa || fa !== fb || /1\s*-\s*alpha/.test(textOf(tree, a) + textOf(tree, b))) return;
        ctx.report(
          info,
          call,
          `\`${fa}\` weights both branches of this where(): the focal alpha should weight positives by alpha and negatives by 1 - alpha.`,
          {
            explanation:
              'The same alpha on both classes is a constant factor: the intended class balance disappears.',
          },
        );
      };
      walk(fn.body, (n) => {
        if (n.type === 'function_definition') return false;
        if (n.type === 'call') checkWhereAlpha(n);
        if (n.type !== 'binary_operator') return true;
        const op = operatorOf(tree, n);
        const left = child(n, 'left');
        const right = child(n, 'right');
        if (!left || !right) return true;
        if (op === '*' && right.type === 'identifier' && /^gamma$/i.test(textOf(tree, right))) {
          // The factor just left of `* gamma`: `(1 - p_t)` itself or the last factor of a product chain.
          let factor = unparen(left);
          if (factor.type === 'binary_operator' && operatorOf(tree, factor) === '*')
            factor = child(factor, 'right') ?? factor;
          const f = unparen(factor);
          const isComplement =
            f.type === 'binary_operator' &&
            operatorOf(tree, f) === '-' &&
            parseNumber(textOf(tree, child(f, 'left') ?? f)) === 1;
          const opNode = child(n, 'operator') ?? n.children.find((c) => !c.named && textOf(tree, c) === '*');
          if (isComplement && opNode) {
            ctx.reportRange(
              info,
              factor.start,
              right.end,
              `\`${textOf(tree, factor)} * gamma\` multiplies by gamma; the focal modulator is \`${textOf(tree, factor)} ** gamma\`.`,
              {
                explanation:
                  '`* gamma` replaces the power by a linear factor, so easy examples are no longer down-weighted as intended.',
                fixes: [{ title: 'Use ** gamma', edits: [ctx.edit(opNode, '**')], preferred: true }],
              },
              n,
            );
          }
        }
        if (op === '-' && parseNumber(textOf(tree, left)) === 1) {
          const v = ev.evalNode(right);
          if (v.act === 'logp') {
            ctx.report(
              info,
              n,
              `\`${textOf(tree, n)}\`: p_t here is a log-probability (≤ 0), so 1 - p_t exceeds 1; take p_t from probabilities (exp of the log-probability).`,
              {
                explanation:
                  'With p_t from log_softmax/log, log(p_t) is NaN and the modulator (1 - p_t) ** gamma grows instead of shrinking.',
              },
            );
          }
        }
        return true;
      });
    });
  },
};
