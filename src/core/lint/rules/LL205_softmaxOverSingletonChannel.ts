/**
 * LL205 softmax-over-singleton-channel (E). Docs: docs/rules/LL205.md.
 * A layer with one output unit/filter and activation='softmax': the softmax of one value is always 1.
 */
import { parseNumber } from '../values';
import { ruleInfo, type Rule } from '../rule';
import { callArgs } from '../signatures';
import { child } from '../syntax';

export const info = ruleInfo(
  'LL205',
  'softmax-over-singleton-channel',
  'error',
  2,
  'softmax over a channel axis of size 1 is constantly 1: use sigmoid for one output channel.',
);

const LAYERS = /^(layers|keras\.layers|nn)\.(Conv[123]D|Conv[123]DTranspose|Dense|SeparableConv2D)$/;

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    for (const n of ctx.model.calls) {
      const f = child(n, 'function');
      const name = f ? ctx.model.resolve(f) : undefined;
      if (!name || !LAYERS.test(name)) continue;
      const args = callArgs(tree, n);
      const units = args.keywords.get('filters') ?? args.keywords.get('units') ?? args.positional[0];
      const act = args.keywords.get('activation');
      if (!units || !act || parseNumber(ctx.text(units)) !== 1 || !/^['"]softmax['"]$/.test(ctx.text(act)))
        continue;
      const quote = ctx.text(act)[0];
      ctx.report(
        info,
        act,
        `softmax over a single output channel is constantly 1, so this model never learns; use sigmoid with one channel or softmax with two.`,
        {
          explanation: 'The softmax of one value is exp(x)/exp(x) = 1 for every input.',
          fixes: [
            {
              title: "Use activation='sigmoid'",
              edits: [ctx.edit(act, `${quote}sigmoid${quote}`)],
              preferred: true,
            },
          ],
        },
      );
    }
  },
};
