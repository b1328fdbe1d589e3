/**
 * LL109 mean-reduced-terms-with-large-smooth (E). Docs: docs/rules/LL109.md.
 * Overlap terms built with mean lie in [0, 1]; a smoothing constant ≥ 1e-3 (configurable) then dominates and
 * the score stays near 1.
 */
import { smoothingOf } from '../overlap';
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL109',
  'mean-reduced-terms-with-large-smooth',
  'error',
  1,
  'Overlap terms use mean, so they lie in [0,1]; smooth=1 dominates and Dice stays near 1.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    const limit = ctx.options.meanSmoothThreshold;
    eachFunction(ctx, (fn, ev) => {
      for (const ratio of ev.ratios()) {
        const sites = [...ratio.numSites, ...ratio.denSites];
        if (!sites.every((s) => s.kind === 'mean')) continue;
        const s = smoothingOf(ev, ratio);
        const big = [...s.num, ...s.den].find((c) => c.value !== undefined && c.value >= limit);
        if (!big) continue;
        ctx.report(
          info,
          ratio.node,
          `The overlap terms are means (in [0, 1]), so the smoothing constant ${big.value} dominates and the score stays near 1${ctx.assumptions(fn, { role: true })}.`,
          {
            explanation:
              'A 256×256 image with a 50-pixel object and an empty prediction: the mean-based Dice is 0.9992, the sum-based Dice 0.02. Use sum, or a smoothing constant around 1e-6.',
          },
        );
      }
    });
  },
};
