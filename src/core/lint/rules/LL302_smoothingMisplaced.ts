/**
 * LL302 smoothing-misplaced (W). Docs: docs/rules/LL302.md.
 * The smoothing constant must be added, with coefficient 1, to both the numerator and the denominator:
 * only-below gives loss 1 for a perfect empty prediction, only-above gives s/0, `2*(I+s)` gives 2.0 for
 * empty masks, `2*I*s` scales the whole score.
 */
import { smoothingOf } from '../overlap';
import { ruleInfo, type Rule } from '../rule';
import type { Fix } from '../types';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL302',
  'smoothing-misplaced',
  'warning',
  3,
  'Smoothing only in the denominator or numerator, scaled (2*(I+s)) or multiplied (2*I*s).',
);

export const rule: Rule = {
  info,
  check(ctx) {
    if (!ctx.options.targetsCanBeEmpty) return;
    eachFunction(ctx, (fn, ev) => {
      for (const ratio of ev.ratios()) {
        const s = smoothingOf(ev, ratio);
        let problem: string | undefined;
        if (s.scaled)
          problem = `the constant is scaled with the intersection (\`${ctx.text(s.scaled)}\`): empty masks score 2.0, not 1`;
        else if (s.multiplied)
          problem = `\`${ctx.text(s.multiplied)}\` multiplies the intersection instead of being added: it scales the whole score`;
        else if (!s.num.length && s.den.length)
          problem =
            'the constant is only in the denominator: an empty target predicted empty scores 0 (the worst loss) although it is perfect';
        else if (s.num.length && !s.den.length && !s.denGuarded)
          problem = 'the constant is only in the numerator: an empty target predicted empty gives s/0';
        if (!problem) continue;
        // Mechanical fix for the one-sided cases: add the same constant, as written, to the other term.
        const fixes: Fix[] = [];
        const oneSided = !s.scaled && !s.multiplied;
        const from = !s.num.length ? s.den[0] : s.num[0];
        const to = !s.num.length ? ratio.numNode : ratio.denNode;
        if (oneSided && from) {
          const c = ctx.text(from.node);
          const edit =
            to.type === 'parenthesized_expression'
              ? ctx.insert(to.end - 1, ` + ${c}`)
              : ctx.edit(to, `(${ctx.text(to)} + ${c})`);
          fixes.push({
            title: `Add ${c} to the ${!s.num.length ? 'numerator' : 'denominator'} too`,
            edits: [edit],
            preferred: true,
          });
        }
        ctx.report(
          info,
          ratio.node,
          `Smoothing is misplaced: ${problem}${ctx.assumptions(fn, { role: true })}.`,
          {
            // In a metric (compile(metrics=[...])) the empty-target score is a reporting convention, not a training hazard
            // (issue 15 §8); a function only named like a metric is often a loss's coefficient and keeps the severity.
            ...(fn.role === 'metric' && fn.roleFromUse ? { severity: 'info' as const } : {}),
            explanation:
              'Use (2I + s) / (S + s) with the same s in both terms, or handle empty/empty explicitly.',
            fixes,
          },
        );
      }
    });
  },
};
