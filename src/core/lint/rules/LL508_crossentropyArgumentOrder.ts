/**
 * LL508 crossentropy-argument-order (E). Docs: docs/rules/LL508.md.
 * A crossentropy call whose positional arguments look swapped: the prediction sits in the target's slot and the
 * target in the prediction's (by data flow from the function's parameters, or by unambiguous names).
 */
import { ruleInfo, type Rule } from '../rule';
import { SRC_PRED, SRC_TRUE } from '../values';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL508',
  'crossentropy-argument-order',
  'error',
  5,
  'K.binary_crossentropy(target, output) takes the target first; the arguments here look swapped.',
);

const PRED = /^(y_?pred|pred\w*|output|outputs|logits?|probs?)$/;
const TRUE = /^(y_?true|target|targets|mask|masks|labels?|gt)$/;

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(
      ctx,
      (_fn, ev) => {
        for (const c of ev.events.lossCalls) {
          if (!c.spec || !c.pred || !c.truth) continue;
          const p = c.pred;
          const t = c.truth;
          const pt = ctx.text(p.node);
          const tt = ctx.text(t.node);
          if (pt === tt) continue;
          const byFlow = p.val.src === SRC_TRUE && t.val.src === SRC_PRED;
          const byName = PRED.test(tt) && TRUE.test(pt);
          if (!byFlow && !byName) continue;
          const order = `${c.spec.truth === c.spec.params[0] ? 'target first' : 'prediction first'}`;
          ctx.report(
            info,
            c.call,
            `\`${c.name.split('.').pop()}\` takes the ${order} (${c.spec.params.slice(0, 2).join(', ')}); here \`${pt}\` is in the prediction slot and \`${tt}\` in the target slot.`,
            {
              explanation:
                'Swapped arguments give a loss that is finite but wrong. (Theano and old tf.contrib.keras used (output, target); check the signature of the version in use.)',
              fixes: [
                {
                  title: 'Swap the two arguments',
                  edits: [ctx.edit(p.node, tt), ctx.edit(t.node, pt)],
                  preferred: true,
                },
              ],
            },
          );
        }
      },
      true,
    );
  },
};
