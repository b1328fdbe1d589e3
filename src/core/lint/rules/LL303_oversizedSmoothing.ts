/**
 * LL303 oversized-smoothing (W). Docs: docs/rules/LL303.md.
 * A smoothing constant at or above the threshold (default 10) added to the ratio terms flattens the loss for
 * small objects: Jaccard with s = 100 on a 10-pixel object scores 0.91 for a complete miss.
 */
import { smoothingOf } from '../overlap';
import { ruleInfo, type Rule } from '../rule';
import type { SNode } from '../syntax';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL303',
  'oversized-smoothing',
  'warning',
  3,
  'smooth=100 (or smooth >= object size) flattens the loss for small objects.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    const limit = ctx.options.oversizedSmooth;
    eachFunction(ctx, (fn, ev) => {
      for (const ratio of ev.ratios()) {
        const s = smoothingOf(ev, ratio);
        const big = [...s.num, ...s.den].find((c) => c.value !== undefined && c.value >= limit);
        if (!big || big.value === undefined) continue;
        // Point at the literal: the parameter default or the constant as written.
        let at: SNode = big.node;
        if (big.node.type === 'identifier') {
          const name = ctx.text(big.node);
          const p = fn.params.find((q) => q.name === name);
          const def = ev.definition(big.node);
          at = p?.default && def === big.node ? p.default : def;
        }
        const v = big.value;
        const miss = v / (10 + v);
        ctx.report(
          info,
          at,
          `Smoothing constant ${v} is large: for small objects the score stays near 1 whatever the prediction${ctx.assumptions(fn, { role: true })}.`,
          {
            // In a metric (compile(metrics=[...])) the empty-target score is a reporting convention, not a training hazard
            // (issue 15 §8); a function only named like a metric is often a loss's coefficient and keeps the severity.
            ...(fn.role === 'metric' && fn.roleFromUse ? { severity: 'info' as const } : {}),
            explanation: `Jaccard with s = ${v} on a 10-pixel object: a perfect prediction scores 1.0 and a complete miss ${miss.toFixed(2)}. Use a small constant (1e-6 .. 1), or tune it on purpose and suppress this finding.`,
          },
        );
      }
    });
  },
};
