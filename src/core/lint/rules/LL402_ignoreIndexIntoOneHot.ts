/**
 * LL402 ignore-index-into-one-hot (E). Docs: docs/rules/LL402.md.
 * In a function with an ignore_index parameter, labels go into one_hot/scatter_ without the ignore value being
 * replaced first (`labels[labels == ignore] = 0`, `where(...)`).
 */
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL402',
  'ignore-index-into-one-hot',
  'error',
  4,
  'Labels may contain an ignore value (e.g. 255); mask them before one_hot/scatter_.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      const ignore = fn.params.find((p) => /ignore/i.test(p.name));
      if (!ignore) return;
      for (const o of ev.events.onehots) {
        const node = o.labelsNode;
        if (!node || node.type !== 'identifier') continue;
        const name = ctx.text(node);
        if (ev.events.mutations.some((m) => m.name === name && m.node.end <= o.call.start)) continue;
        const def = ev.definition(node);
        if (def !== node && ctx.text(def).includes(ignore.name)) continue;
        ctx.report(
          info,
          o.call,
          `\`${name}\` may hold the ignore value \`${ignore.name}\` here; one_hot of it raises a device-side assert or counts ignored pixels as a class.`,
          {
            explanation:
              'Build a validity mask, replace ignored labels with any valid class before one_hot, and multiply both overlap terms by the mask.',
          },
        );
      }
    });
  },
};
