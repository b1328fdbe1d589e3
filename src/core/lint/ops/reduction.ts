/**
 * Reductions (`K.sum(x, -1)`, `x.sum(dim=(2, 3))`, `torch.mean(x)`): each call becomes a reduce site (values.ts)
 * recording which axes it reduced, the chain it continues (`x.sum(1).sum(1)`) and the nested reductions of its
 * operand — the facts the overlap rules (LL1xx) compare.
 */
import { argFor, axisParam, type CallArgs, type OpSpec } from '../signatures';
import { textOf, unparen } from '../syntax';
import type { Axes, ReduceKind, Site, TVal } from '../values';
import type { OpCall } from './call';
import { intList } from './intArgs';

function reduceKind(spec: OpSpec): ReduceKind {
  if (spec.sub === 'sum' || spec.sub === 'nansum') return 'sum';
  if (spec.sub === 'mean' || spec.sub === 'nanmean') return 'mean';
  return 'other';
}

/** How a fix should spell the axis parameter of this call. */
function axisParamName(args: CallArgs, paramName: string, torchStyle: boolean): string {
  if (args.keywords.has('dim') || (torchStyle && !args.keywords.has('axis'))) return 'dim';
  return paramName === 'dims' ? 'dims' : 'axis';
}

/** The site of one reduce call, before its axes are known. */
function newSite(call: OpCall): Site {
  const { node, spec, args, operand, operandNode, torchStyle, ctx } = call;
  const paramName = axisParam(spec) ?? 'axis';
  const axisArg = argFor(args, spec, paramName);
  const keepArg =
    args.keywords.get('keepdims') ??
    args.keywords.get('keepdim') ??
    argFor(args, spec, spec.params.includes('keepdim') ? 'keepdim' : 'keepdims')?.node;
  return {
    call: node,
    kind: reduceKind(spec),
    axisArg: axisArg?.node,
    axisKeyword: axisArg?.keyword ?? false,
    axisParamName: axisParamName(args, paramName, torchStyle),
    operandAxes: operand.axes,
    keepdims: keepArg !== undefined && textOf(ctx.model.tree, keepArg) === 'True',
    operand,
    chain: [],
    operandNode,
    reducesAll: false,
    torchStyle,
  };
}

/** Fills the reduced axes of `site` and returns the axes of the result (null: unknown). */
function reduceAxes(call: OpCall, site: Site): Axes | null {
  const axes = call.operand.axes;
  const list = site.axisArg ? intList(call.ctx, site.axisArg, axes?.length) : 'none';
  if (!axes) {
    if (list !== 'none') return null;
    site.reducesAll = true;
    return [];
  }
  if (list === 'none') {
    site.reducedIdx = axes.map((_, i) => i);
    site.reducesAll = true;
  } else if (Array.isArray(list)) {
    const r = axes.length;
    const bad = list.find((d) => d >= r || d < -r);
    if (bad !== undefined) {
      site.outOfRange = bad;
      call.ctx.events.outOfRange.push(site);
    } else site.reducedIdx = [...new Set(list.map((d) => (d < 0 ? d + r : d)))].sort((a, b) => a - b);
  }
  if (!site.reducedIdx) return null;
  const idx = site.reducedIdx;
  site.reducedLabels = new Set(idx.flatMap((i) => axes[i].split('')));
  return site.keepdims
    ? axes.map((a, i) => (idx.includes(i) ? '1' : a))
    : axes.filter((_, i) => !idx.includes(i));
}

/** A reduce applied directly to another reduce continues a chain (`x.sum(1).sum(1)`); else it starts one. */
function linkChain(call: OpCall, site: Site, resultAxes: Axes | null): void {
  const { operand, operandNode } = call;
  const inner = operandNode ? unparen(operandNode) : undefined;
  const prev = inner && inner.type === 'call' && operand.sites.length === 1 ? operand.sites[0] : undefined;
  if (prev && prev.call === inner) {
    site.chain = [...(prev.chain.length ? prev.chain : [prev]), site];
    site.chainStart = prev.chainStart ?? prev;
    // The chain's overall effect, measured against the operand of its first call.
    const first = site.chainStart;
    if (first.operandAxes && resultAxes && !site.keepdims) {
      const remaining = new Set(resultAxes);
      const total = first.operandAxes.map((_, i) => i).filter((i) => !remaining.has(first.operandAxes![i]));
      site.reducedIdx = undefined;
      site.reducedLabels = new Set(total.flatMap((i) => (first.operandAxes as Axes)[i].split('')));
      site.operandAxes = first.operandAxes;
      site.operand = first.operand;
    }
    return;
  }
  site.chain = [site];
  if (operand.sites.length && site.reducedLabels) {
    const total = new Set(site.reducedLabels);
    for (const nested of operand.sites)
      for (const l of nested.totalLabels ?? nested.reducedLabels ?? []) total.add(l);
    site.totalLabels = total;
  }
}

/** `K.sum(x, -1)`, `x.mean(dim=1)`, `torch.amax(x)`: a reduce site, recorded for the rules. */
export function reduce(call: OpCall): TVal {
  const { operand } = call;
  const site = newSite(call);
  const resultAxes = reduceAxes(call, site);
  linkChain(call, site, resultAxes);
  call.ctx.events.reduces.push(site);
  return { ...operand, axes: resultAxes, sites: [site], isConst: false, sim: operand.sim };
}
