/**
 * Arithmetic: the binary operators (`+ - * / **`, with broadcasting, the `1 - dice` similarity sign and the
 * confusion-matrix terms TP/FP/FN), their function forms (`torch.div(a, b)`, `tf.math.multiply(a, b)`, `a.mul(b)`),
 * and the elementwise math calls (log, pow, square, abs, identity-like methods).
 */
import { argFor } from '../signatures';
import { textOf, type SNode } from '../syntax';
import {
  concatSites,
  constant,
  spatialLabels,
  SRC_PRED,
  SRC_TRUE,
  UNKNOWN,
  type Axes,
  type TVal,
} from '../values';
import { keep, type EvalContext, type OpCall } from './call';

function foldConstants(op: string, a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '*') return a * b;
  if (op === '/') return a / b;
  if (op === '**') return a ** b;
  return undefined;
}

/** `x ** k`: recorded when the exponent is a constant (fractional powers at 0, focal exponents). */
function power(ctx: EvalContext, node: SNode, l: TVal, r: TVal, leftNode?: SNode, rightNode?: SNode): TVal {
  const exp = r.num;
  if (exp !== undefined && exp > 0 && exp < 1 && rightNode) {
    ctx.events.pows.push({ node, base: l, baseNode: leftNode ?? node, exponentNode: rightNode });
  } else if (rightNode && r.isConst && leftNode) {
    ctx.events.pows.push({ node, base: l, baseNode: leftNode, exponentNode: rightNode });
  }
  return { ...l, squared: exp === 2 || l.squared, sites: l.sites, isConst: false };
}

/**
 * Same-rank broadcasting axis by axis: a singleton takes the other side's label, so a class weight viewed as
 * (1, C, 1, 1) times a (B, C, H, W) tensor is (B, C, H, W), not (1, C, 1, 1). Labels that disagree otherwise keep
 * the left side's, as before.
 */
function mergeSameRank(a: Axes, b: Axes): Axes {
  let out: Axes | undefined;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '1' && b[i] !== '1') (out ??= [...a])[i] = b[i];
  }
  return out ?? a;
}

/**
 * A factor that carries no data of the prediction or the target and whose shape is unknown — a `weight` parameter,
 * `self.weight.view(1, -1, 1, 1)`: it scales the tensor it multiplies (or divides) without changing its axes.
 */
function shapelessScale(v: TVal): boolean {
  return v.src === 0 && !v.isConst && v.axes === null;
}

/** The axes of an elementwise result; a product of two tensors of different rank is recorded as a broadcast. */
function broadcastAxes(ctx: EvalContext, node: SNode, op: string, l: TVal, r: TVal): Axes | null {
  if (l.isConst || (l.axes && l.axes.length === 0 && !l.src)) return r.axes;
  if (r.isConst || (r.axes && r.axes.length === 0 && !r.src)) return l.axes;
  if ((op === '*' || op === '/') && r.src && shapelessScale(l)) return r.axes;
  if ((op === '*' || op === '/') && l.src && shapelessScale(r)) return l.axes;
  if (l.axes && r.axes) {
    if (l.axes.length === r.axes.length) return mergeSameRank(l.axes, r.axes);
    if (op === '*' && l.src && r.src && l.axes.length > 0 && r.axes.length > 0) {
      ctx.events.broadcasts.push({ node, left: l, right: r });
    }
    return null;
  }
  return l.axes && l.axes.length === 0 ? r.axes : r.axes && r.axes.length === 0 ? l.axes : null;
}

/**
 * `p_t = t * p + (1 - t) * (1 - p)` with `p` clipped: combining a guarded prediction with the target keeps the
 * result off 0 and 1, so a log of it is not unguarded (every prediction-derived side must be guarded).
 */
function predSidesGuarded(op: string, l: TVal, r: TVal): boolean {
  if (op !== '*' && op !== '+' && op !== '-') return false;
  const pred = [l, r].filter((v) => (v.src & SRC_PRED) !== 0);
  return pred.length > 0 && pred.every((v) => v.guarded === true);
}

