/**
 * The op table: every op kind a framework signature can have (signatures.ts) maps to exactly one handler, each
 * kept with its family — shape, reduction, activation, masks (labels and hard decisions), guards, arithmetic,
 * gradient cuts, loss calls. The evaluator (engine.ts) resolves a call to its spec and hands it over here.
 *
 * To teach the engine another framework function, add a `def([...names], spec)` line in signatures.ts with an
 * existing kind. A new kind is one entry in OP_KINDS (signatures.ts) plus its handler in this table: without
 * the handler the table does not compile, and ops.test.ts checks that every kind has one and is used.
 */
import { callArgs, opSpec, type CallArgs, type OpSpec } from '../signatures';
import { child, textOf, type SNode } from '../syntax';
import { SRC_PRED, UNKNOWN, type TVal } from '../values';
import { activation } from './activation';
import { binary, binaryOperands, log, passThrough, pow, reciprocal, square } from './arithmetic';
import type { EvalContext, OpCall, OpHandlerTable } from './call';
import { breakGradient, detach } from './gradient';
import { einsum } from './einsum';
import { clampMin, clip, epsilon, maximum, where } from './guards';
import { lossFn } from './loss';
import { argmax, cast, onehot, threshold } from './masks';
import { reduce } from './reduction';
import { batchFlatten, flatten, permute, reshape, squeeze, swap, unsqueeze } from './shape';

export const OP_HANDLERS: OpHandlerTable = {
  // shape
  flatten,
  batchFlatten,
  reshape,
  permute,
  swap,
  squeeze,
  unsqueeze,
  // reduction
  reduce,
  // activation
  activation,
  // masks: labels and hard decisions
  onehot,
  cast,
  threshold,
  argmax,
  // guards
  clip,
  clampMin,
  maximum,
  where,
  epsilon,
  // arithmetic
  binary,
  log,
  pow,
  square,
  reciprocal,
  abs: passThrough,
  identity: passThrough,
  // gradient cuts
  break: breakGradient,
  detach,
  // loss calls
  lossFn,
  // einsum: a product summed over the dropped letters
  einsum,
};

export function applyOp(call: OpCall): TVal {
  return OP_HANDLERS[call.spec.kind](call);
}

/** A framework call resolved to its signature: the spec, the operand node, and whether it is a tensor method. */
interface ResolvedOp {
  spec?: OpSpec;
  canonical?: string;
  operandNode?: SNode;
  method: boolean;
}

function resolveOp(ctx: EvalContext, fnNode: SNode, args: CallArgs): ResolvedOp {
  const canonical = ctx.model.resolve(fnNode);
  if (!canonical && fnNode.type === 'attribute') {
    const attr = child(fnNode, 'attribute');
    const spec = attr ? opSpec('.' + textOf(ctx.model.tree, attr)) : undefined;
    return { spec, canonical, operandNode: child(fnNode, 'object'), method: true };
  }
  const spec = canonical ? opSpec(canonical) : undefined;
  const operandNode =
    spec && spec.params.length && !spec.params[0].startsWith('*')
      ? (args.positional[0] ?? args.keywords.get(spec.params[0]))
      : undefined;
  return { spec, canonical, operandNode, method: false };
}

/** An unknown function: data still flows from its arguments (and receiver), axes do not. */
function opaqueCall(ctx: EvalContext, fnNode: SNode, args: CallArgs): TVal {
  let src = 0;
  const receiver = fnNode.type === 'attribute' ? child(fnNode, 'object') : undefined;
  const inputs = [...args.positional, ...args.keywords.values(), ...(receiver ? [receiver] : [])];
  let broken: SNode | undefined;
  for (const a of inputs) {
    const v = ctx.evalNode(a);
    src |= v.src;
    broken = broken ?? v.broken;
  }
  return { axes: null, src, sites: [], broken };
}

/** A call of a framework function or tensor method (or an unknown one), through the op table. */
export function evalFrameworkCall(ctx: EvalContext, node: SNode, fnNode: SNode, args: CallArgs): TVal {
  const { spec, canonical, operandNode, method } = resolveOp(ctx, fnNode, args);
  if (!spec) return opaqueCall(ctx, fnNode, args);
  const operand = operandNode ? ctx.evalNode(operandNode) : UNKNOWN;
  const torchStyle = method || canonical?.startsWith('torch') === true;
  const call: OpCall = { node, spec, canonical, args, operandNode, operand, method, torchStyle, ctx };
  // numpy on a prediction-derived tensor in a framework function: the value leaves the graph.
  if (canonical?.startsWith('np.') && ctx.fn.family && ctx.fn.family !== 'numpy' && operand.src & SRC_PRED) {
    ctx.events.numpyOnTensor.push({ call: node, operand });
    return { ...applyOp({ ...call, torchStyle: false }), broken: node };
  }
  return applyOp(call);
}

const DIVISION_NAME = /(div|divide|divide_no_nan|truediv|realdiv)$/;

/**
 * A function-form division (`torch.div(a, b)`, `tf.math.divide_no_nan(a, b)`, `a.div(b)`): its two operands, and
 * whether it returns 0 instead of NaN for 0 / 0.
 */
export function divisionCall(
  ctx: EvalContext,
  node: SNode,
): { numNode: SNode; denNode: SNode; nanSafe: boolean } | undefined {
  const fnNode = node.type === 'call' ? child(node, 'function') : undefined;
  if (!fnNode || !DIVISION_NAME.test(textOf(ctx.model.tree, fnNode))) return undefined;
  const args = callArgs(ctx.model.tree, node);
  const { spec, operandNode, method } = resolveOp(ctx, fnNode, args);
  if (!spec || spec.kind !== 'binary' || spec.sub !== '/') return undefined;
  const operands = binaryOperands({ spec, args, method, operandNode, ctx });
  return operands && { numNode: operands[0], denNode: operands[1], nanSafe: spec.nanSafe === true };
}
