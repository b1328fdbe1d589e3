/**
 * LL304 unguarded-log (E). Docs: docs/rules/LL304.md.
 * log() of a prediction-derived value (p or 1 - p) with no clip, clamp or added epsilon on the path: p reaches 0
 * or 1 in float32 and the loss becomes -inf/NaN. Generalises dslinter's missing-mask check by following local
 * assignments.
 */
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import { child, namedChildren, operatorOf, textOf, unparen, type SNode } from '../syntax';
import type { Fix } from '../types';
import { parseNumber, SRC_PRED } from '../values';
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

const AT_LEAST_ONE = /(^|\.)(cosh)$/;
const POSITIVE = /(^|\.)(exp|cosh|softplus)$/;

/**
 * An argument that is ≥ 1 (or > 0 and summed with 1) by construction: `cosh(x)` (the log-cosh loss), `1 + exp(x)`,
 * `1 + Σ exp(x)` (log-sum-exp), `1 + softplus(x)`. Its log never reaches -inf, and a clip would break it.
 */
function atLeastOne(ctx: RuleContext, arg: SNode): boolean {
  const tree = ctx.model.tree;
  const callName = (n: SNode): string => {
    const u = unparen(n);
    if (u.type !== 'call') return '';
    const f = child(u, 'function');
    return f ? textOf(tree, f) : '';
  };
  // exp(x), exp(x).sum(1), torch.sum(torch.exp(x), 1): positive, and a sum of positives is positive.
  const positive = (n: SNode): boolean => {
    const u = unparen(n);
    if (POSITIVE.test(callName(u))) return true;
    if (u.type !== 'call') return false;
    const f = child(u, 'function');
    const obj = f?.type === 'attribute' ? child(f, 'object') : undefined;
    const first = child(u, 'arguments') ? namedChildren(child(u, 'arguments') as SNode)[0] : undefined;
    return /(^|\.)sum$/.test(callName(u)) && [obj, first].some((x) => x !== undefined && positive(x));
  };
  const a = unparen(arg);
  if (AT_LEAST_ONE.test(callName(a))) return true;
  if (a.type === 'binary_operator' && operatorOf(tree, a) === '+') {
    const l = child(a, 'left');
    const r = child(a, 'right');
    if (!l || !r) return false;
    const one = (x: SNode): boolean => {
      const n = parseNumber(textOf(tree, unparen(x)));
      return n !== undefined && n >= 1;
    };
    return (one(l) && positive(r)) || (one(r) && positive(l));
  }
  return false;
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
          if (v.sites.length || atLeastOne(ctx, l.argNode)) continue;
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
