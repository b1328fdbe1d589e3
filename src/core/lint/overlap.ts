/**
 * Shared reasoning about overlap ratios for the LL1xx rules: which axes a reduce site covered compared with
 * the spatial axes, how its axis argument should read for the assumed layout, and the smoothing constants
 * of a ratio.
 */
import type { Ratio } from './events';
import type { FunctionInfo, ModuleModel } from './moduleTypes';
import { child, operatorOf, textOf, unparen, type SNode, type SyntaxTree } from './syntax';
import { isSpatial, spatialLabels, type Axes, type Site, type TVal } from './values';

/**
 * What the ratio helpers read of an evaluated function (FunctionEval implements it). An interface here rather than
 * the class, so that the engine's own call summaries (summaries.ts) can use these helpers without an import cycle.
 */
export interface RatioSource {
  readonly model: ModuleModel;
  readonly fn: FunctionInfo;
  evalNode(node: SNode): TVal;
  definition(node: SNode): SNode;
}

export interface SiteVerdict {
  /** Spatial labels of the operand. */
  spatial: Set<string>;
  /** Spatial labels the site reduced. */
  reducedSpatial: Set<string>;
  batchReduced: boolean;
  classReduced: boolean;
}

export function verdict(site: Site): SiteVerdict | undefined {
  if (!site.operandAxes || !site.reducedLabels) return undefined;
  const spatial = spatialLabels(site.operandAxes);
  const reducedSpatial = new Set([...spatial].filter((l) => site.reducedLabels!.has(l)));
  const hasClass = site.operandAxes.some((a) => a.includes('C'));
  return {
    spatial,
    reducedSpatial,
    batchReduced: site.reducedLabels.has('B'),
    classReduced: hasClass && site.reducedLabels.has('C'),
  };
}

/**
 * A single reduce call, with its axis written out, that reduces no spatial axis of its operand (`axis=-1` on
 * NHWC): LL101 reports it, with the axis fix, even when the other terms of the ratio were already fixed.
 */
export function perPixelSite(site: Site): boolean {
  if (!site.axisArg || site.chain.length > 1) return false;
  const v = verdict(site);
  return v !== undefined && v.spatial.size > 0 && v.reducedSpatial.size === 0;
}

/** A reduction that covers some spatial axes but not all of them (LL105). */
export function partialSpatialSite(site: Site): boolean {
  const v = verdict(site);
  return (
    v !== undefined &&
    site.operandAxes !== null &&
    v.reducedSpatial.size > 0 &&
    v.reducedSpatial.size < v.spatial.size
  );
}

/** "axis -1 (C)" / "dims (1, 2) (C, H)" */
export function describeReduction(tree: SyntaxTree, site: Site): string {
  const arg = site.axisArg ? textOf(tree, site.axisArg) : 'all axes';
  const labels =
    site.reducedIdx && site.operandAxes ? site.reducedIdx.map((i) => site.operandAxes![i]).join(', ') : '';
  return `${site.axisParamName} ${arg}${labels ? ` (${labels})` : ''}`;
}

export function formatAxes(indices: number[], torchStyle: boolean): string {
  if (torchStyle) return indices.length === 1 ? `(${indices[0]},)` : `(${indices.join(', ')})`;
  return `[${indices.join(', ')}]`;
}

/** Axis indices of the operand that are not the batch axis (per image, pooled over classes). */
export function perImageAxes(axes: Axes): number[] {
  return axes.map((a, i) => (a.includes('B') ? -1 : i)).filter((i) => i >= 0);
}

/** Axis indices whose labels are all spatial (per image and per class). */
export function spatialAxes(axes: Axes): number[] {
  return axes.map((a, i) => (a.split('').every(isSpatial) ? i : -1)).filter((i) => i >= 0);
}

/** Additive terms of an expression: `2*I + s - x` -> [2*I, +], [s, +], [x, -]. */
export function additiveTerms(
  tree: SyntaxTree,
  node: SNode,
  sign = 1,
  depth = 0,
  resolve?: (n: SNode) => SNode,
): Array<{ node: SNode; sign: number }> {
  let n = unparen(node);
  if (resolve && n.type === 'identifier' && depth < 4) n = unparen(resolve(n));
  if (depth < 40 && n.type === 'binary_operator') {
    const op = operatorOf(tree, n);
    const l = child(n, 'left');
    const r = child(n, 'right');
    if ((op === '+' || op === '-') && l && r) {
      return [
        ...additiveTerms(tree, l, sign, depth + 1, resolve),
        ...additiveTerms(tree, r, op === '-' ? -sign : sign, depth + 1, resolve),
      ];
    }
  }
  return [{ node: n, sign }];
}

