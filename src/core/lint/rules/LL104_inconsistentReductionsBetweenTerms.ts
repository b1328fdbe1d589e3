/**
 * LL104 inconsistent-reductions-between-terms (E). Docs: docs/rules/LL104.md.
 * The terms that meet in one overlap ratio are reduced over different axes, or one uses mean and another sum.
 */
import { describeReduction, siteSignature } from '../overlap';
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL104',
  'inconsistent-reductions-between-terms',
  'error',
  1,
  'Numerator and denominator of the overlap are reduced over different axes, or mean in one and sum in the other.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    eachFunction(ctx, (fn, ev) => {
      for (const ratio of ev.ratios()) {
        const all = [...ratio.numSites, ...ratio.denSites];
        const ref = all.find((s) => siteSignature(s) !== undefined);
        if (!ref) continue;
        const refSig = siteSignature(ref);
        for (const s of all) {
          const sig = siteSignature(s);
          if (!sig || sig === refSig) continue;
          const kindDiff = s.kind !== ref.kind;
          ctx.report(
            info,
            s.call,
            kindDiff
              ? `This term uses ${s.kind} but \`${ctx.text(ref.call).slice(0, 40)}\` uses ${ref.kind}: the ratio is scaled by the element count${ctx.assumptions(fn, { layout: true })}.`
              : `This term is reduced over ${describeReduction(tree, s)}, but the intersection over ${describeReduction(tree, ref)}: broadcasting mixes per-image and per-pixel values${ctx.assumptions(fn, { layout: true })}.`,
            {
              explanation: 'Use one reduction helper (same axes, same kind) for every term of the ratio.',
            },
          );
        }
      }
    });
  },
};
