/**
 * LL103 overlap-pooled-over-classes (W; E with softmax + one-hot). Docs: docs/rules/LL103.md.
 * Multi-class Dice whose terms reduce the class axis together with the spatial axes: with softmax p and one-hot
 * t the pooled Dice equals the mean true-class probability. Needs evidence of C > 1 (softmax, one_hot).
 */
import { inconsistentSites, verdict } from '../overlap';
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL103',
  'overlap-pooled-over-classes',
  'warning',
  1,
  'Multi-class Dice pools the class axis into one ratio; with softmax and one-hot it is the mean true-class probability.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      if (fn.params.some((p) => /weight/i.test(p.name))) return;
      for (const ratio of ev.ratios()) {
        if (inconsistentSites(ratio)) continue;
        const sites = [...ratio.numSites, ...ratio.denSites];
        const multi = sites.some((s) => s.operand.multiclass);
        if (!multi) continue;
        const site = sites.find((s) => {
          const v = verdict(s);
          return v && v.classReduced && v.reducedSpatial.size > 0;
        });
        if (!site) continue;
        const softmax = sites.some((s) => s.operand.actKind === 'softmax');
        const onehot = sites.some((s) => s.operand.onehot);
        ctx.report(
          info,
          site.call,
          `Multi-class Dice pools the class axis into one ratio${softmax && onehot ? '; with softmax and one-hot targets this equals the mean true-class probability' : ''}${ctx.assumptions(fn, { layout: true })}.`,
          {
            severity: softmax && onehot ? 'error' : 'warning',
            explanation:
              'For softmax p and one-hot t, Σp = Σt = N, so 2Σpt/(Σp+Σt) is the mean probability of the true class: Dice no longer counteracts class imbalance. Reduce the spatial axes only, keep the class axis, and average per class.',
          },
        );
      }
    });
  },
};
