/**
 * Guards: what keeps a value away from 0, 1 or a division by zero — clip/clamp, clamp_min, maximum, where/switch and
 * the framework epsilon (`divide_no_nan` is a division: ops/arithmetic.ts). Clips are recorded for the log and
 * smoothing rules (LL3xx).
 */
import { argFor } from '../signatures';
import { concatSites, constant, SRC_PRED, UNKNOWN, type TVal } from '../values';
import { keep, type OpCall } from './call';

/** `K.clip(p, eps, 1 - eps)`, `p.clamp(min=eps)`. */
export function clip(call: OpCall): TVal {
  const { node, spec, args, ctx } = call;
  const lower = argFor(args, spec, 'min')?.node;
  const upper = argFor(args, spec, 'max')?.node;
  ctx.events.clips.push({ call: node, upper, lower });
  return keep(call, { guarded: true, clipped: true });
}

/** `p.clamp_min(eps)`. */
export function clampMin(call: OpCall): TVal {
  const { node, spec, args, ctx } = call;
  ctx.events.clips.push({ call: node, upper: undefined, lower: argFor(args, spec, 'min')?.node });
  return keep(call, { guarded: true, clipped: true });
}

/** `K.maximum(x, eps)`: the tensor side, guarded. */
export function maximum(call: OpCall): TVal {
  const { node, spec, args, operand, method, ctx } = call;
  const lower = argFor(args, spec, method ? 'min' : 'y')?.node;
  ctx.events.clips.push({ call: node, upper: undefined, lower });
  const other = lower ? ctx.evalNode(lower) : UNKNOWN;
  const tensor = operand.isConst ? other : operand;
  return { ...tensor, guarded: true, clipped: true, isConst: false };
}

/** `torch.where(cond, x, y)`, `K.switch(...)`: where both branches are constants, a prediction condition is hard. */
export function where(call: OpCall): TVal {
  const { node, args, operand: cond, ctx } = call;
  const x = args.positional[1] ? ctx.evalNode(args.positional[1]) : UNKNOWN;
  const y = args.positional[2] ? ctx.evalNode(args.positional[2]) : UNKNOWN;
  const both = x.isConst && y.isConst;
  return {
    axes: cond.axes ?? x.axes ?? y.axes,
    src: cond.src | x.src | y.src,
    sites: concatSites(x.sites, y.sites),
    hard: both && cond.src & SRC_PRED ? node : (x.hard ?? y.hard),
    act: x.act ?? y.act,
    multiclass: x.multiclass || y.multiclass,
  };
}

/** `K.epsilon()`: Keras's default fuzz factor. */
export function epsilon(): TVal {
  return constant(1e-7);
}
