/**
 * LL401 integer-mask-not-cast (W). Docs: docs/rules/LL401.md.
 * The module stores masks as integers (uint8, astype('uint8')) and a loss or metric does arithmetic on the target
 * without casting it first. Without such evidence nothing is reported.
 */
import { ruleInfo, shortSnippet, type Rule } from '../rule';
import { namedChildren, operatorOf, walk, type SNode } from '../syntax';
import { SRC_PRED, SRC_TRUE } from '../values';
import { aliasFor, eachFunction } from './common';

export const info = ruleInfo(
  'LL401',
  'integer-mask-not-cast',
  'warning',
  4,
  'y_true may be uint8/int/bool; cast it to the prediction dtype before arithmetic.',
);

/** The telling part of the evidence: `.astype(np.uint8)` rather than the whole expression. */
function evidenceText(text: string): string {
  const at = text.lastIndexOf('.astype(');
  return shortSnippet(at >= 0 ? text.slice(at) : text, 40);
}

export const rule: Rule = {
  info,
  check(ctx) {
    const evidence = ctx.model.integerMaskEvidence;
    if (!evidence) return;
    const tree = ctx.model.tree;
    eachFunction(ctx, (fn, ev) => {
      if (fn.role === 'helper' || !ev.truthParam || !ev.predParam) return;
      let first: SNode | undefined;
      walk(fn.body, (n) => {
        if (first || n.type === 'function_definition') return false;
        if (n.type !== 'binary_operator' || !['*', '+', '-'].includes(operatorOf(tree, n))) return true;
        const [a, b] = namedChildren(n).map((c) => ev.evalNode(c));
        if (!a || !b) return true;
        const raw = (v: typeof a): boolean =>
          v.src === SRC_TRUE && !v.cast && !v.onehot && v.param === ev.truthParam;
        if ((raw(a) && b.src & SRC_PRED) || (raw(b) && a.src & SRC_PRED)) first = n;
        return !first;
      });
      if (!first) return;
      const body = namedChildren(fn.body);
      const firstStmt =
        body[0] && fn.docstring && body[0].type === 'expression_statement' ? body[1] : body[0];
      const t = ev.truthParam;
      const p = ev.predParam;
      const k = aliasFor(ctx, 'K');
      const tf = aliasFor(ctx, 'tf');
      const cast =
        fn.family === 'torch'
          ? `${t} = ${t}.to(${p}.dtype)`
          : k
            ? `${t} = ${k}.cast(${t}, ${p}.dtype)`
            : tf
              ? `${t} = ${tf}.cast(${t}, ${p}.dtype)`
              : undefined;
      const indent = firstStmt
        ? tree.text.slice(tree.lineStarts[ctx.model.lineOf(firstStmt)], firstStmt.start)
        : '';
      ctx.report(
        info,
        first,
        `\`${t}\` is used in arithmetic without a cast, and this file stores masks as integers (\`${evidenceText(ctx.text(evidence))}\`); uint8 arithmetic wraps around and TF refuses mixed dtypes${ctx.assumptions(fn, { role: true })}.`,
        {
          explanation:
            'numpy/torch uint8: 200 + 100 = 44 and 255 * 255 = 1; masks stored as 0/255 give a Dice above 1. Cast at the top of the loss and normalise 0/255 masks.',
          fixes:
            cast && firstStmt && /^\s*$/.test(indent)
              ? [
                  {
                    title: `Cast ${t} to the prediction dtype first`,
                    edits: [ctx.insert(firstStmt.start, `${cast}\n${indent}`)],
                    preferred: true,
                  },
                ]
              : [],
        },
      );
    });
  },
};
