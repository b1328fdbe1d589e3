/**
 * LL305 epsilon-below-float32-resolution (E). Docs: docs/rules/LL305.md.
 * A clip/clamp upper bound `1 - c` with c < 3e-8 is exactly 1.0 in float32 (the float32 value just below 1 is
 * 0.99999994), so it does not keep log(1 - p) finite.
 */
import { parseNumber } from '../values';
import { ruleInfo, type Rule } from '../rule';
import { child, operatorOf, unparen } from '../syntax';
import { eachFunction, EPS } from './common';

export const info = ruleInfo(
  'LL305',
  'epsilon-below-float32-resolution',
  'error',
  3,
  '1 - 1e-10 is exactly 1.0 in float32, so this clip does not prevent log(0).',
);

/** float32(1 - c) rounds to 1.0 for c below half the spacing of float32 just under 1 (2^-25 ≈ 2.98e-8). */
export const FLOAT32_ONE_MINUS_LIMIT = 2 ** -25;

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    eachFunction(
      ctx,
      (_fn, ev) => {
        for (const c of ev.events.clips) {
          if (!c.upper) continue;
          const u = unparen(c.upper);
          if (u.type !== 'binary_operator' || operatorOf(tree, u) !== '-') continue;
          const left = child(u, 'left');
          const right = child(u, 'right');
          if (!left || !right || parseNumber(ctx.text(left)) !== 1) continue;
          const cv = ev.evalNode(right).num;
          if (cv === undefined || cv <= 0 || cv >= FLOAT32_ONE_MINUS_LIMIT) continue;
          const literal = parseNumber(ctx.text(right)) !== undefined;
          ctx.report(
            info,
            u,
            `\`${ctx.text(u)}\` is exactly 1.0 in float32, so this clip does not keep log(1 - p) finite.`,
            {
              explanation:
                'Any c below about 3e-8 rounds 1 - c to 1.0 in float32; the float32 value just below 1 is 0.99999994. Keras uses 1e-7.',
              fixes: literal ? [{ title: `Use ${EPS}`, edits: [ctx.edit(right, EPS)], preferred: true }] : [],
            },
          );
        }
      },
      true,
    );
  },
};
