/**
 * Activations (`sigmoid`, `softmax`, `log_softmax`, `log_sigmoid`): the value becomes a probability (or a
 * log-probability) and the call is recorded with its axis argument, for the activation rules (LL2xx).
 */
import { argFor } from '../signatures';
import { textOf } from '../syntax';
import type { TVal } from '../values';
import { keep, type OpCall } from './call';

export function activation(call: OpCall): TVal {
  const { node, spec, args, operand, operandNode, method, ctx } = call;
  const dimName = spec.params[1] ?? spec.params[0];
  const dimArg = method ? argFor(args, spec, 'dim') : argFor(args, spec, dimName);
  ctx.events.activations.push({ call: node, sub: spec.sub ?? '', operand, spec, dimArg, operandNode });
  const logp = spec.sub === 'log_softmax' || spec.sub === 'log_sigmoid';
  return keep(call, {
    act: logp ? 'logp' : 'prob',
    actNode: node,
    actText: textOf(ctx.model.tree, node).slice(0, 40),
    actKind: spec.sub,
    multiclass: operand.multiclass || spec.sub === 'softmax' || spec.sub === 'log_softmax',
    guarded: false,
    clipped: false,
  });
}
