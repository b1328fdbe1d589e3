/**
 * LL108 reduce-dim-out-of-range (E). Docs: docs/rules/LL108.md.
 * A reduction over a dim the tracked rank does not have, typically `sum(dim=1)` after `view(-1)`; likewise a
 * subscript with more indices than that rank (`target[:, 0]` after `target.view(-1)`).
 */
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL108',
  'reduce-dim-out-of-range',
  'error',
  1,
  'sum(dim=1) on a tensor made 1-D by view(-1): the dim does not exist.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      for (const site of ev.events.outOfRange) {
        // Only ranks the code itself established (a flatten/view pooled axes); an assumed rank may be wrong.
        if (!site.operandAxes?.some((a) => a.length > 1)) continue;
        const rank = site.operandAxes?.length ?? 0;
        ctx.report(
          info,
          site.call,
          `${site.axisParamName}=${site.outOfRange} is out of range for a tensor of rank ${rank} (axes ${(site.operandAxes ?? []).join(', ') || 'none'})${ctx.assumptions(fn, { layout: true })}.`,
          {
            explanation:
              'The code either crashes ("Dimension out of range") or a per-sample reduction was intended and lost. Flatten per sample with reshape(B, -1) when a per-sample reduction is intended.',
          },
        );
      }
      for (const index of ev.events.indexOutOfRange) {
        // The same proof as above: a pooled axis shows that the code itself set the rank.
        if (!index.operandAxes.some((a) => a.length > 1)) continue;
        const rank = index.operandAxes.length;
        ctx.report(
          info,
          index.node,
          `This subscript indexes ${index.indices} axes of a tensor of rank ${rank} (axes ${index.operandAxes.join(', ')})${ctx.assumptions(fn, { layout: true })}.`,
          {
            explanation:
              'The code crashes ("too many indices for tensor"), or it meant the tensor before it was flattened. Flatten per sample with reshape(B, C, -1) and index the class axis there, or index before flattening.',
          },
        );
      }
    });
  },
};
