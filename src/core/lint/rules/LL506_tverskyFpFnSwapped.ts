/**
 * LL506 tversky-fp-fn-swapped (E). Docs: docs/rules/LL506.md.
 * The docstring says which of alpha/beta weights false positives, and the code multiplies that weight with the
 * structural false-negative term Σ t·(1−p) (or the reverse). Without a docstring the convention is unknown and
 * nothing is reported: naming differences alone are never flagged.
 */
import { ruleInfo, type Rule } from '../rule';
import { child, operatorOf, textOf, unparen, walk, type SNode } from '../syntax';
import { parseNumber, SRC_PRED, SRC_TRUE } from '../values';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL506',
  'tversky-fp-fn-swapped',
  'error',
  5,
  'alpha multiplies the false-negative term but is documented as the false-positive weight (or the reverse).',
);

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    eachFunction(ctx, (fn, ev) => {
      const doc = fn.docstring;
      if (!doc) return;
      const documented = new Map<string, 'FP' | 'FN'>();
      for (const w of ['alpha', 'beta']) {
        const m = new RegExp(
          `${w}[^.\\n;]*?(false[ _-]?pos\\w*|false[ _-]?neg\\w*|\\bFP\\b|\\bFN\\b)`,
          'i',
        ).exec(doc);
        if (m) documented.set(w, /pos|FP/i.test(m[1]) ? 'FP' : 'FN');
      }
      if (!documented.size) return;
      // Structural kind of a term: (1 - t) * p is FP, t * (1 - p) is FN.
      const kindOf = (node: SNode): 'FP' | 'FN' | undefined => {
        let found: 'FP' | 'FN' | undefined;
        walk(unparen(ev.definition(unparen(node))), (n) => {
          if (found || n.type !== 'binary_operator' || operatorOf(tree, n) !== '*') return !found;
          const [a, b] = [child(n, 'left'), child(n, 'right')].map((x) => (x ? unparen(x) : undefined));
          if (!a || !b) return true;
          for (const [comp, other] of [
            [a, b],
            [b, a],
          ] as const) {
            if (comp.type !== 'binary_operator' || operatorOf(tree, comp) !== '-') continue;
            const one = child(comp, 'left');
            const inner = child(comp, 'right');
            if (!one || !inner || parseNumber(textOf(tree, one)) !== 1) continue;
            const iv = ev.evalNode(inner).src;
            const ov = ev.evalNode(other).src;
            if (iv === SRC_TRUE && ov & SRC_PRED) found = 'FP';
            else if (iv === SRC_PRED && ov & SRC_TRUE) found = 'FN';
          }
          return !found;
        });
        return found;
      };
      walk(fn.body, (n) => {
        if (n.type !== 'binary_operator' || operatorOf(tree, n) !== '*') return true;
        const l = child(n, 'left');
        const r = child(n, 'right');
        if (!l || !r) return true;
        for (const [w, term] of [
          [l, r],
          [r, l],
        ] as const) {
          const weight = textOf(tree, w);
          const want = documented.get(weight);
          if (!want) continue;
          const got = kindOf(term);
          if (!got || got === want) continue;
          const def = unparen(ev.definition(unparen(term)));
          ctx.report(
            info,
            def,
            `\`${weight}\` is documented as the ${want === 'FP' ? 'false-positive' : 'false-negative'} weight, but this term counts ${got === 'FP' ? 'false positives ((1 - y_true) * y_pred)' : 'false negatives (y_true * (1 - y_pred))'}.`,
            {
              explanation:
                'With only false positives, alpha = 0.7 (FP) and beta = 0.3 (FN), the correct Tversky index is 0.59 and the swapped one 0.77: the loss penalises the opposite error.',
            },
          );
        }
        return true;
      });
    });
  },
};
