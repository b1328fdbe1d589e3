/**
 * LL304 unguarded-log (E). Docs: docs/rules/LL304.md.
 * log() of a prediction-derived value (p or 1 - p) with no clip, clamp or added epsilon on the path: p reaches 0
 * or 1 in float32 and the loss becomes -inf/NaN. Generalises dslinter's missing-mask check by following local
 * assignments.
 */
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import type { SNode } from '../syntax';
import type { Fix } from '../types';
import { SRC_PRED } from '../values';
import { calleeHead, eachFunction, EPS } from './common';

export const info = ruleInfo(
  'LL304',
  'unguarded-log',
  'error',
  3,
  'log(p)/log(1-p) without clip or epsilon: p reaches 0 or 1 in float32 and the loss becomes -inf/NaN.',
);

function clipFix(ctx: RuleContext, call: SNode, arg: SNode): Fix[] {
  const { head, canonical, method } = calleeHead(ctx, call);
  const a = ctx.text(arg);
  let text: string | undefined;
  if (method) text = `${a.match(/^[\w.]+$/) ? a : `(${a})`}.clamp(${EPS}, 1 - ${EPS})`;
  else if (canonical?.startsWith('K.'))
    text = `${head}.clip(${a}, ${head}.epsilon(), 1.0 - ${head}.epsilon())`;
  else if (canonical?.startsWith('tf.')) text = `${head}.clip_by_value(${a}, ${EPS}, 1.0 - ${EPS})`;
  else if (canonical?.startsWith('torch.')) text = `${head}.clamp(${a}, ${EPS}, 1 - ${EPS})`;
  else if (canonical?.startsWith('np.')) text = `${head}.clip(${a}, ${EPS}, 1 - ${EPS})`;
  else if (canonical?.startsWith('ops.')) text = `${head}.clip(${a}, ${EPS}, 1.0 - ${EPS})`;
  return text
    ? [{ title: `Clip the argument to [${EPS}, 1 - ${EPS}]`, edits: [ctx.edit(arg, text)], preferred: true }]
    : [];
}

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(
      ctx,
      (fn, ev) => {
        // Helpers (entropy, log-likelihood utilities) are reported only when a loss or metric calls them.
        if (fn.role === 'helper' && fn.name !== '<module>') return;
        for (const l of ev.events.logs) {
          const v = l.arg;
          if (!(v.src & SRC_PRED) || v.guarded || v.isConst || v.sim || v.act === 'logp' || v.act === 'logit')
            continue;
          if (v.sites.length) continue;
          ctx.report(
            info,
            l.call,
            `\`${ctx.snippet(l.call, 50)}\` takes the log of the prediction with no clip or epsilon; p = 0 (or 1 for log(1 - p)) gives -inf and NaN gradients.`,
            {
              explanation:
                'log(float32(0)) is -inf. Clip to [eps, 1 - eps] (eps = 1e-7), or better use the logit form (log_softmax, *_with_logits, log_sigmoid).',
              fixes: clipFix(ctx, l.call, l.argNode),
            },
          );
        }
      },
      true,
    );
  },
};
