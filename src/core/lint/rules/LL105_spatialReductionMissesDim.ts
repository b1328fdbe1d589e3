/**
 * LL105 spatial-reduction-misses-or-hits-wrong-dim (E). Docs: docs/rules/LL105.md.
 * Chained or tuple reductions that reduce some spatial axes but not all of them (`.sum(dim=1).sum(dim=1)` on
 * (B, C, H, W) reduces C then H; `dims=(2, 3)` on a 5-D volume leaves depth). A helper that does this to the
 * tensors a caller passes (a 2-D Dice helper called with 5-D volumes) is reported at the call.
 */
import type { FunctionEval } from '../engine';
import type { FunctionInfo } from '../module';
import { formatAxes, partialSpatialSite, perImageAxes, spatialAxes, verdict } from '../overlap';
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import type { Fix } from '../types';
import { eachFunction } from './common';
import { crossFix } from './LL101_overlapReducedOverWrongAxes';

export const info = ruleInfo(
  'LL105',
  'spatial-reduction-misses-or-hits-wrong-dim',
  'error',
  1,
  'Chained or partial reductions miss a spatial axis (e.g. .sum(dim=1).sum(dim=1) on (B,C,H,W) reduces C and H).',
);

/** Partial reductions inside a callee, for the values this function passes: reported at the call. */
function checkCalls(ctx: RuleContext, fn: FunctionInfo, ev: FunctionEval): void {
  for (const c of ev.events.crossReductions) {
    if (c.kind !== 'partial') continue;
    const first = c.sites[0];
    const lines = [...new Set(c.sites.map((s) => s.line))];
    const where = c.where ? ` in module ${c.where}` : '';
    const left = first.left ?? [];
    const helper = c.callee.split(' → ').pop();
    ctx.report(
      info,
      c.call,
      `\`${c.callee}\`${where} reduces its ${c.name} terms over ${first.reduction} (line${lines.length > 1 ? 's' : ''} ` +
        `${lines.join(', ')}), but the tensors passed here are (${first.axes.join(', ')}): the spatial ` +
        `${left.length > 1 ? 'axes' : 'axis'} ${left.join(', ')} ${left.length > 1 ? 'are' : 'is'} left, one score per ` +
        `${left.join('/')} slice instead of per image. Reduce over every spatial axis in \`${helper}\`, e.g. ` +
        `dim=tuple(range(2, x.ndim))${ctx.assumptions(fn, { layout: true })}.`,
      {
        explanation:
          'The helper is evaluated with the values this call passes. A Dice helper written for 2-D images (dims ' +
          '(2, 3)) and reused for volumes averages one Dice per depth slice, so slices without the object score ' +
          'by their smoothing alone.',
        fixes: crossFix(ctx, c, (axes, torchStyle) =>
          torchStyle ? spatialAxes([...axes]) : perImageAxes([...axes]),
        ),
      },
    );
  }
}

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      checkCalls(ctx, fn, ev);
      for (const ratio of ev.ratios()) {
        // Like LL101, every partial site is reported even when other terms were fixed already, so that the
        // fixes lead to a correct file one site at a time (LL104 stays quiet on these sites).
        for (const site of [...ratio.numSites, ...ratio.denSites]) {
          const v = verdict(site);
          if (!v || !site.operandAxes || !partialSpatialSite(site)) continue;
          const left = [...v.spatial].filter((l) => !v.reducedSpatial.has(l));
          const reduced = site.operandAxes.filter((a) => a.split('').some((l) => site.reducedLabels?.has(l)));
          const target = site.torchStyle ? spatialAxes(site.operandAxes) : perImageAxes(site.operandAxes);
          const fixes: Fix[] = [];
          const first = site.chainStart ?? site;
          if (site.chain.length > 1 && first.operandNode && site.chain.every((s) => s.axisArg)) {
            const name =
              ctx
                .text(first.call)
                .slice(first.operandNode.end - first.call.start)
                .match(/^\s*\.\s*(\w+)/)?.[1] ?? 'sum';
            fixes.push({
              title: `Reduce once over ${formatAxes(target, true)}`,
              edits: [
                {
                  range: ctx.rangeOf(first.operandNode.end, site.call.end),
                  newText: `.${name}(${site.axisParamName}=${formatAxes(target, true)})`,
                },
              ],
              preferred: true,
            });
          } else if (site.axisArg && site.chain.length === 1) {
            fixes.push({
              title: `Reduce over ${formatAxes(target, site.torchStyle)}`,
              edits: [ctx.edit(site.axisArg, formatAxes(target, site.torchStyle))],
              preferred: true,
            });
          }
          ctx.report(
            info,
            site.call,
            `This reduction covers ${reduced.join(', ')} of (${site.operandAxes.join(', ')}) and leaves the spatial ${left.length > 1 ? 'axes' : 'axis'} ${left.join(', ')}: one score per ${left.join('/')} line, not per image${ctx.assumptions(fn, { layout: true })}.`,
            {
              explanation:
                'Each chained sum(dim=k) shifts the dims that follow. Use one explicit tuple of the spatial dims, e.g. dim=tuple(range(2, x.ndim)).',
              fixes,
            },
          );
        }
      }
    });
  },
};
