/**
 * LL205 softmax-over-singleton-channel (E). Docs: docs/rules/LL205.md.
 * A layer with one output unit/filter and activation='softmax': the softmax of one value is always 1. Also a
 * softmax inside a loss over a channel axis that a shape comment or docstring of the function gives size 1
 * (`# logits: (B, 1, H, W)` … `torch.softmax(logits, dim=1)`).
 */
import type { FunctionEval } from '../engine';
import type { FunctionInfo } from '../module';
import { parseNumber, SRC_PRED } from '../values';
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import { callArgs } from '../signatures';
import { child, textOf } from '../syntax';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL205',
  'softmax-over-singleton-channel',
  'error',
  2,
  'softmax over a channel axis of size 1 is constantly 1: use sigmoid for one output channel.',
);

const LAYERS = /^(layers|keras\.layers|nn)\.(Conv[123]D|Conv[123]DTranspose|Dense|SeparableConv2D)$/;

/**
 * The shape text of the function's comments and docstring that gives the channel axis size 1: "(B, 1, H, W)"
 * (channels first) or "[B, H, W, 1]" (channels last), with where the 1 is.
 */
function singletonChannel(
  ctx: RuleContext,
  fn: FunctionInfo,
): { text: string; at: 'first' | 'last' } | undefined {
  const body = textOf(ctx.model.tree, fn.node);
  const hints = [...(body.match(/#[^\n]*/g) ?? []), fn.docstring].join('\n');
  const first = /[([]\s*(?:B|N|batch|bs)\s*,\s*1\s*,\s*(?:[DHW]\s*,\s*){1,2}[HW]\s*[)\]]/i.exec(hints);
  if (first) return { text: first[0], at: 'first' };
  const last = /[([]\s*(?:B|N|batch|bs)\s*,\s*(?:[DHW]\s*,\s*){2,3}1\s*[)\]]/i.exec(hints);
  return last ? { text: last[0], at: 'last' } : undefined;
}

function checkLoss(ctx: RuleContext, fn: FunctionInfo, ev: FunctionEval): void {
  if (fn.role === 'helper') return;
  const hint = singletonChannel(ctx, fn);
  if (!hint) return;
  for (const a of ev.events.activations) {
    const axes = a.operand.axes;
    if (a.sub !== 'softmax' || !(a.operand.src & SRC_PRED) || !axes) continue;
    // An implicit dim is LL204's finding; Keras' default axis is the last one.
    const dims = a.dimArg ? ev.intList(a.dimArg.node, axes.length) : fn.family === 'keras' ? [-1] : undefined;
    if (!Array.isArray(dims) || dims.length !== 1) continue;
    const i = dims[0] < 0 ? dims[0] + axes.length : dims[0];
    const channel = hint.at === 'first' ? 1 : axes.length - 1;
    if (i !== channel || axes[i] !== 'C') continue;
    ctx.report(
      info,
      a.call,
      `softmax over the channel axis, which has size 1 here (${hint.text} in the function): the softmax of one value ` +
        `is always 1, so the loss is constant and nothing trains. Use sigmoid for one output channel.`,
      {
        explanation:
          'softmax(x) over a single value is exp(x)/exp(x) = 1 for every pixel. A binary model with one output ' +
          'channel needs sigmoid; softmax needs two channels (background and foreground).',
      },
    );
  }
}

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => checkLoss(ctx, fn, ev));
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
