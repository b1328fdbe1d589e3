/**
 * LL602 shape-broadcast-mismatch (E). Docs: docs/rules/LL602.md.
 * The two operands of `*` inside a loss or metric have different ranks after one-sided slicing/squeezing:
 * (B, H, W) * (B, 1, H, W) broadcasts to (B, B, H, W).
 */
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL602',
  'shape-broadcast-mismatch',
  'error',
  6,
  'Operands of * have different ranks (one side sliced or squeezed): silent broadcasting to (B,B,H,W).',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      if (fn.role === 'helper' && !ev.ratios().length) return;
      for (const b of ev.events.broadcasts) {
        const l = b.left.axes ?? [];
        const r = b.right.axes ?? [];
        ctx.report(
          info,
          b.node,
          `\`${ctx.snippet(b.node, 40)}\` multiplies a rank-${l.length} (${l.join(', ')}) tensor with a rank-${r.length} (${r.join(', ')}) tensor; they broadcast silently instead of matching pixel by pixel${ctx.assumptions(fn, { layout: true })}.`,
          {
            explanation:
              '(B, H, W) * (B, 1, H, W) gives (B, B, H, W). Slice or squeeze both operands the same way before the product.',
          },
        );
      }
    });
  },
};
