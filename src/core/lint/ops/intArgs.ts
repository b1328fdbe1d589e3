/**
 * Integer arguments as written in axis and shape positions: `-1`, `[1, 2, 3]`, `(2, 3)`, `tuple(range(2, x.ndim))`,
 * a name bound to one of those, or a parameter default.
 */
import { callArgs } from '../signatures';
import { child, namedChildren, textOf, unparen, type SNode } from '../syntax';
import { parseNumber } from '../values';
import type { EvalContext } from './call';

/** Integer list of an axis argument; 'none' for a literal `None`; undefined when unknown. */
export function intList(
  ctx: EvalContext,
  node: SNode,
  rank: number | undefined,
  depth = 0,
): number[] | 'none' | undefined {
  const { tree } = ctx.model;
  const n = unparen(node);
  if (depth > 8) return undefined;
  if (n.type === 'none') return 'none';
  if (n.type === 'integer') return [Number(textOf(tree, n))];
  if (n.type === 'unary_operator') {
    const v = parseNumber(textOf(tree, n).replace(/\s+/g, ''));
    return v === undefined || !Number.isInteger(v) ? undefined : [v];
  }
  if (n.type === 'list' || n.type === 'tuple' || n.type === 'expression_list') {
    const out: number[] = [];
    for (const c of namedChildren(n)) {
      const v = intList(ctx, c, rank, depth + 1);
      if (!Array.isArray(v) || v.length !== 1) return undefined;
      out.push(v[0]);
    }
    return out;
  }
  if (n.type === 'identifier') {
    const name = textOf(tree, n);
    const b = ctx.bindingBefore(name, n.start);
    if (b?.value) return intList(ctx, b.value, rank, depth + 1);
    const p = ctx.fn.params.find((q) => q.name === name);
    if (p?.default && !b) return intList(ctx, p.default, rank, depth + 1);
    return undefined;
  }
  if (n.type === 'call') return intListCall(ctx, n, rank, depth);
  return undefined;
}

/** `tuple(...)`, `list(...)` and `range(a, b)` in an axis argument. */
function intListCall(
  ctx: EvalContext,
  n: SNode,
  rank: number | undefined,
  depth: number,
): number[] | 'none' | undefined {
  const { tree } = ctx.model;
  const f = child(n, 'function');
  const fname = f ? textOf(tree, f) : '';
  const args = callArgs(tree, n);
  if ((fname === 'tuple' || fname === 'list') && args.positional[0])
    return intList(ctx, args.positional[0], rank, depth + 1);
  if (fname === 'range') {
    const bounds = args.positional.map((a) => rankExpr(ctx, a, rank));
    if (bounds.some((b) => b === undefined)) return undefined;
    const [a, b] =
      bounds.length === 1 ? [0, bounds[0] as number] : [bounds[0] as number, bounds[1] as number];
    const out: number[] = [];
    for (let i = a; i < b && out.length < 16; i++) out.push(i);
    return out;
  }
  return undefined;
}

/** Integer list of several arguments (`x.permute(0, 2, 3, 1)`). */
export function intListOf(
  ctx: EvalContext,
  nodes: readonly SNode[],
  rank: number | undefined,
): number[] | undefined {
  const out: number[] = [];
  for (const n of nodes) {
    const v = intList(ctx, n, rank);
    if (!Array.isArray(v) || v.length !== 1) return undefined;
    out.push(v[0]);
  }
  return out;
}

/** Integer expressions in `range(...)`: literals, `x.ndim`, `x.dim()`, `len(x.shape)`, `K.ndim(x)`. */
function rankExpr(ctx: EvalContext, node: SNode, rank: number | undefined): number | undefined {
  const text = textOf(ctx.model.tree, node).replace(/\s+/g, '');
  const lit = parseNumber(text);
  if (lit !== undefined) return lit;
  if (/(\.ndim|\.dim\(\)|^len\(.*\.shape\)|^(K|tf|ops)\.(ndim|rank)\(.*\))$/.test(text)) return rank;
  const m = /^(.*\.ndim|.*\.dim\(\)|len\(.*\.shape\))-(\d+)$/.exec(text);
  if (m && rank !== undefined) return rank - Number(m[2]);
  return undefined;
}
