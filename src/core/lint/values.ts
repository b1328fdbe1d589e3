/**
 * Abstract values for the axis engine (catalog §0): what the linter knows about a Python expression inside a
 * loss or metric — its symbolic axis list, whether it derives from the prediction or the target, its
 * activation state, and the reductions that produced it.
 */
import type { SNode } from './syntax';

/**
 * A symbolic axis is a string of labels: "B" (batch), "C" (classes/channels), "H", "W", "D", "L" (spatial),
 * "1" (a singleton added by unsqueeze/keepdims). A pooled axis concatenates the labels it merged, e.g. "BHWC"
 * after K.flatten on NHWC.
 */
export type Axes = string[];

export const SRC_PRED = 1;
export const SRC_TRUE = 2;

export type ReduceKind = 'sum' | 'mean' | 'other';

/** One reduce call (`K.sum(x, -1)`, `x.sum(dim=1)`) and what it did to its operand's axes. */
export interface Site {
  call: SNode;
  kind: ReduceKind;
  /** The axis argument as written, when there is one. */
  axisArg?: SNode;
  axisKeyword: boolean;
  /** Name of the axis parameter for fixes ("axis" / "dim"). */
  axisParamName: string;
  /** Operand axes (null: unknown rank/layout). */
  operandAxes: Axes | null;
  /** Indices of the operand's axes that were reduced; undefined when unknown. */
  reducedIdx?: number[];
  /** Every label of the reduced axes. */
  reducedLabels?: Set<string>;
  keepdims: boolean;
  operand: TVal;
  /** The innermost reduce of a chain `x.sum(1).sum(1)`, when this site ends one. */
  chainStart?: Site;
  /** The reduce calls of the chain, inner first (this site last). */
  chain: Site[];
  /** The requested dim lies outside the operand's rank. */
  outOfRange?: number;
  /** The method receiver / first argument node. */
  operandNode?: SNode;
  /**
   * Labels reduced by this call and by the reductions nested in its operand (`(w * x.sum(dim=(0, 2, 3))).sum()`),
   * so that terms written with and without nesting compare equal.
   */
  totalLabels?: Set<string>;
  /** The reduction had no axis argument (all axes). */
  reducesAll: boolean;
  /** Family of the call for fix formatting. */
  torchStyle: boolean;
}

export interface TVal {
  axes: Axes | null;
  /** Known numeric value of a scalar constant. */
  num?: number;
  /** A scalar constant (literal, smoothing parameter, epsilon call). */
  isConst?: boolean;
  src: number;
  act?: 'prob' | 'logit' | 'logp';
  actNode?: SNode;
  /** The activation call as written (a snippet; the node may belong to another module). */
  actText?: string;
  /** The module the activation is in, when it is not the linted file. */
  actWhere?: string;
  actKind?: string;
  /** Thresholding (round/compare/argmax/cast to bool) applied to a prediction-derived value. */
  hard?: SNode;
  /** Clipped / clamped / epsilon-shifted. */
  guarded?: boolean;
  /**
   * Bounded below by a clip/clamp/maximum (not merely shifted by `+ eps`): an epsilon keeps a probability off 0,
   * but it does not make raw logits positive.
   */
  clipped?: boolean;
  /** Gradient path cut (detach/numpy/item) on a prediction-derived value. */
  broken?: SNode;
  /** Reductions that produced this value (terms of a ratio). */
  sites: Site[];
  /** Result of an overlap ratio, with its similarity sign (+1: higher is better). */
  sim?: 1 | -1;
  squared?: boolean;
  labels?: boolean;
  onehot?: boolean;
  multiclass?: boolean;
  cast?: boolean;
  /** Name of the parameter this value is, for messages. */
  param?: string;
  /** `1 - x`: the source bits of the complemented tensor (to recognise false-positive/negative terms). */
  complementOf?: number;
  /** A product of a prediction-derived and a target-derived tensor (the intersection). */
  product?: boolean;
  /** `(1 - t) * p` (false positives) or `t * (1 - p)` (false negatives). */
  term?: 'FP' | 'FN';
  /** A class weight of the generalized-Dice form 1 / (Σt)², with the node that built it. */
  weight?: SNode;
}

