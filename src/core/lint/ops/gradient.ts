/**
 * Gradient cuts: `.numpy()`, `.item()`, `np.asarray(...)` (break) and `.detach()`, `tf.stop_gradient` (detach). A
 * prediction that passes through one no longer trains the network; the cut is recorded for the rules.
 */
import { SRC_PRED, type TVal } from '../values';
import { keep, type OpCall } from './call';

function cut(call: OpCall, detach: boolean): TVal {
  const { node, operand, ctx } = call;
  if (operand.src & SRC_PRED) ctx.events.breaks.push({ call: node, operand });
  return keep(call, {
    broken: operand.broken ?? (operand.src & SRC_PRED ? node : undefined),
    hard: detach ? undefined : operand.hard,
  });
}

/** `.numpy()`, `.item()`, `.tolist()`, `np.asarray(x)`. */
export function breakGradient(call: OpCall): TVal {
  return cut(call, false);
}

/** `.detach()`, `tf.stop_gradient(x)`: also ends a hard decision (the straight-through estimator). */
export function detach(call: OpCall): TVal {
  return cut(call, true);
}