export interface Smoothing {
  /** Constant terms added to the numerator / denominator (nodes and values when known). */
  num: Array<{ node: SNode; value?: number }>;
  den: Array<{ node: SNode; value?: number }>;
  /** Numerator written as `k * (I + s)`: the constant is scaled. */
  scaled?: SNode;
  /** Numerator written as `k * I * s`: the constant multiplies instead of adding. */
  multiplied?: SNode;
  /** The denominator is guarded another way (clamp_min, maximum, K.epsilon() inside a helper). */
  denGuarded: boolean;
  /** The division is `divide_no_nan`: 0 / 0 gives 0, not NaN. */
  nanSafe?: boolean;
}

const SMOOTH_WORD = /smooth|eps|epsilon/i;

export function smoothingOf(ev: RatioSource, ratio: Ratio): Smoothing {
  const tree = ev.model.tree;
  const constTerms = (node: SNode): Array<{ node: SNode; value?: number }> =>
    additiveTerms(tree, node, 1, 0, (n) => ev.definition(n))
      .map((t) => ({ t, v: ev.evalNode(t.node) }))
      .filter(({ t, v }) => v.isConst && t.sign > 0)
      .map(({ t, v }) => ({ node: t.node, value: v.num }));
  const out: Smoothing = {
    num: constTerms(ratio.numNode),
    den: constTerms(ratio.denNode),
    denGuarded: false,
  };
  // 2 * (I + s): a product whose one factor is constant and whose other factor contains an additive constant.
  const numTop = unparen(ev.definition(unparen(ratio.numNode)));
  if (numTop.type === 'binary_operator' && operatorOf(tree, numTop) === '*') {
    const l = child(numTop, 'left');
    const r = child(numTop, 'right');
    if (l && r) {
      const [k, inner] = ev.evalNode(l).isConst
        ? [l, r]
        : ev.evalNode(r).isConst
          ? [r, l]
          : [undefined, undefined];
      if (k && inner && constTerms(inner).length && ev.evalNode(inner).src) out.scaled = numTop;
      // 2 * I * smooth: a smoothing-named constant used as a factor.
      if (!out.scaled && !out.num.length) {
        const factors = productFactors(tree, numTop);
        const s = factors.find((f) => SMOOTH_WORD.test(textOf(tree, f)) && ev.evalNode(f).isConst);
        if (s) out.multiplied = s;
      }
    }
  }
  out.denGuarded = ratio.den.guarded === true;
  if (ratio.nanSafe) out.nanSafe = true;
  return out;
}

function productFactors(tree: SyntaxTree, node: SNode, depth = 0): SNode[] {
  const n = unparen(node);
  if (depth < 40 && n.type === 'binary_operator' && operatorOf(tree, n) === '*') {
    const l = child(n, 'left');
    const r = child(n, 'right');
    if (l && r) return [...productFactors(tree, l, depth + 1), ...productFactors(tree, r, depth + 1)];
  }
  return [n];
}

/**
 * The name of the ratio for messages: "IoU" when the denominator subtracts a reduced term (A + B − I) or the
 * function is named like one, "Tversky" by name, "Dice" otherwise.
 */
export function overlapName(ev: RatioSource, ratio: Ratio): 'Dice' | 'IoU' | 'Tversky' {
  const terms = additiveTerms(ev.model.tree, ratio.denNode, 1, 0, (n) => ev.definition(n));
  if (terms.some((t) => t.sign < 0 && !ev.evalNode(t.node).isConst)) return 'IoU';
  if (/iou|jaccard/i.test(ev.fn.name)) return 'IoU';
  if (/tversky/i.test(ev.fn.name)) return 'Tversky';
  return 'Dice';
}

/** Signature of a site for consistency checks: reduced labels plus the reduction kind. */
export function siteSignature(site: Site): string | undefined {
  const labels = site.totalLabels ?? site.reducedLabels;
  if (!labels) return undefined;
  return `${[...labels].sort().join('')}|${site.kind}`;
}

/** Whether the reduce sites of a ratio disagree with each other (LL104). */
export function inconsistentSites(ratio: Ratio): boolean {
  const sigs = new Set<string>();
  for (const s of [...ratio.numSites, ...ratio.denSites]) {
    const sig = siteSignature(s);
    if (sig) sigs.add(sig);
  }
  return sigs.size > 1;
}