/**
 * At most this many reduce sites are carried by one value. Every `+`/`*` concatenates its operands' sites and each
 * evaluated expression keeps its own list, so a long chain (`s = s + …` on thousands of lines) would hold a
 * quadratic number of entries; past the cap the earliest sites are kept (each still a true fact, so the rules stay
 * sound: they only see fewer terms). No hand-written ratio has that many terms.
 */
export const MAX_SITES = 64;

/** The sites of an elementwise combination: shared when one side has none, capped at MAX_SITES. */
export function concatSites(a: readonly Site[], b: readonly Site[]): Site[] {
  if (b.length === 0) return a as Site[];
  if (a.length === 0) return b as Site[];
  if (a.length >= MAX_SITES) return a as Site[];
  const out = a.concat(b);
  return out.length > MAX_SITES ? out.slice(0, MAX_SITES) : out;
}

export const UNKNOWN: TVal = { axes: null, src: 0, sites: [] };

export function constant(num: number | undefined): TVal {
  return { axes: [], src: 0, sites: [], num, isConst: true };
}

export function isSpatial(label: string): boolean {
  return label !== 'B' && label !== 'C' && label !== '1';
}

/** Spatial labels present in the axes (pooled axes included). */
export function spatialLabels(axes: Axes): Set<string> {
  const out = new Set<string>();
  for (const a of axes) for (const l of a) if (isSpatial(l)) out.add(l);
  return out;
}

/** "NHWC" -> ["B", "H", "W", "C"]. */
export function layoutAxes(layout: string): Axes {
  return ['B', ...layout.slice(1).split('')];
}

function sameAxes(a: Axes | null, b: Axes | null): boolean {
  return a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The value of a name that is one of two values (assigned in a branch, or not). Facts hold only when both agree;
 * "some path is guarded/cast" wins, so that a rule never fires on the path that the code did protect.
 */
export function joinValues(a: TVal, b: TVal): TVal {
  const onlyA = b.src === 0 && !b.isConst;
  return {
    axes: onlyA ? a.axes : sameAxes(a.axes, b.axes) ? a.axes : null,
    num: a.num === b.num ? a.num : undefined,
    isConst: a.isConst && b.isConst,
    src: a.src | b.src,
    act: onlyA || a.act === b.act ? a.act : undefined,
    actNode: onlyA || a.act === b.act ? a.actNode : undefined,
    actText: onlyA || a.act === b.act ? a.actText : undefined,
    actWhere: onlyA || a.act === b.act ? a.actWhere : undefined,
    actKind: onlyA || a.act === b.act ? a.actKind : undefined,
    hard: a.hard ?? b.hard,
    guarded: a.guarded || b.guarded,
    clipped: a.clipped || b.clipped,
    broken: a.broken && (b.broken || onlyA) ? a.broken : undefined,
    sites: onlyA ? a.sites : a.sites.length && b.sites.length ? a.sites : [],
    sim: a.sim === b.sim || onlyA ? a.sim : undefined,
    squared: a.squared && (b.squared || onlyA),
    labels: a.labels && (b.labels || onlyA),
    onehot: a.onehot || b.onehot,
    multiclass: a.multiclass || b.multiclass,
    cast: a.cast || b.cast,
    param: a.param === b.param ? a.param : undefined,
    weight: a.weight ?? b.weight,
    // Confusion-matrix structure holds when both values have it (`intersect = weight * intersect` in an `if`).
    product: a.product && (b.product || onlyA) ? true : undefined,
    term: a.term === b.term || onlyA ? a.term : undefined,
  };
}

/** A Python numeric literal (`1e-7`, `1_000`, `-2.`), or undefined. */
export function parseNumber(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}