/** The facts an elementwise result inherits from its operands (a constant side passes the tensor's through). */
function mergeFacts(op: string, l: TVal, r: TVal, axes: Axes | null): TVal {
  const tensorSide = l.isConst ? r : r.isConst ? l : undefined;
  const predLive = (v: TVal): boolean => (v.src & SRC_PRED) !== 0 && !v.broken;
  return {
    axes,
    src: l.src | r.src,
    sites: op === '/' ? [] : concatSites(l.sites, r.sites),
    act: tensorSide ? tensorSide.act : (l.act ?? r.act),
    actNode: tensorSide ? tensorSide.actNode : (l.actNode ?? r.actNode),
    actText: tensorSide ? tensorSide.actText : (l.actText ?? r.actText),
    actWhere: tensorSide ? tensorSide.actWhere : (l.actWhere ?? r.actWhere),
    actKind: tensorSide ? tensorSide.actKind : (l.actKind ?? r.actKind),
    hard: l.hard ?? r.hard,
    broken: predLive(l) || predLive(r) ? undefined : (l.broken ?? r.broken),
    multiclass: l.multiclass || r.multiclass,
    onehot: l.onehot || r.onehot,
    labels: l.labels && r.labels,
    cast: l.cast || r.cast,
    guarded:
      (op === '+' && (l.isConst || r.isConst)) ||
      (tensorSide?.guarded ?? false) ||
      predSidesGuarded(op, l, r),
    clipped: tensorSide?.clipped,
    weight: op === '/' ? undefined : (l.weight ?? r.weight),
    squared: op !== '/' && tensorSide ? tensorSide.squared : undefined,
  };
}

/** Confusion-matrix structure: 1 - x, then (1 - t) * p (FP), t * (1 - p) (FN) or t * p (intersection). */
function markConfusionTerms(out: TVal, op: string, l: TVal, r: TVal): void {
  if (op === '-' && l.isConst && l.num === 1 && r.src && !r.isConst) out.complementOf = r.src;
  if (op === '*' && l.src && r.src && !l.isConst && !r.isConst) {
    const fp = (c: TVal, o: TVal): boolean => c.complementOf === SRC_TRUE && (o.src & SRC_PRED) !== 0;
    const fn = (c: TVal, o: TVal): boolean => c.complementOf === SRC_PRED && (o.src & SRC_TRUE) !== 0;
    if (fp(l, r) || fp(r, l)) out.term = 'FP';
    else if (fn(l, r) || fn(r, l)) out.term = 'FN';
    else if ((l.src & SRC_PRED && r.src & SRC_TRUE) || (l.src & SRC_TRUE && r.src & SRC_PRED))
      out.product = true;
  }
  // A factor that carries no data of its own (a constant, a `weight` parameter) or only a class weight computed
  // from the target (generalised Dice: w = 1 / (Σt)²) scales a term without changing what it is: `w * Σ(p + t)` is
  // still a denominator, not an intersection.
  // A class weight has no spatial axis; once it multiplies the target (`w * t`, then `* p`) the result is weighted
  // data, no longer a scale.
  const scale = (v: TVal): boolean =>
    v.isConst === true ||
    v.src === 0 ||
    (v.weight !== undefined && v.src === SRC_TRUE && (v.axes === null || spatialLabels(v.axes).size === 0));
  if (op === '*' && (scale(l) || scale(r))) {
    const t = scale(l) ? r : l;
    out.term = t.term;
    out.product = t.product;
  }
}

/** The similarity sign: a ratio of reductions is a similarity (+1); `1 - s` and `-s` flip it. */
function markSimilarity(out: TVal, op: string, l: TVal, r: TVal): void {
  const tensorSide = l.isConst ? r : r.isConst ? l : undefined;
  if (op === '/') {
    const overlap = l.sites.some((s) => s.operand.src) && r.sites.some((s) => s.operand.src);
    out.sim = overlap ? 1 : (l.sim ?? undefined);
    out.guarded = l.guarded;
  } else if (op === '-' && l.isConst && r.sim) out.sim = r.sim === 1 ? -1 : 1;
  else if (op === '-' && r.isConst && l.sim) out.sim = l.sim;
  else if ((op === '*' || op === '+') && tensorSide?.sim) {
    const negative = (l.isConst ? l.num : r.num) ?? 1;
    out.sim = op === '*' && negative < 0 ? (tensorSide.sim === 1 ? -1 : 1) : tensorSide.sim;
  } else if (op === '+' && (l.sim || r.sim)) out.sim = l.sim ?? r.sim;
}

