/**
 * LL504 square-or-abs-inconsistency (W; I for the V-Net form in a metric). Docs: docs/rules/LL504.md.
 * Numerator and denominator terms must apply the same power: squaring only one denominator term (or only the
 * numerator) changes the ratio. The V-Net form 2Σpt/(Σp²+Σt²) is a valid loss but reads high as a metric.
 */
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL504',
  'square-or-abs-inconsistency',
  'warning',
  5,
  'The numerator is squared but the denominator is not (or the reverse), or only one denominator term is squared.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      for (const ratio of ev.ratios()) {
        const den = ratio.denSites.filter((s) => !(s.operand.src & 1 && s.operand.src & 2));
        const sq = den.filter((s) => s.operand.squared);
        const plain = den.filter((s) => !s.operand.squared);
        const numSq = ratio.numSites.some((s) => s.operand.squared);
        if (sq.length && plain.length) {
          ctx.report(
            info,
            sq[0].call,
            `Only some denominator terms are squared (\`${ctx.snippet(sq[0].call, 40)}\`); square all of them (V-Net form) or none.`,
            {
              explanation:
                'Mixing Σp² with Σt changes the ratio in a way neither Dice nor the V-Net loss defines.',
            },
          );
        } else if (numSq && plain.length && !sq.length) {
          const s = ratio.numSites.find((x) => x.operand.squared)!;
          ctx.report(
            info,
            s.call,
            'The intersection is squared but the denominator terms are not; the ratio is no longer a Dice.',
            {
              explanation:
                'nnU-Net once squared the intersection by mistake ("a big stupid bug", nnUNet#12).',
            },
          );
        } else if (sq.length && !plain.length && !numSq && fn.role === 'metric') {
          ctx.report(
            info,
            sq[0].call,
            'Squared denominator (V-Net form) in a metric: it reads higher than Dice on soft predictions.',
            {
              severity: 'info',
              explanation:
                'For p = 0.6 on a 4-pixel object the V-Net form gives 0.88 while Dice gives 0.75. Fine as a loss; report plain Dice as a metric.',
            },
          );
        }
      }
    });
  },
};
