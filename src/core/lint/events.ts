/**
 * What the axis engine records while it evaluates a function (engine.ts): the events the rules read — reduce sites,
 * activations, logs, clips, broadcasts, reshapes, loss calls — and the overlap ratios it recognises.
 */
import type { OpSpec } from './signatures';
import type { SNode } from './syntax';
import type { Axes, Site, TVal } from './values';

export interface Ratio {
  /** The division: `a / b`, or a call of a function-form division (`torch.div(a, b)`). */
  node: SNode;
  numNode: SNode;
  denNode: SNode;
  num: TVal;
  den: TVal;
  numSites: Site[];
  denSites: Site[];
  /** `divide_no_nan`: 0 / 0 gives 0, not NaN. */
  nanSafe?: boolean;
}

export interface ActivationEvent {
  call: SNode;
  sub: string;
  operand: TVal;
  spec: OpSpec;
  dimArg?: { node: SNode; keyword: boolean };
  operandNode?: SNode;
}

export interface LossCallEvent {
  call: SNode;
  name: string;
  takesLogits: boolean;
  pred?: { node: SNode; val: TVal };
  truth?: { node: SNode; val: TVal };
  spec?: OpSpec;
}

/**
 * A call whose callee (a function of the module, or the forward of a module instance such as `self.dice = DiceLoss()`)
 * applies an activation to — or feeds a logit loss with — an argument that the caller had already activated.
 */
export interface CrossActivation {
  /** The call in the caller. */
  call: SNode;
  /** `dice_term` / `DiceLoss.forward`. */
  callee: string;
  /** What the callee does: `sigmoid`, or the logit loss's name. */
  what: string;
  /** 1-based line of the callee's activation (or loss call), and the module it is in when not this one. */
  line: number;
  where?: string;
  /** The caller's activation the argument went through. */
  operand: TVal;
  /** A logit loss (rather than an activation) inside the callee. */
  loss: boolean;
}

/** One reduce call inside a callee that, with the caller's argument values, reduces no spatial axis. */
export interface CrossReductionSite {
  /** The reduce call in the callee (its tree is the callee's module, which may not be the linted file). */
  node: SNode;
  /** 1-based line of the reduce call in its module. */
  line: number;
  /** The reduce call as written, when short enough to quote whole (never cut mid-token). */
  text?: string;
  /** "axis -1 (C)", as LL101 words it. */
  reduction: string;
  /** The operand's axes with the caller's values, e.g. ["B", "H", "W", "C"]. */
  axes: Axes;
  axisArg?: SNode;
  torchStyle: boolean;
  /** Spatial labels the reduction leaves (partial reductions only), e.g. ["D"]. */
  left?: string[];
}

/**
 * A call whose callee computes an overlap ratio over the wrong axes for the values this caller passes (a helper
 * `soft_dice(a, b)` summing `axis=-1`, called with [B, H, W, C] tensors: LL101; a 2-D helper summing `dim=(2, 3)`
 * called with 5-D volumes: LL105), reported at the call site when the callee's own lint does not already report
 * those reduce calls.
 */
export interface CrossReduction {
  call: SNode;
  /** `soft_dice`, `DiceLoss.forward`, or a chain `outer → soft_dice`. */
  callee: string;
  /** The module the reductions are in, when not the linted one. */
  where?: string;
  name: 'Dice' | 'IoU' | 'Tversky';
  /** 'perPixel': no spatial axis reduced (LL101); 'partial': some but not all (LL105, e.g. a 2-D helper on volumes). */
  kind: 'perPixel' | 'partial';
  sites: CrossReductionSite[];
  /** True when the reductions sit in a function the call names directly (no deeper call in between). */
  direct: boolean;
}

export interface Events {
  activations: ActivationEvent[];
  /** Overlap ratios reduced over the wrong axes inside a callee, for this caller's values (LL101 at the call). */
  crossReductions: CrossReduction[];
  /** Double activations across calls (function summaries): reported at the call site. */
  crossActivations: CrossActivation[];
  logs: Array<{ call: SNode; arg: TVal; argNode: SNode }>;
  clips: Array<{ call: SNode; upper?: SNode; lower?: SNode }>;
  pows: Array<{ node: SNode; base: TVal; baseNode: SNode; exponentNode: SNode }>;
  broadcasts: Array<{ node: SNode; left: TVal; right: TVal }>;
  /**
   * Reshapes that interleave the class axis with pixels: `view(-1, C)` on channels-first, or (`classFirst`) a
   * channels-last tensor — a one-hot of labels — viewed as (B, C, -1) without moving the class axis first.
   */
  reshapeMix: Array<{
    call: SNode;
    operandNode: SNode;
    method: string;
    framework5d: boolean;
    classFirst?: boolean;
  }>;
  outOfRange: Site[];
  /** Subscripts with more indices than the tracked rank (`t[:, 0]` after `t.view(-1)`). */
  indexOutOfRange: Array<{ node: SNode; operandAxes: Axes; indices: number }>;
  onehots: Array<{ call: SNode; labels: TVal; labelsNode?: SNode }>;
  /** `x[..., 1:]`-style slices that drop index 0 of one axis; `items` is the subscript as written. */
  slices: Array<{ node: SNode; label: string; operand: TVal; valueNode: SNode; items: string[] }>;
  lossCalls: LossCallEvent[];
  breaks: Array<{ call: SNode; operand: TVal }>;
  /** Subscript assignments `labels[labels == ignore] = 0`, by variable name. */
  mutations: Array<{ name: string; node: SNode }>;
  /** Every reduce call, including those outside ratios (means over per-class scores). */
  reduces: Site[];
  /** numpy calls on prediction-derived tensors in a non-numpy function. */
  numpyOnTensor: Array<{ call: SNode; operand: TVal }>;
}

export function emptyEvents(): Events {
  return {
    activations: [],
    crossActivations: [],
    crossReductions: [],
    logs: [],
    clips: [],
    pows: [],
    broadcasts: [],
    reshapeMix: [],
    outOfRange: [],
    indexOutOfRange: [],
    onehots: [],
    slices: [],
    lossCalls: [],
    breaks: [],
    mutations: [],
    reduces: [],
    numpyOnTensor: [],
  };
}
