/**
 * Ops that turn scores into labels or labels into masks: one-hot encoding, dtype casts, thresholds/comparisons/
 * rounding and argmax. They carry the facts the mask rules (LL4xx) and the "hard decision in a loss" rules read.
 */
import { argFor } from '../signatures';
import { child, textOf } from '../syntax';
import { SRC_PRED, UNKNOWN, type TVal } from '../values';
import { keep, type OpCall } from './call';
import { intList } from './intArgs';

/** `F.one_hot(labels, C)` appends a class axis; `zeros.scatter_(1, labels, 1)` fills one in place. */
export function onehot(call: OpCall): TVal {
  const { node, spec, args, operand, operandNode, method, ctx } = call;
  if (method) {
    const idx = argFor(args, spec, 'index');
    const labels = idx ? ctx.evalNode(idx.node) : UNKNOWN;
    ctx.events.onehots.push({ call: node, labels, labelsNode: idx?.node });
    return { axes: operand.axes, src: operand.src | labels.src, sites: [], onehot: true, multiclass: true };
  }
  ctx.events.onehots.push({ call: node, labels: operand, labelsNode: operandNode });
  return {
    axes: operand.axes ? [...operand.axes, 'C'] : null,
    src: operand.src,
    sites: [],
    onehot: true,
    multiclass: true,
    cast: true,
    // One-hot of the prediction's argmax is still a hard decision (no gradient).
    ...(operand.hard ? { hard: operand.hard } : {}),
  };
}

/** `K.cast(x, 'float32')`, `x.float()`, `x.long()`: a cast to an integer or bool type of a prediction is hard. */
export function cast(call: OpCall): TVal {
  const { node, args, operand, method, ctx } = call;
  const { tree } = ctx.model;
  const dtype = method ? textOf(tree, node) : args.positional[1] ? textOf(tree, args.positional[1]) : '';
  const toBool = /bool|int|uint|long\(|byte\(/.test(
    method ? textOf(tree, child(node, 'function') ?? node) + dtype : dtype,
  );
  return keep(call, {
    cast: true,
    labels: false,
    hard: toBool && operand.src & SRC_PRED ? node : operand.hard,
  });
}

/** Threshold and argmax: a prediction-derived result is a hard (non-differentiable) decision. */
function hardDecision(call: OpCall, withOther: boolean, axes: TVal['axes']): TVal {
  const { node, args, operand, ctx } = call;
  // The second argument is evaluated for both kinds (its events count), but only a comparison mixes in its source.
  const other = args.positional[1] ? ctx.evalNode(args.positional[1]) : UNKNOWN;
  const src = operand.src | (withOther ? other.src : 0);
  return { ...operand, axes, src, sites: [], hard: src & SRC_PRED ? node : operand.hard, isConst: false };
}

/** `K.round(p)`, `p > 0.5` spelled `K.greater(p, 0.5)`, `torch.sign(x)`. */
export function threshold(call: OpCall): TVal {
  return hardDecision(call, true, call.operand.axes);
}

/** `K.argmax(p, -1)`, `p.argmax(1)`: the class axis is reduced away. */
export function argmax(call: OpCall): TVal {
  const { args, spec, operand, method, ctx } = call;
  let axes = operand.axes;
  const d = method ? (args.positional[0] ?? args.keywords.get('dim')) : argFor(args, spec, 'axis')?.node;
  const list = d && axes ? intList(ctx, d, axes.length) : undefined;
  axes =
    axes && Array.isArray(list) && list.length === 1
      ? axes.filter((_, k) => k !== (list[0] + axes!.length) % axes!.length)
      : null;
  return hardDecision(call, false, axes);
}
