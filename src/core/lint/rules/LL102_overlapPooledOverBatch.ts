/**
 * LL102 overlap-pooled-over-batch (I; W when a per-sample reshape was undone). Docs: docs/rules/LL102.md.
 * The ratio's terms reduce the batch axis (K.flatten, view(-1), sum() with no axis, dims containing 0): one
 * large object hides the others and the loss depends on the batch size. Batch Dice is legitimate (nnU-Net's
 * batch_dice), hence info by default.
 */
import { inconsistentSites, verdict } from '../overlap';
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL102',
  'overlap-pooled-over-batch',
  'info',
  1,
  'Dice computed over the whole batch: one image with a large object hides the others.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      if (fn.params.some((p) => /batch/i.test(p.name))) return;
      for (const ratio of ev.ratios()) {
        if (inconsistentSites(ratio)) continue;
        const site = [...ratio.numSites, ...ratio.denSites].find((s) => verdict(s)?.batchReduced);
        if (!site || !site.operandAxes) continue;
        // view(n, -1) then .sum(): the per-sample reshape shows the intent that the reduction loses.
        const lost = site.reducesAll && site.operandAxes.length === 2 && site.operandAxes[0] === 'B';
        ctx.report(
          info,
          site.call,
          `The overlap is computed over the whole batch (${site.reducesAll ? 'reduced over all axes' : 'the batch axis is reduced'}${lost ? ' after a per-sample reshape' : ''}); one image with a large object hides the others${ctx.assumptions(fn, { layout: true })}.`,
          {
            severity: lost ? 'warning' : 'info',
            explanation:
              'Image A has a 64-pixel object predicted perfectly; image B a 1-pixel object that is missed. Batch Dice is 0.99; the mean of per-image Dice is 0.50. Reduce per sample (axis=[1, 2, 3] or reshape(B, -1).sum(1)), then average; or keep batch Dice as an explicit option.',
          },
        );
      }
    });
  },
};
