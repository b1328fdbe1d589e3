/**
 * Subscripts (`x[:, 1:]`, `p[..., 0]`, `t[:, None]`): integer indices drop an axis, `None` inserts a singleton,
 * slices keep theirs, and `1:` slices that skip the background channel are recorded (LL5xx), as are subscripts
 * with more indices than the tracked rank (LL108, like a reduction over a dim that does not exist).
 */
import { child, textOf, type SNode } from '../syntax';
import { UNKNOWN, type Axes, type TVal } from '../values';
import type { EvalContext } from './call';

/** The index items as the engine reads them: a slice's text, '...', 'None' or '#' (one integer position). */
function indexItems(ctx: EvalContext, idx: SNode[]): string[] | undefined {
  const items: string[] = [];
  for (const i of idx) {
    if (i.type === 'slice') items.push(textOf(ctx.model.tree, i).replace(/\s+/g, ''));
    else if (i.type === 'ellipsis') items.push('...');
    else if (i.type === 'none') items.push('None');
    // `np.newaxis` / `tf.newaxis` are None by another name.
    else if (i.type === 'attribute' && /\.newaxis$/.test(textOf(ctx.model.tree, i))) items.push('None');
    else if (i.type === 'integer' || i.type === 'unary_operator' || i.type === 'identifier') items.push('#');
    else return undefined;
  }
  return items;
}

/** The items with `...` expanded and trailing `:` added, so that there is one item per axis (plus `None`s). */
function expandItems(items: string[], rank: number): string[] | undefined {
  const real = items.filter((s) => s !== '...' && s !== 'None').length;
  if (real > rank) return undefined;
  const expanded: string[] = [];
  for (const s of items) {
    if (s === '...') for (let k = 0; k < rank - real; k++) expanded.push(':');
    else expanded.push(s);
  }
  if (items.indexOf('...') < 0) while (expanded.filter((s) => s !== 'None').length < rank) expanded.push(':');
  return expanded;
}

export function evalSubscript(ctx: EvalContext, node: SNode): TVal {
  const valueNode = child(node, 'value');
  if (!valueNode) return UNKNOWN;
  const v = ctx.evalNode(valueNode);
  const idx = node.children.filter((c) => c.field === 'subscript');
  if (!v.src) return v.isConst ? v : UNKNOWN;
  const keep = (axes: Axes | null): TVal => ({ ...v, axes, sites: v.sites });
  if (!v.axes) return keep(null);
  const items = indexItems(ctx, idx);
  const expanded = items && expandItems(items, v.axes.length);
  if (items && !expanded) {
    const indices = items.filter((s) => s !== '...' && s !== 'None').length;
    ctx.events.indexOutOfRange.push({ node, operandAxes: v.axes, indices });
  }
  if (!items || !expanded) return keep(null);
  const out: Axes = [];
  let axis = 0;
  for (const s of expanded) {
    if (s === 'None') {
      out.push('1');
      continue;
    }
    const label = v.axes[axis];
    if (s === '#') {
      axis++;
      continue;
    }
    if (/^1:$/.test(s)) ctx.events.slices.push({ node, label, operand: v, valueNode, items });
    out.push(label);
    axis++;
  }
  return keep(out);
}
