/**
 * Shape ops: flatten, batch-flatten, reshape/view, permute/transpose, swapaxes, squeeze, unsqueeze. They move,
 * merge, drop or insert symbolic axes and keep every other fact of the operand.
 */
import { argFor } from '../signatures';
import { child, namedChildren, textOf, unparen, type SNode } from '../syntax';
import type { Axes, TVal } from '../values';
import { keep, type OpCall } from './call';
import { intList, intListOf } from './intArgs';

const BATCH_NAME = /^(b|bs|n|batch|batch_size|num|n_batch|nb|batch_sz)$/i;
const CLASS_NAME =
  /^(c|num_classes|n_classes|nc|classes|n_class|num_class|nclasses|n_cls|num_cls|channels|n_channels)$/i;

/** `K.flatten(x)`, `torch.flatten(x, 1)`, `x.flatten(2)`: the axes from start_dim to end_dim pool into one. */
export function flatten(call: OpCall): TVal {
  const { operand, args, spec, ctx } = call;
  if (!operand.axes) return keep(call, { axes: null, sites: [] });
  const rank = operand.axes.length;
  const startArg = argFor(args, spec, 'start_dim');
  const endArg = argFor(args, spec, 'end_dim');
  const start = startArg ? intList(ctx, startArg.node, rank) : [0];
  const end = endArg ? intList(ctx, endArg.node, rank) : [-1];
  if (!Array.isArray(start) || !Array.isArray(end)) return keep(call, { axes: null });
  const s = start[0] < 0 ? start[0] + rank : start[0];
  const e = end[0] < 0 ? end[0] + rank : end[0];
  if (s < 0 || e >= rank || s > e) return keep(call, { axes: null });
  const axes = [
    ...operand.axes.slice(0, s),
    operand.axes.slice(s, e + 1).join(''),
    ...operand.axes.slice(e + 1),
  ];
  return keep(call, { axes });
}

/** `K.batch_flatten(x)`: every axis after the batch pools into one. */
export function batchFlatten(call: OpCall): TVal {
  const { operand } = call;
  if (!operand.axes || operand.axes.length < 2) return keep(call, { axes: null });
  return keep(call, { axes: [operand.axes[0], operand.axes.slice(1).join('')] });
}

/** `x.permute(0, 2, 3, 1)`, `tf.transpose(x, [0, 3, 1, 2])`. */
export function permute(call: OpCall): TVal {
  const { operand, args, spec, method, ctx } = call;
  const rank = operand.axes?.length;
  const dimsNode = method ? undefined : (argFor(args, spec, 'perm')?.node ?? args.positional[1]);
  const dims = method
    ? args.positional.length === 1
      ? intList(ctx, args.positional[0], rank)
      : intListOf(ctx, args.positional, rank)
    : dimsNode
      ? intList(ctx, dimsNode, rank)
      : undefined;
  if (!operand.axes || !Array.isArray(dims) || dims.length !== operand.axes.length)
    return keep(call, { axes: null });
  const axes = dims.map((d) => (operand.axes as Axes)[d < 0 ? d + dims.length : d]);
  return keep(call, { axes: axes.some((a) => a === undefined) ? null : axes });
}

/** `x.transpose(1, 2)`, `np.swapaxes(x, 1, -1)`: two axes trade places. */
export function swap(call: OpCall): TVal {
  const { operand, args, method, canonical, ctx } = call;
  const a = args.positional[method ? 0 : 1];
  const b = args.positional[method ? 1 : 2];
  if (!operand.axes) return keep(call, { axes: null });
  if (!a && !b && method && canonical === undefined) return keep(call, { axes: null });
  const ia = a ? intList(ctx, a, operand.axes.length) : undefined;
  const ib = b ? intList(ctx, b, operand.axes.length) : undefined;
  if (!Array.isArray(ia) || !Array.isArray(ib)) return keep(call, { axes: null });
  const axes = [...operand.axes];
  const r = axes.length;
  const x = ia[0] < 0 ? ia[0] + r : ia[0];
  const y = ib[0] < 0 ? ib[0] + r : ib[0];
  if (x < 0 || y < 0 || x >= r || y >= r) return keep(call, { axes: null });
  [axes[x], axes[y]] = [axes[y], axes[x]];
  return keep(call, { axes });
}

/** The dim argument of squeeze/unsqueeze: `x.squeeze(1)`, `x.squeeze(dim=1)`, `K.squeeze(x, axis=1)`. */
function dimArgument(call: OpCall): SNode | undefined {
  const { args, spec, method } = call;
  return method ? (args.positional[0] ?? args.keywords.get('dim')) : argFor(args, spec, 'axis')?.node;
}

/** `x.squeeze(1)` drops that axis; `x.squeeze()` drops every singleton. */
export function squeeze(call: OpCall): TVal {
  const { operand, ctx } = call;
  const dimArg = dimArgument(call);
  if (!operand.axes) return keep(call, { axes: null });
  if (!dimArg) return keep(call, { axes: operand.axes.filter((a) => a !== '1') });
  const d = intList(ctx, dimArg, operand.axes.length);
  if (!Array.isArray(d) || d.length !== 1) return keep(call, { axes: null });
  const i = d[0] < 0 ? d[0] + operand.axes.length : d[0];
  if (i < 0 || i >= operand.axes.length) return keep(call, { axes: null });
  return keep(call, { axes: operand.axes.filter((_, k) => k !== i) });
}

