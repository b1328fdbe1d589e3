/**
 * LL104 inconsistent-reductions-between-terms (E). Docs: docs/rules/LL104.md.
 * The terms that meet in one overlap ratio are reduced over different axes, or one uses mean and another sum.
 *
 * A term that misses every spatial axis (LL101) or some of them (LL105) is left to that rule, which offers the
 * axis fix: after fixing one site of a per-pixel Dice, the sites not yet fixed must keep leading the user to the
 * next fix instead of turning into an inconsistency with no fix.
 */
import { describeReduction, partialSpatialSite, perPixelSite, siteSignature } from '../overlap';
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import type { RuleInfo } from '../types';
import type { Site } from '../values';
import { info as ll101 } from './LL101_overlapReducedOverWrongAxes';
import { info as ll105 } from './LL105_spatialReductionMissesDim';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL104',
  'inconsistent-reductions-between-terms',
  'error',
  1,
  'Numerator and denominator of the overlap are reduced over different axes, or mean in one and sum in the other.',
);

function enabled(ctx: RuleContext, rule: RuleInfo): boolean {
  return (ctx.options.rules[rule.id] ?? ctx.options.rules[rule.name]) !== 'off';
}

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    const perPixelOn = enabled(ctx, ll101);
    const partialOn = enabled(ctx, ll105);
    const covered = (s: Site): boolean =>
      (perPixelOn && perPixelSite(s)) || (partialOn && partialSpatialSite(s));
    eachFunction(ctx, (fn, ev) => {
      // Operands of different rank multiplied together (LL602) make the terms' axes differ too: that one mistake
      // is reported once, by LL602 (issue 15 §8).
      if (ev.events.broadcasts.length) return;
      for (const ratio of ev.ratios()) {
        const compared = (sites: Site[]): Site[] =>
          sites.filter((s) => siteSignature(s) !== undefined && !covered(s));
        const num = compared(ratio.numSites);
        const all = [...num, ...compared(ratio.denSites)];
        const ref = all[0];
        if (!ref) continue;
        const refSig = siteSignature(ref);
        const refName = num.includes(ref) ? 'the intersection' : `\`${ctx.snippet(ref.call, 40)}\``;
        for (const s of all) {
          if (siteSignature(s) === refSig) continue;
          ctx.report(
            info,
            s.call,
            s.kind !== ref.kind
              ? `This term uses ${s.kind} but \`${ctx.snippet(ref.call, 40)}\` uses ${ref.kind}: the ratio is scaled by the element count${ctx.assumptions(fn, { layout: true })}.`
              : `This term is reduced over ${describeReduction(tree, s)}, but ${refName} over ${describeReduction(tree, ref)}: broadcasting mixes values of different shapes${ctx.assumptions(fn, { layout: true })}.`,
            {
              explanation: 'Use one reduction helper (same axes, same kind) for every term of the ratio.',
            },
          );
        }
      }
    });
  },
};
