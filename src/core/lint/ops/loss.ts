/**
 * Calls of framework losses: functional ones (`F.binary_cross_entropy(p, t)`, `K.categorical_crossentropy(t, p)`)
 * and instances of loss classes (`criterion = nn.BCEWithLogitsLoss()` … `criterion(logits, t)`). Each call is
 * recorded with its prediction and target arguments and whether the loss expects logits (LL203 and friends).
 */
import { moduleAssignment, selfAssignment } from '../bindings';
import type { LossCallEvent } from '../events';
import { argFor, callArgs, KERAS_LOSS_CLASSES, LOGIT_LOSS_CLASSES, type CallArgs } from '../signatures';
import { child, textOf, type SNode } from '../syntax';
import type { TVal } from '../values';
import type { EvalContext, OpCall } from './call';

/** The value of a loss call: no known axes, data from both arguments. */
function lossValue(ev: LossCallEvent): TVal {
  return {
    axes: null,
    src: (ev.pred?.val.src ?? 0) | (ev.truth?.val.src ?? 0),
    sites: [],
    broken: ev.pred?.val.broken,
  };
}

/** `F.cross_entropy(logits, t)`, `K.binary_crossentropy(t, p, from_logits=True)`. */
export function lossFn(call: OpCall): TVal {
  const { node, spec, args, canonical, ctx } = call;
  const predArg = spec.pred ? argFor(args, spec, spec.pred) : undefined;
  const truthArg = spec.truth ? argFor(args, spec, spec.truth) : undefined;
  const fl = args.keywords.get('from_logits');
  const ev: LossCallEvent = {
    call: node,
    name: canonical ?? '',
    takesLogits: spec.takesLogits === true || (fl !== undefined && textOf(ctx.model.tree, fl) === 'True'),
    pred: predArg ? { node: predArg.node, val: ctx.evalNode(predArg.node) } : undefined,
    truth: truthArg ? { node: truthArg.node, val: ctx.evalNode(truthArg.node) } : undefined,
    spec,
  };
  ctx.events.lossCalls.push(ev);
  return lossValue(ev);
}

export interface LossInstance {
  /** The canonical class name (`nn.BCEWithLogitsLoss`). */
  canonical: string;
  /** The constructor call (`nn.BCEWithLogitsLoss(pos_weight=w)`). */
  call: SNode;
}

/** `criterion = nn.BCEWithLogitsLoss()` / `self.bce = ...`: the loss class an instance was made from. */
export function lossInstance(ctx: EvalContext, fnNode: SNode): LossInstance | undefined {
  const { model } = ctx;
  const { tree } = model;
  let source: SNode | undefined;
  if (fnNode.type === 'identifier') {
    const name = textOf(tree, fnNode);
    source = ctx.bindingBefore(name, fnNode.start)?.value;
    if (!source) source = moduleAssignment(model, name);
  } else if (fnNode.type === 'attribute') {
    const obj = child(fnNode, 'object');
    const attr = child(fnNode, 'attribute');
    if (obj && attr && textOf(tree, obj) === 'self' && ctx.fn.className) {
      source = selfAssignment(model, ctx.fn.className, textOf(tree, attr));
    }
  }
  if (!source || source.type !== 'call') return undefined;
  const callee = child(source, 'function');
  const canonical = callee ? model.resolve(callee) : undefined;
  if (!canonical) return undefined;
  if (
    LOGIT_LOSS_CLASSES.has(canonical) ||
    KERAS_LOSS_CLASSES.has(canonical) ||
    /^nn\.\w+Loss$/.test(canonical)
  ) {
    return { canonical, call: source };
  }
  return undefined;
}

/** `criterion(logits, target)`: Keras instances take (y_true, y_pred), PyTorch ones (input, target). */
export function lossInstanceCall(
  ctx: EvalContext,
  node: SNode,
  instance: LossInstance,
  args: CallArgs,
): TVal {
  const { tree } = ctx.model;
  const keras = KERAS_LOSS_CLASSES.has(instance.canonical);
  const fromLogits = callArgs(tree, instance.call).keywords.get('from_logits');
  const takesLogits =
    LOGIT_LOSS_CLASSES.has(instance.canonical) ||
    (fromLogits !== undefined && textOf(tree, fromLogits) === 'True');
  const [a, b] = args.positional;
  const predNode = keras ? b : a;
  const truthNode = keras ? a : b;
  const ev: LossCallEvent = {
    call: node,
    name: instance.canonical,
    takesLogits,
    pred: predNode ? { node: predNode, val: ctx.evalNode(predNode) } : undefined,
    truth: truthNode ? { node: truthNode, val: ctx.evalNode(truthNode) } : undefined,
  };
  ctx.events.lossCalls.push(ev);
  return { axes: [], src: (ev.pred?.val.src ?? 0) | (ev.truth?.val.src ?? 0), sites: [] };
}
