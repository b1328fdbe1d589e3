/**
 * `einsum` (issue 15 §3): `torch.einsum('bchw,bchw->bc', p, t)` is the product `p * t` summed over the letters the
 * output leaves out (here h and w), so it becomes one reduce site like `(p * t).sum(dim=(2, 3))`; one operand
 * (`'bchw->bc'`) is a plain sum. Only explicit equations whose operands share one subscript are modelled (no
 * `...`, no broadcasting between operands); anything else keeps the data flow and drops the axes.
 */
import { textOf } from '../syntax';
import type { Axes, Site, TVal } from '../values';
import { combine } from './arithmetic';
import type { OpCall } from './call';

/** `'bchw,bchw->bc'` → inputs and output, or undefined when the equation is not a plain literal we model. */
function parseEquation(text: string): { inputs: string[]; output: string } | undefined {
  const m = /^[rbu]?(['"])([^'"]*)\1$/i.exec(text.trim());
  if (!m) return undefined;
  const eq = m[2].replace(/\s+/g, '');
  const parts = eq.split('->');
  if (parts.length !== 2 || !/^[a-zA-Z,]+$/.test(parts[0]) || !/^[a-zA-Z]*$/.test(parts[1])) return undefined;
  return { inputs: parts[0].split(','), output: parts[1] };
}

export function einsum(call: OpCall): TVal {
  const { node, args, ctx, torchStyle } = call;
  const [eqNode, ...operandNodes] = args.positional;
  const values = operandNodes.map((n) => ctx.evalNode(n));
  const src = values.reduce((s, v) => s | v.src, 0);
  const opaque: TVal = { axes: null, src, sites: [] };
  const eq = eqNode ? parseEquation(textOf(ctx.model.tree, eqNode)) : undefined;
  if (!eq || eq.inputs.length !== values.length || values.length < 1 || values.length > 2) return opaque;
  const sub = eq.inputs[0];
  if (eq.inputs.some((s) => s !== sub) || new Set(sub).size !== sub.length) return opaque;
  if ([...eq.output].some((l) => !sub.includes(l))) return opaque;
  const product =
    values.length === 2
      ? combine(ctx, node, '*', values[0], values[1], operandNodes[0], operandNodes[1])
      : { ...values[0], sites: [], isConst: false };
  const axes = product.axes && product.axes.length === sub.length ? product.axes : null;
  const reducedIdx = [...sub].map((l, i) => (eq.output.includes(l) ? -1 : i)).filter((i) => i >= 0);
  const outAxes: Axes | null = axes ? [...eq.output].map((l) => axes[sub.indexOf(l)]) : null;
  if (!reducedIdx.length) return { ...product, axes: outAxes };
  const site: Site = {
    call: node,
    kind: 'sum',
    axisKeyword: false,
    axisParamName: 'dim',
    operandAxes: axes,
    reducedIdx: axes ? reducedIdx : undefined,
    reducedLabels: axes ? new Set(reducedIdx.flatMap((i) => axes[i].split(''))) : undefined,
    keepdims: false,
    operand: product,
    chain: [],
    reducesAll: reducedIdx.length === sub.length,
    torchStyle,
  };
  site.chain = [site];
  ctx.events.reduces.push(site);
  return { ...product, axes: outAxes, sites: [site], isConst: false };
}
