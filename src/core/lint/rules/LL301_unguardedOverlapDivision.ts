/**
 * LL301 unguarded-overlap-division (E when targets can be empty). Docs: docs/rules/LL301.md.
 * An overlap ratio with no additive constant in either term and no clamp/maximum on the denominator: an empty
 * target with an empty prediction gives 0/0 = NaN.
 */
import { smoothingOf } from '../overlap';
import { ruleInfo, type Rule } from '../rule';
import { unparen } from '../syntax';
import { eachFunction, EPS } from './common';

export const info = ruleInfo(
  'LL301',
  'unguarded-overlap-division',
  'error',
  3,
  'Overlap ratio without smoothing/epsilon: empty target and empty prediction give 0/0 = NaN.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    if (!ctx.options.targetsCanBeEmpty) return;
    eachFunction(ctx, (fn, ev) => {
      for (const ratio of ev.ratios()) {
        // divide_no_nan returns 0 for 0 / 0: no NaN (what it scores for an empty class is LL503's business).
        if (ratio.nanSafe) continue;
        const s = smoothingOf(ev, ratio);
        if (s.num.length || s.den.length || s.denGuarded || s.multiplied) continue;
        // Softmax outputs keep the sum of probabilities positive.
        if (ratio.denSites.some((site) => site.operand.act === 'prob' && site.operand.actKind === 'softmax'))
          continue;
        const wrap = (n: typeof ratio.numNode) =>
          unparen(n) !== n ? ctx.insert(n.end - 1, ` + ${EPS}`) : ctx.edit(n, `(${ctx.text(n)} + ${EPS})`);
        ctx.report(
          info,
          ratio.node,
          `Overlap ratio has no smoothing or epsilon: an empty target with an empty prediction gives 0/0 = NaN` +
            `${ctx.assumptions(fn, { role: true })}.`,
          {
            // In a metric (compile(metrics=[...])) the empty-target score is a reporting convention, not a training hazard
            // (issue 15 §8); a function only named like a metric is often a loss's coefficient and keeps the severity.
            ...(fn.role === 'metric' && fn.roleFromUse ? { severity: 'info' as const } : {}),
            explanation:
              'NaN poisons the batch mean and the gradients. Add the same small constant to both terms, (2I + s) / (S + s).',
            fixes: [
              {
                title: `Add ${EPS} to the numerator and the denominator`,
                edits: [wrap(ratio.numNode), wrap(ratio.denNode)],
                preferred: true,
              },
            ],
          },
        );
      }
    });
  },
};