/** `x.unsqueeze(1)`, `K.expand_dims(x, -1)`: a singleton axis is inserted. */
export function unsqueeze(call: OpCall): TVal {
  const { operand, ctx } = call;
  const dimArg = dimArgument(call);
  if (!operand.axes || !dimArg) return keep(call, { axes: null });
  const d = intList(ctx, dimArg, operand.axes.length + 1);
  if (!Array.isArray(d) || d.length !== 1) return keep(call, { axes: null });
  const r = operand.axes.length + 1;
  const i = d[0] < 0 ? d[0] + r : d[0];
  if (i < 0 || i >= r) return keep(call, { axes: null });
  const axes = [...operand.axes];
  axes.splice(i, 0, '1');
  return keep(call, { axes });
}

/** The dims of a reshape as written: `x.view(B, C, -1)`, `x.view((B, C, -1))`, `tf.reshape(x, [-1, C])`. */
function reshapeDims(call: OpCall): SNode[] {
  const { args, spec, method } = call;
  if (method) {
    const only = args.positional.length === 1 ? unparen(args.positional[0]) : undefined;
    return only && (only.type === 'tuple' || only.type === 'list') ? namedChildren(only) : args.positional;
  }
  const shapeArg = argFor(args, spec, 'shape')?.node;
  const s = shapeArg ? unparen(shapeArg) : undefined;
  return s && (s.type === 'tuple' || s.type === 'list') ? namedChildren(s) : [];
}

/** The axis label a reshape dim names: '*' for -1, '1', 'B'/'C' by name, or the label of `x.shape[k]`. */
function dimLabel(call: OpCall, d: SNode, axes: Axes | null): string | null {
  const text = textOf(call.ctx.model.tree, d).replace(/\s+/g, '');
  if (text === '-1') return '*';
  if (text === '1') return '1';
  if (BATCH_NAME.test(text)) return 'B';
  if (CLASS_NAME.test(text)) return 'C';
  const m = /(?:\.shape\[|\.size\(|shape\()(-?\d+)[\])]$/.exec(text) ?? /\.shape\)\[(-?\d+)\]$/.exec(text);
  if (m && axes) {
    const k = Number(m[1]);
    return axes[k < 0 ? k + axes.length : k] ?? null;
  }
  return null;
}

/**
 * `x.view(B, C, -1)`, `tf.reshape(x, [-1, C])`: the new axes from the dims as written; `-1` pools what the named
 * dims leave. `view(-1, C)` on a channels-first tensor is recorded: it interleaves classes with pixels.
 */
export function reshape(call: OpCall): TVal {
  const { node, args, operand, operandNode, ctx } = call;
  const { tree } = ctx.model;
  const dims = reshapeDims(call);
  const base = { ...operand, sites: operand.sites, isConst: false };
  if (!dims.length || args.splat) return { ...base, axes: null };
  const axes = operand.axes;
  const labels: Array<string | null> = dims.map((d) => dimLabel(call, d, axes));
  const stars = labels.filter((l) => l === '*').length;
  if (!axes || stars !== 1)
    return { ...base, axes: labels.every((l) => l && l !== '*') ? (labels as string[]) : null };
  // view(-1, C) on a channels-first tensor interleaves the class axis with the pixels.
  const last = labels[labels.length - 1];
  if (
    labels.length === 2 &&
    labels[0] === '*' &&
    last === 'C' &&
    axes.indexOf('C') >= 0 &&
    axes.indexOf('C') !== axes.length - 1 &&
    axes.length >= 3 &&
    operandNode
  ) {
    const f = child(node, 'function');
    const attr = f && f.type === 'attribute' ? child(f, 'attribute') : undefined;
    ctx.events.reshapeMix.push({
      call: node,
      operandNode,
      method: attr ? textOf(tree, attr) : 'reshape',
      framework5d: axes.length === 5,
    });
    return { ...base, axes: null };
  }
  const named = labels.filter((l): l is string => l !== null && l !== '*' && l !== '1');
  if (labels.some((l) => l === null)) return { ...base, axes: null };
  const rest = axes.filter((a) => !named.includes(a));
  const out = labels.map((l) => (l === '*' ? rest.join('') : (l as string)));
  if (rest.length === 0) return { ...base, axes: null };
  // A reshape keeps memory order: naming the class axis before the pixels of a channels-last tensor
  // (`one_hot(labels, C).view(B, C, -1)`) interleaves classes and pixels instead of moving the axis.
  const order = (list: Axes): string => list.join('').replace(/1/g, '');
  if (order(out) !== order(axes) && operandNode && named.includes('C')) {
    const f = child(node, 'function');
    const attr = f && f.type === 'attribute' ? child(f, 'attribute') : undefined;
    ctx.events.reshapeMix.push({
      call: node,
      operandNode,
      method: attr ? textOf(tree, attr) : 'reshape',
      framework5d: axes.length === 5,
      classFirst: true,
    });
    return { ...base, axes: null };
  }
  return { ...base, axes: out };
}