/** Elementwise combination with broadcasting; `-`/`+` keep the similarity sign logic for `1 - dice`. */
export function combine(
  ctx: EvalContext,
  node: SNode,
  op: string,
  l: TVal,
  r: TVal,
  leftNode?: SNode,
  rightNode?: SNode,
): TVal {
  if (l.isConst && r.isConst) return constant(foldConstants(op, l.num, r.num));
  if (op === '**') return power(ctx, node, l, r, leftNode, rightNode);
  const out = mergeFacts(op, l, r, broadcastAxes(ctx, node, op, l, r));
  markConfusionTerms(out, op, l, r);
  // 1 / (Σt)² (+ eps): the generalized-Dice class weight.
  if (op === '/' && l.isConst && r.src === SRC_TRUE && r.squared && r.sites.length) out.weight = node;
  // The straight-through estimator x + (hard - x).detach() keeps the gradient of x: not a hard threshold.
  if (op === '+' && ((l.broken && r.src & SRC_PRED) || (r.broken && l.src & SRC_PRED))) out.hard = undefined;
  const { tree } = ctx.model;
  if (op === '*' && leftNode && rightNode && textOf(tree, leftNode) === textOf(tree, rightNode) && l.src) {
    out.squared = true;
  }
  markSimilarity(out, op, l, r);
  return out;
}

/** The two operands of a function-form operator: the receiver and `other` of a method, else the two arguments. */
export function binaryOperands(
  call: Pick<OpCall, 'spec' | 'args' | 'method' | 'operandNode' | 'ctx'>,
): [SNode, SNode] | undefined {
  const { spec, args, method, operandNode, ctx } = call;
  const right = method
    ? (args.positional[0] ?? args.keywords.get('other'))
    : argFor(args, spec, spec.params[1])?.node;
  // `self.add(x)` is a method of the class, not a tensor operator.
  if (method && operandNode && textOf(ctx.model.tree, operandNode) === 'self') return undefined;
  return operandNode && right && !args.splat ? [operandNode, right] : undefined;
}

/** `torch.div(a, b)`, `tf.math.divide_no_nan(a, b)`, `ops.multiply(a, b)`, `a.mul(b)`: read as `a / b`, `a * b`. */
export function binary(call: OpCall): TVal {
  const { node, spec, operand, ctx } = call;
  const operands = binaryOperands(call);
  if (!operands || !spec.sub) return keep(call, { axes: null, sites: [] });
  const [leftNode, rightNode] = operands;
  return combine(ctx, node, spec.sub, operand, ctx.evalNode(rightNode), leftNode, rightNode);
}

/** `K.log(p)`: recorded for the unguarded-log rule; the log of a probability is a log-probability. */
export function log(call: OpCall): TVal {
  const { node, operand, operandNode, ctx } = call;
  if (operandNode) ctx.events.logs.push({ call: node, arg: operand, argNode: operandNode });
  return keep(call, {
    act: operand.act === 'prob' ? 'logp' : undefined,
    guarded: false,
    clipped: false,
    sim: operand.sim,
  });
}

/** `K.pow(x, k)`, `x.pow(k)`: like `x ** k`. */
export function pow(call: OpCall): TVal {
  const { node, args, operand, operandNode, method, ctx } = call;
  const expNode = method ? args.positional[0] : args.positional[1];
  const exp = expNode ? ctx.evalNode(expNode) : UNKNOWN;
  if (expNode && exp.isConst)
    ctx.events.pows.push({ node, base: operand, baseNode: operandNode ?? node, exponentNode: expNode });
  return keep(call, { squared: exp.num === 2 });
}

/** `K.square(x)`. */
export function square(call: OpCall): TVal {
  return keep(call, { squared: true });
}

/** `K.abs(x)`, `x.contiguous()`, `x.cpu()`: the value passes through. */
export function passThrough(call: OpCall): TVal {
  return keep(call, {});
}

/** `torch.reciprocal(x)`, `x.reciprocal()`: read as `1 / x`. */
export function reciprocal(call: OpCall): TVal {
  const { node, operand, operandNode, ctx } = call;
  return combine(ctx, node, '/', constant(1), operand, undefined, operandNode);
}
