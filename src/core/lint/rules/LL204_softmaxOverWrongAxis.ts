/**
 * LL204 softmax-over-wrong-axis (E; I for implicit-but-correct). Docs: docs/rules/LL204.md.
 * softmax / log_softmax whose axis (explicit, or PyTorch's implicit choice: dim 0 for 0-, 1- and 3-D inputs,
 * else 1; Keras/TF: -1) is not the class axis of the tensor's known axes.
 */
import { ruleInfo, type Rule } from '../rule';
import { child } from '../syntax';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL204',
  'softmax-over-wrong-axis',
  'error',
  2,
  'softmax/log_softmax normalises over the batch or a spatial axis instead of the class axis.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(
      ctx,
      (fn, ev) => {
        // Attention and other helper softmaxes are not about classes: only losses, metrics and module code.
        if (fn.role === 'helper' && fn.name !== '<module>') return;
        for (const a of ev.events.activations) {
          if (a.sub !== 'softmax' && a.sub !== 'log_softmax') continue;
          const axes = a.operand.axes;
          if (!axes || axes.length === 0 || !axes.includes('C')) continue;
          const r = axes.length;
          let dim: number | undefined;
          let implicit = false;
          if (a.dimArg) {
            const list = ev.intList(a.dimArg.node, r);
            if (!Array.isArray(list) || list.length !== 1) continue;
            dim = list[0] < 0 ? list[0] + r : list[0];
          } else {
            implicit = true;
            dim = a.spec.implicitDim === 'torch' ? ([0, 1, 3].includes(r) ? 0 : 1) : r - 1;
          }
          const label = axes[dim];
          const classAxis = axes.indexOf('C');
          const torch = a.spec.implicitDim === 'torch';
          const kw = torch ? 'dim' : 'axis';
          const shape = `(${axes.join(', ')})`;
          const where = fn.name === '<module>' ? '' : ctx.assumptions(fn, { layout: true });
          if (label === 'C') {
            if (implicit && torch) {
              ctx.report(
                info,
                a.call,
                `${a.sub} relies on the implicit dim (${dim}), which is the class axis of ${shape} here; pass ${kw}=${dim} explicitly.`,
                {
                  severity: 'info',
                  fixes: insertDim(ctx, a.call, kw, classAxis),
                },
              );
            }
            continue;
          }
          ctx.report(
            info,
            a.call,
            `${a.sub} normalises over ${implicit ? 'the implicit ' : ''}${kw} ${dim} (${label === 'B' ? 'batch' : label}) of a ${shape} ` +
              `tensor instead of the class axis ${classAxis}${where}.`,
            {
              explanation:
                "PyTorch's implicit dim is 0 for 0-, 1- and 3-D inputs and 1 otherwise; Keras/TF default to the last " +
                'axis. With a batch of 1, softmax over dim 0 is always 1.',
              fixes: implicit
                ? insertDim(ctx, a.call, kw, classAxis)
                : [
                    {
                      title: `Use ${kw}=${classAxis}`,
                      edits: [ctx.edit(a.dimArg!.node, String(classAxis))],
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

function insertDim(
  ctx: Parameters<Rule['check']>[0],
  call: Parameters<typeof child>[0],
  kw: string,
  axis: number,
) {
  const args = child(call, 'arguments');
  if (!args || args.children.length < 2) return [];
  const close = args.children[args.children.length - 1];
  const hasArgs = args.children.some((c) => c.named);
  return [
    {
      title: `Pass ${kw}=${axis} (the class axis)`,
      edits: [ctx.insert(close.start, `${hasArgs ? ', ' : ''}${kw}=${axis}`)],
      preferred: true,
    },
  ];
}
