/**
 * The axis engine (catalog §0): evaluates the expressions of one function to abstract values (values.ts),
 * following local assignments and calls to other functions of the module, and records the events the rules
 * need — reduce sites, overlap ratios, activations, logs, clips, broadcasts and reshapes.
 *
 * It is deliberately an approximation: straight-line, source-order data flow. Where it cannot tell (unknown
 * calls, loops, mutation), values become unknown and the rules stay silent — a missed warning is better than
 * a false one.
 */
import type { ClassInfo, FunctionInfo, ModuleModel } from './module';
import {
  argFor,
  axisParam,
  callArgs,
  KERAS_LOSS_CLASSES,
  LOGIT_LOSS_CLASSES,
  opSpec,
  type CallArgs,
  type OpSpec,
} from './signatures';
import { child, namedChildren, operatorOf, textOf, unparen, walk, type SNode } from './syntax';
import {
  constant,
  layoutAxes,
  SRC_PRED,
  SRC_TRUE,
  UNKNOWN,
  type Axes,
  type ReduceKind,
  type Site,
  type TVal,
} from './values';

/** Evaluation stops (value unknown) below this many nested evaluations: deep expressions cannot overflow. */
const MAX_EVAL_DEPTH = 120;
/** Calls into other functions of the module are followed this deep. */
const MAX_CALL_DEPTH = 3;

const PRED_NAME =
  /^(y_?pred\w*|y_?hat|yhat|preds?|predictions?|predicted|pred_\w+|\w+_pred|outputs?|out|logits?|\w*_logits?|probs?|probas?|probabilities|\w*_probs?|inputs?|input_tensor|scores?|net_output|y_?pr|pr|p|y_?p|seg_out|x)$/i;
const TRUE_NAME =
  /^(y_?true\w*|y|t|targets?|target_\w+|\w+_target|masks?|\w+_mask|mask_\w+|gts?|gt_\w+|\w+_gt|ground_?truth|labels?|\w+_labels?|y_?gt|truth|true|one_?hot\w*|ref|reference|y_?t)$/i;
const SMOOTH_NAME =
  /^(smooth\w*|eps\w*|epsilon|s|laplace|_?smooth|self\.\w*(smooth|eps)\w*|\w*_eps|\w*_smooth)$/i;
const BATCH_NAME = /^(b|bs|n|batch|batch_size|num|n_batch|nb|batch_sz)$/i;
const CLASS_NAME =
  /^(c|num_classes|n_classes|nc|classes|n_class|num_class|nclasses|n_cls|num_cls|channels|n_channels)$/i;

export interface Ratio {
  node: SNode;
  numNode: SNode;
  denNode: SNode;
  num: TVal;
  den: TVal;
  numSites: Site[];
  denSites: Site[];
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

export interface Events {
  activations: ActivationEvent[];
  logs: Array<{ call: SNode; arg: TVal; argNode: SNode }>;
  clips: Array<{ call: SNode; upper?: SNode; lower?: SNode }>;
  pows: Array<{ node: SNode; base: TVal; baseNode: SNode; exponentNode: SNode }>;
  broadcasts: Array<{ node: SNode; left: TVal; right: TVal }>;
  reshapeMix: Array<{ call: SNode; operandNode: SNode; method: string; framework5d: boolean }>;
  outOfRange: Site[];
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

interface Binding {
  /** End offset of the binding statement: uses after it see this binding. */
  end: number;
  /** The binding statement (assignment / loop header), to find the branches it sits in. */
  node?: SNode;
  value?: SNode;
  /** `a += b` */
  augmented?: { op: string; right: SNode; node: SNode };
}

function emptyEvents(): Events {
  return {
    activations: [],
    logs: [],
    clips: [],
    pows: [],
    broadcasts: [],
    reshapeMix: [],
    outOfRange: [],
    onehots: [],
    slices: [],
    lossCalls: [],
    breaks: [],
    mutations: [],
    reduces: [],
    numpyOnTensor: [],
  };
}

const BRANCHING = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'while_statement',
  'try_statement',
  'except_clause',
  'match_statement',
]);

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
  };
}

export function parseNumber(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** Which parameters of a function are the prediction and the target. */
export function classifyParams(fn: FunctionInfo): { pred?: string; truth?: string; others: string[] } {
  let pred: string | undefined;
  let truth: string | undefined;
  const tensorish = fn.params.filter((p) => !p.default && !/^(self|cls|\*)/.test(p.name));
  for (const p of tensorish) {
    if (!truth && TRUE_NAME.test(p.name)) truth = p.name;
    else if (!pred && PRED_NAME.test(p.name)) pred = p.name;
  }
  // Unnamed pairs follow the framework's convention: Keras (y_true, y_pred), PyTorch (input, target).
  if ((!pred || !truth) && tensorish.length >= 2 && fn.role !== 'helper') {
    const [a, b] = tensorish;
    if (!pred && !truth) {
      if (fn.family === 'keras') {
        truth = a.name;
        pred = b.name;
      } else {
        pred = a.name;
        truth = b.name;
      }
    } else if (!pred) pred = [a, b].find((p) => p.name !== truth)?.name;
    else if (!truth) truth = [a, b].find((p) => p.name !== pred)?.name;
  }
  return { pred, truth, others: tensorish.map((p) => p.name).filter((n) => n !== pred && n !== truth) };
}

export class FunctionEval {
  readonly events: Events = emptyEvents();
  private readonly memo = new Map<number, TVal>();
  private readonly bindings = new Map<string, Binding[]>();
  private readonly seeds = new Map<string, TVal>();
  private depth = 0;
  private ratioCache?: Ratio[];
  readonly predParam?: string;
  readonly truthParam?: string;
  /** Nodes of return expressions. */
  readonly returns: SNode[] = [];

  constructor(
    readonly model: ModuleModel,
    readonly fn: FunctionInfo,
    bound?: Map<string, TVal>,
    private readonly callDepth = 0,
  ) {
    const { pred, truth } = classifyParams(fn);
    this.predParam = pred;
    this.truthParam = truth;
    this.collectBindings();
    const axes = fn.layout ? layoutAxes(fn.layout) : null;
    const labelMaps = this.labelMapParams();
    for (const p of fn.params) {
      const given = bound?.get(p.name);
      if (given) {
        this.seeds.set(p.name, given);
        continue;
      }
      if (p.name === pred) {
        const act = /logit/i.test(p.name) ? 'logit' : /prob/i.test(p.name) ? 'prob' : undefined;
        this.seeds.set(p.name, { axes: axes && [...axes], src: SRC_PRED, sites: [], act, param: p.name });
      } else if (p.name === truth) {
        const isLabels = labelMaps.has(p.name);
        const tAxes = axes ? (isLabels ? axes.filter((a) => a !== 'C') : [...axes]) : null;
        this.seeds.set(p.name, {
          axes: tAxes,
          src: SRC_TRUE,
          sites: [],
          labels: isLabels,
          onehot: /one_?hot/i.test(p.name),
          param: p.name,
        });
      } else if (p.default) {
        this.seeds.set(p.name, this.evalNode(p.default));
      } else if (SMOOTH_NAME.test(p.name)) {
        this.seeds.set(p.name, { ...constant(undefined), param: p.name });
      }
    }
  }

  /** Parameters used as the label argument of one_hot / scatter_: they hold class ids, not a channel axis. */
  private labelMapParams(): Set<string> {
    const out = new Set<string>();
    const { tree } = this.model;
    // Cheap text test first: most functions never one-hot anything.
    if (!/one_hot|scatter|to_categorical/.test(tree.text.slice(this.fn.body.start, this.fn.body.end)))
      return out;
    walk(this.fn.body, (n) => {
      if (n.type !== 'call') return true;
      const f = child(n, 'function');
      if (!f) return true;
      const name =
        this.model.resolve(f) ??
        (f.type === 'attribute' ? '.' + textOf(tree, child(f, 'attribute') ?? f) : '');
      const spec = opSpec(name);
      if (spec?.kind === 'onehot') {
        const args = callArgs(tree, n);
        const arg = name.startsWith('.') ? argFor(args, spec, 'index')?.node : args.positional[0];
        if (arg)
          walk(arg, (m) => {
            if (m.type === 'identifier') out.add(textOf(tree, m));
            return true;
          });
      }
      return true;
    });
    return out;
  }

  private addBinding(name: string, b: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(b);
    else this.bindings.set(name, [b]);
  }

  private collectBindings(): void {
    const { tree } = this.model;
    walk(this.fn.body, (n) => {
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda')
        return false;
      if (n.type === 'assignment') {
        const left = child(n, 'left');
        const right = child(n, 'right');
        if (!left) return true;
        const stmtEnd = n.end;
        if (left.type === 'identifier')
          this.addBinding(textOf(tree, left), { end: stmtEnd, value: right, node: n });
        else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
          const names = namedChildren(left);
          const values =
            right && (right.type === 'expression_list' || right.type === 'tuple') ? namedChildren(right) : [];
          names.forEach((nm, i) => {
            if (nm.type === 'identifier') {
              this.addBinding(textOf(tree, nm), {
                end: stmtEnd,
                node: n,
                value: values.length === names.length ? values[i] : undefined,
              });
            }
          });
        } else if (left.type === 'subscript') {
          const v = child(left, 'value');
          if (v && v.type === 'identifier') this.events.mutations.push({ name: textOf(tree, v), node: n });
        }
        return true;
      }
      if (n.type === 'augmented_assignment') {
        const left = child(n, 'left');
        const right = child(n, 'right');
        if (left && right && left.type === 'identifier') {
          this.addBinding(textOf(tree, left), {
            end: n.end,
            augmented: { op: operatorOf(tree, n).replace('=', ''), right, node: n },
          });
        }
        return true;
      }
      if (n.type === 'for_statement' || n.type === 'with_item' || n.type === 'for_in_clause') {
        const left = child(n, 'left') ?? child(n, 'alias');
        if (left) {
          walk(left, (m) => {
            if (m.type === 'identifier') this.addBinding(textOf(tree, m), { end: n.start });
            return true;
          });
        }
        return true;
      }
      if (n.type === 'return_statement') {
        const v = namedChildren(n)[0];
        if (v) this.returns.push(v);
      }
      return true;
    });
    // Bindings must be ordered by position for the lookup.
    for (const list of this.bindings.values()) list.sort((a, b) => a.end - b.end);
  }

  lookup(name: string, at: number): TVal {
    const list = this.bindings.get(name);
    if (list) {
      for (let i = list.length - 1; i >= 0; i--) {
        const b = list[i];
        if (b.end > at) continue;
        // A binding inside a branch or loop that does not contain the use may not have run: join it with the
        // value that reaches the start of that construct.
        const branch = b.node ? this.enclosingBranch(b.node, at) : undefined;
        if (branch) return joinValues(this.bindingValue(name, b), this.lookup(name, branch.start));
        return this.bindingValue(name, b);
      }
    }
    const seed = this.seeds.get(name);
    if (seed) return seed;
    const c = this.model.constants.get(name);
    if (c) return this.evalNode(c);
    if (SMOOTH_NAME.test(name)) return constant(undefined);
    return UNKNOWN;
  }

  /** The outermost if/for/while/try around `stmt` (inside this function) that does not contain offset `at`. */
  private enclosingBranch(stmt: SNode, at: number): SNode | undefined {
    let found: SNode | undefined;
    for (let n = stmt.parent; n && n !== this.fn.body && n !== this.fn.node; n = n.parent) {
      if (n.start <= at && at < n.end) break;
      if (BRANCHING.has(n.type)) found = n;
    }
    return found;
  }

  private bindingValue(name: string, b: Binding): TVal {
    if (b.augmented) {
      const before = this.lookup(name, b.augmented.node.start);
      const right = this.evalNode(b.augmented.right);
      return this.combine(b.augmented.node, b.augmented.op, before, right);
    }
    if (!b.value) return UNKNOWN;
    const v = this.evalNode(b.value);
    // A shape comment on the assignment line (`scores = net(x)  # (B, C, L)`) gives the axes.
    const hinted = this.model.shapeHintAt(b.value);
    if (hinted && v.src !== 0) return { ...v, axes: hinted };
    if (hinted && !v.isConst) return { ...v, axes: hinted, src: v.src || SRC_PRED };
    return v;
  }

  /** The expression a name was last bound to before its use (the name itself when unknown). */
  definition(node: SNode): SNode {
    if (node.type !== 'identifier') return node;
    const list = this.bindings.get(textOf(this.model.tree, node));
    const b = list ? [...list].reverse().find((x) => x.end <= node.start) : undefined;
    return b?.value ?? node;
  }

  /** The value of the prediction parameter (or undefined). */
  predValue(): TVal | undefined {
    return this.predParam ? this.seeds.get(this.predParam) : undefined;
  }

  evalNode(node: SNode): TVal {
    const cached = this.memo.get(node.id);
    if (cached) return cached;
    if (this.depth > MAX_EVAL_DEPTH || node.depth > 4 * MAX_EVAL_DEPTH) return UNKNOWN;
    this.depth++;
    // A placeholder breaks cycles (a name whose binding refers back to itself through a loop).
    this.memo.set(node.id, UNKNOWN);
    let v: TVal;
    try {
      v = this.evalUncached(node);
    } finally {
      this.depth--;
    }
    this.memo.set(node.id, v);
    return v;
  }

  private evalUncached(node: SNode): TVal {
    const { tree } = this.model;
    switch (node.type) {
      case 'identifier':
        return this.lookup(textOf(tree, node), node.start);
      case 'integer':
      case 'float':
        return constant(parseNumber(textOf(tree, node)));
      case 'true':
      case 'false':
      case 'none':
        return { ...UNKNOWN };
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? this.evalNode(inner) : UNKNOWN;
      }
      case 'unary_operator': {
        const arg = child(node, 'argument');
        const v = arg ? this.evalNode(arg) : UNKNOWN;
        if (operatorOf(tree, node) !== '-') return v;
        return {
          ...v,
          num: v.num === undefined ? undefined : -v.num,
          sim: v.sim ? (v.sim === 1 ? -1 : 1) : undefined,
        };
      }
      case 'binary_operator': {
        const left = child(node, 'left');
        const right = child(node, 'right');
        if (!left || !right) return UNKNOWN;
        return this.combine(
          node,
          operatorOf(tree, node),
          this.evalNode(left),
          this.evalNode(right),
          left,
          right,
        );
      }
      case 'comparison_operator': {
        const ops = namedChildren(node).map((c) => this.evalNode(c));
        const src = ops.reduce((s, o) => s | o.src, 0);
        const tensor = ops.find((o) => o.axes && o.axes.length > 0) ?? ops[0] ?? UNKNOWN;
        return {
          axes: tensor.axes,
          src,
          sites: [],
          hard: src & SRC_PRED ? node : undefined,
          multiclass: tensor.multiclass,
        };
      }
      case 'call':
        return this.evalCall(node);
      case 'subscript':
        return this.evalSubscript(node);
      case 'attribute': {
        const text = textOf(tree, node);
        if (SMOOTH_NAME.test(text)) return constant(undefined);
        const obj = child(node, 'object');
        const attr = child(node, 'attribute');
        if (obj && attr && textOf(tree, attr) === 'T') return this.evalNode(obj);
        return UNKNOWN;
      }
      case 'conditional_expression': {
        const parts = namedChildren(node).map((c) => this.evalNode(c));
        const a = parts[0] ?? UNKNOWN;
        const b = parts[2] ?? UNKNOWN;
        return { axes: null, src: a.src | b.src, sites: [] };
      }
      default:
        return UNKNOWN;
    }
  }

  /** Elementwise combination with broadcasting; `-`/`+` keep the similarity sign logic for `1 - dice`. */
  combine(node: SNode, op: string, l: TVal, r: TVal, leftNode?: SNode, rightNode?: SNode): TVal {
    const { tree } = this.model;
    if (l.isConst && r.isConst) {
      let num: number | undefined;
      if (l.num !== undefined && r.num !== undefined) {
        num =
          op === '+'
            ? l.num + r.num
            : op === '-'
              ? l.num - r.num
              : op === '*'
                ? l.num * r.num
                : op === '/'
                  ? l.num / r.num
                  : op === '**'
                    ? l.num ** r.num
                    : undefined;
      }
      return constant(num);
    }
    if (op === '**') {
      const exp = r.num;
      if (exp !== undefined && exp > 0 && exp < 1 && rightNode) {
        this.events.pows.push({ node, base: l, baseNode: leftNode ?? node, exponentNode: rightNode });
      } else if (rightNode && r.isConst && leftNode) {
        this.events.pows.push({ node, base: l, baseNode: leftNode, exponentNode: rightNode });
      }
      return { ...l, squared: exp === 2 || l.squared, sites: l.sites, isConst: false };
    }
    let axes: Axes | null;
    if (l.isConst || (l.axes && l.axes.length === 0 && !l.src)) axes = r.axes;
    else if (r.isConst || (r.axes && r.axes.length === 0 && !r.src)) axes = l.axes;
    else if (l.axes && r.axes) {
      if (l.axes.length === r.axes.length) axes = l.axes;
      else {
        if (op === '*' && l.src && r.src && l.axes.length > 0 && r.axes.length > 0) {
          this.events.broadcasts.push({ node, left: l, right: r });
        }
        axes = null;
      }
    } else axes = l.axes && l.axes.length === 0 ? r.axes : r.axes && r.axes.length === 0 ? l.axes : null;
    const tensorSide = l.isConst ? r : r.isConst ? l : undefined;
    const predLive = (v: TVal): boolean => (v.src & SRC_PRED) !== 0 && !v.broken;
    const out: TVal = {
      axes,
      src: l.src | r.src,
      sites: op === '/' ? [] : [...l.sites, ...r.sites],
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
      guarded: (op === '+' && (l.isConst || r.isConst)) || (tensorSide?.guarded ?? false),
      weight: op === '/' ? undefined : (l.weight ?? r.weight),
      squared: op !== '/' && tensorSide ? tensorSide.squared : undefined,
    };
    // Confusion-matrix structure: 1 - x, then (1 - t) * p (FP), t * (1 - p) (FN) or t * p (intersection).
    if (op === '-' && l.isConst && l.num === 1 && r.src && !r.isConst) out.complementOf = r.src;
    if (op === '*' && l.src && r.src && !l.isConst && !r.isConst) {
      const fp = (c: TVal, o: TVal): boolean => c.complementOf === SRC_TRUE && (o.src & SRC_PRED) !== 0;
      const fn = (c: TVal, o: TVal): boolean => c.complementOf === SRC_PRED && (o.src & SRC_TRUE) !== 0;
      if (fp(l, r) || fp(r, l)) out.term = 'FP';
      else if (fn(l, r) || fn(r, l)) out.term = 'FN';
      else if ((l.src & SRC_PRED && r.src & SRC_TRUE) || (l.src & SRC_TRUE && r.src & SRC_PRED))
        out.product = true;
    }
    if (op === '*' && (l.isConst || r.isConst)) {
      const t = l.isConst ? r : l;
      out.term = t.term;
      out.product = t.product;
    }
    // 1 / (Σt)² (+ eps): the generalized-Dice class weight.
    if (op === '/' && l.isConst && r.src === SRC_TRUE && r.squared && r.sites.length) out.weight = node;
    // The straight-through estimator x + (hard - x).detach() keeps the gradient of x: not a hard threshold.
    if (op === '+' && ((l.broken && r.src & SRC_PRED) || (r.broken && l.src & SRC_PRED)))
      out.hard = undefined;
    if (op === '*' && leftNode && rightNode && textOf(tree, leftNode) === textOf(tree, rightNode) && l.src) {
      out.squared = true;
    }
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
    return out;
  }

  /** Integer list of an axis argument: `-1`, `[1, 2, 3]`, `(2, 3)`, `tuple(range(2, x.ndim))`, a bound name. */
  intList(node: SNode, rank: number | undefined, depth = 0): number[] | 'none' | undefined {
    const { tree } = this.model;
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
        const v = this.intList(c, rank, depth + 1);
        if (!Array.isArray(v) || v.length !== 1) return undefined;
        out.push(v[0]);
      }
      return out;
    }
    if (n.type === 'identifier') {
      const name = textOf(tree, n);
      const list = this.bindings.get(name);
      const b = list ? [...list].reverse().find((x) => x.end <= n.start) : undefined;
      if (b?.value) return this.intList(b.value, rank, depth + 1);
      const p = this.fn.params.find((q) => q.name === name);
      if (p?.default && !b) return this.intList(p.default, rank, depth + 1);
      return undefined;
    }
    if (n.type === 'call') {
      const f = child(n, 'function');
      const fname = f ? textOf(tree, f) : '';
      const args = callArgs(tree, n);
      if ((fname === 'tuple' || fname === 'list') && args.positional[0]) {
        return this.intList(args.positional[0], rank, depth + 1);
      }
      if (fname === 'range') {
        const bounds = args.positional.map((a) => this.rankExpr(a, rank));
        if (bounds.some((b) => b === undefined)) return undefined;
        const [a, b] =
          bounds.length === 1 ? [0, bounds[0] as number] : [bounds[0] as number, bounds[1] as number];
        const out: number[] = [];
        for (let i = a; i < b && out.length < 16; i++) out.push(i);
        return out;
      }
    }
    return undefined;
  }

  /** Integer list of several arguments (`x.permute(0, 2, 3, 1)`). */
  intListOf(nodes: readonly SNode[], rank: number | undefined): number[] | undefined {
    const out: number[] = [];
    for (const n of nodes) {
      const v = this.intList(n, rank);
      if (!Array.isArray(v) || v.length !== 1) return undefined;
      out.push(v[0]);
    }
    return out;
  }

  /** Integer expressions in `range(...)`: literals, `x.ndim`, `x.dim()`, `len(x.shape)`, `K.ndim(x)`. */
  private rankExpr(node: SNode, rank: number | undefined): number | undefined {
    const { tree } = this.model;
    const text = textOf(tree, node).replace(/\s+/g, '');
    const lit = parseNumber(text);
    if (lit !== undefined) return lit;
    if (/(\.ndim|\.dim\(\)|^len\(.*\.shape\)|^(K|tf|ops)\.(ndim|rank)\(.*\))$/.test(text)) return rank;
    const m = /^(.*\.ndim|.*\.dim\(\)|len\(.*\.shape\))-(\d+)$/.exec(text);
    if (m && rank !== undefined) return rank - Number(m[2]);
    return undefined;
  }

  private evalCall(node: SNode): TVal {
    const { tree } = this.model;
    const fnNode = child(node, 'function');
    if (!fnNode) return UNKNOWN;
    const args = callArgs(tree, node);
    // Calls to functions of this module: evaluate their result with the arguments bound.
    if (fnNode.type === 'identifier') {
      const name = textOf(tree, fnNode);
      const local = this.model.functionsByName.get(name);
      if (local && !this.bindings.has(name)) return this.evalLocalCall(local, args);
      const builtin = this.evalBuiltin(node, name, args);
      if (builtin) return builtin;
      const instance = this.instanceClass(fnNode);
      if (instance) return this.evalInstanceCall(node, instance, args);
      const model = this.localModelOutput(fnNode);
      if (model) return model;
    }
    if (fnNode.type === 'attribute') {
      const instance = this.instanceClass(fnNode);
      if (instance) return this.evalInstanceCall(node, instance, args);
    }
    const canonical = this.model.resolve(fnNode);
    let spec = canonical ? opSpec(canonical) : undefined;
    let operandNode: SNode | undefined;
    let method = false;
    if (!canonical && fnNode.type === 'attribute') {
      const attr = child(fnNode, 'attribute');
      spec = attr ? opSpec('.' + textOf(tree, attr)) : undefined;
      operandNode = child(fnNode, 'object');
      method = true;
    } else if (spec && spec.params.length && !spec.params[0].startsWith('*')) {
      operandNode = args.positional[0] ?? args.keywords.get(spec.params[0]);
    }
    if (!spec) {
      // Unknown function: data still flows from its arguments (and receiver), axes do not.
      let src = 0;
      const receiver = fnNode.type === 'attribute' ? child(fnNode, 'object') : undefined;
      const inputs = [...args.positional, ...args.keywords.values(), ...(receiver ? [receiver] : [])];
      let broken: SNode | undefined;
      for (const a of inputs) {
        const v = this.evalNode(a);
        src |= v.src;
        broken = broken ?? v.broken;
      }
      return { axes: null, src, sites: [], broken };
    }
    const operand = operandNode ? this.evalNode(operandNode) : UNKNOWN;
    if (
      canonical?.startsWith('np.') &&
      this.fn.family &&
      this.fn.family !== 'numpy' &&
      operand.src & SRC_PRED
    ) {
      this.events.numpyOnTensor.push({ call: node, operand });
      const v = this.applyOp(node, spec, spec, args, operand, operandNode, false, method, canonical);
      return { ...v, broken: node };
    }
    const torchStyle = method || canonical?.startsWith('torch') === true;
    const methodSpec = method ? spec : { ...spec, params: spec.params };
    return this.applyOp(node, spec, methodSpec, args, operand, operandNode, torchStyle, method, canonical);
  }

  private evalBuiltin(node: SNode, name: string, args: CallArgs): TVal | undefined {
    const first = args.positional[0];
    if (name === 'round' && first) {
      const v = this.evalNode(first);
      return { ...v, hard: v.src & SRC_PRED ? node : v.hard, sites: [] };
    }
    if ((name === 'float' || name === 'int') && first) {
      const v = this.evalNode(first);
      if (v.isConst) return v;
      if (v.src & SRC_PRED) this.events.breaks.push({ call: node, operand: v });
      return { axes: [], src: v.src, sites: [], broken: v.src & SRC_PRED ? node : v.broken };
    }
    if (name === 'abs' && first) return this.evalNode(first);
    if (['len', 'range', 'list', 'tuple', 'isinstance', 'print', 'zip', 'enumerate'].includes(name))
      return UNKNOWN;
    return undefined;
  }

  private evalLocalCall(g: FunctionInfo, args: CallArgs): TVal {
    if (this.callDepth >= MAX_CALL_DEPTH || g === this.fn) return UNKNOWN;
    const bound = new Map<string, TVal>();
    g.params.forEach((p, i) => {
      const a = args.keywords.get(p.name) ?? args.positional[i];
      if (a) bound.set(p.name, this.evalNode(a));
    });
    const sub = new FunctionEval(this.model, g, bound, this.callDepth + 1);
    const ret = sub.returnValue();
    // Events of the callee stay with the callee's own analysis; the value carries what the caller needs.
    return ret;
  }

  /** `criterion = nn.BCEWithLogitsLoss()` / `self.bce = ...`: the class name an instance was made from. */
  private instanceClass(fnNode: SNode): { canonical: string; call: SNode } | undefined {
    const { tree } = this.model;
    let source: SNode | undefined;
    if (fnNode.type === 'identifier') {
      const name = textOf(tree, fnNode);
      const list = this.bindings.get(name);
      const b = list ? [...list].reverse().find((x) => x.end <= fnNode.start) : undefined;
      source = b?.value;
      if (!source) source = moduleAssignment(this.model, name);
    } else if (fnNode.type === 'attribute') {
      const obj = child(fnNode, 'object');
      const attr = child(fnNode, 'attribute');
      if (obj && attr && textOf(tree, obj) === 'self' && this.fn.className) {
        source = selfAssignment(this.model, this.fn.className, textOf(tree, attr));
      }
    }
    if (!source || source.type !== 'call') return undefined;
    const callee = child(source, 'function');
    const canonical = callee ? this.model.resolve(callee) : undefined;
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

  /** `head = MaskHead()` then `head(x)`: the activation state of the class's forward/call result. */
  private localModelOutput(fnNode: SNode): TVal | undefined {
    const { tree } = this.model;
    const name = textOf(tree, fnNode);
    const list = this.bindings.get(name);
    const b = list ? [...list].reverse().find((x) => x.end <= fnNode.start) : undefined;
    const source = b?.value ?? moduleAssignment(this.model, name);
    if (!source || source.type !== 'call' || this.callDepth >= MAX_CALL_DEPTH) return undefined;
    const callee = child(source, 'function');
    if (!callee) return undefined;
    const found = this.findClass(callee);
    if (!found) return undefined;
    const { model, cls, where } = found;
    const method = cls.methods.get('forward') ?? cls.methods.get('call') ?? cls.methods.get('__call__');
    if (!method) return undefined;
    const out = new FunctionEval(model, method, new Map(), this.callDepth + 1).returnValue();
    return {
      axes: null,
      src: SRC_PRED,
      sites: [],
      act: out.act,
      actNode: out.actNode,
      actKind: out.actKind,
      actText: out.actText,
      actWhere: where ?? out.actWhere,
    };
  }

  /** A class by the name a call uses: defined in this file, or imported from a module given in LintOptions.modules. */
  private findClass(callee: SNode): { model: ModuleModel; cls: ClassInfo; where?: string } | undefined {
    const { tree } = this.model;
    const text = textOf(tree, callee).replace(/\s+/g, '');
    const local = callee.type === 'identifier' ? this.model.classes.get(text) : undefined;
    if (local) return { model: this.model, cls: local };
    if (!this.model.related) return undefined;
    // `from models import MaskHead` -> models.MaskHead; `import models` + `models.MaskHead()` likewise.
    const head = text.split('.')[0];
    const qualified = (this.model.aliases.get(head) ?? head) + text.slice(head.length);
    const dot = qualified.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const moduleName = qualified.slice(0, dot).replace(/^\.+/, '');
    const other = this.model.related(moduleName);
    const cls = other?.classes.get(qualified.slice(dot + 1));
    return other && cls ? { model: other, cls, where: moduleName } : undefined;
  }

  private evalInstanceCall(node: SNode, instance: { canonical: string; call: SNode }, args: CallArgs): TVal {
    const { tree } = this.model;
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
      pred: predNode ? { node: predNode, val: this.evalNode(predNode) } : undefined,
      truth: truthNode ? { node: truthNode, val: this.evalNode(truthNode) } : undefined,
    };
    this.events.lossCalls.push(ev);
    return { axes: [], src: (ev.pred?.val.src ?? 0) | (ev.truth?.val.src ?? 0), sites: [] };
  }

  private applyOp(
    node: SNode,
    spec: OpSpec,
    _methodSpec: OpSpec,
    args: CallArgs,
    operand: TVal,
    operandNode: SNode | undefined,
    torchStyle: boolean,
    method: boolean,
    canonical: string | undefined,
  ): TVal {
    const { tree } = this.model;
    const keep = (extra: Partial<TVal>): TVal => ({
      ...operand,
      sites: operand.sites,
      isConst: false,
      ...extra,
    });
    switch (spec.kind) {
      case 'reduce':
        return this.reduce(node, spec, args, operand, operandNode, torchStyle);
      case 'flatten': {
        if (!operand.axes) return keep({ axes: null, sites: [] });
        const rank = operand.axes.length;
        const startArg = argFor(args, spec, 'start_dim');
        const endArg = argFor(args, spec, 'end_dim');
        const start = startArg ? this.intList(startArg.node, rank) : [0];
        const end = endArg ? this.intList(endArg.node, rank) : [-1];
        if (!Array.isArray(start) || !Array.isArray(end)) return keep({ axes: null });
        const s = start[0] < 0 ? start[0] + rank : start[0];
        const e = end[0] < 0 ? end[0] + rank : end[0];
        if (s < 0 || e >= rank || s > e) return keep({ axes: null });
        const axes = [
          ...operand.axes.slice(0, s),
          operand.axes.slice(s, e + 1).join(''),
          ...operand.axes.slice(e + 1),
        ];
        return keep({ axes });
      }
      case 'batchFlatten': {
        if (!operand.axes || operand.axes.length < 2) return keep({ axes: null });
        return keep({ axes: [operand.axes[0], operand.axes.slice(1).join('')] });
      }
      case 'reshape':
        return this.reshape(node, spec, args, operand, operandNode, method);
      case 'permute': {
        const dimsNode = method ? undefined : (argFor(args, spec, 'perm')?.node ?? args.positional[1]);
        const dims = method
          ? args.positional.length === 1
            ? this.intList(args.positional[0], operand.axes?.length)
            : this.intListOf(args.positional, operand.axes?.length)
          : dimsNode
            ? this.intList(dimsNode, operand.axes?.length)
            : undefined;
        if (!operand.axes || !Array.isArray(dims) || dims.length !== operand.axes.length)
          return keep({ axes: null });
        const axes = dims.map((d) => (operand.axes as Axes)[d < 0 ? d + dims.length : d]);
        return keep({ axes: axes.some((a) => a === undefined) ? null : axes });
      }
      case 'swap': {
        const a = args.positional[method ? 0 : 1];
        const b = args.positional[method ? 1 : 2];
        if (!operand.axes) return keep({ axes: null });
        if (!a && !b && method && canonical === undefined) {
          return keep({ axes: null });
        }
        const ia = a ? this.intList(a, operand.axes.length) : undefined;
        const ib = b ? this.intList(b, operand.axes.length) : undefined;
        if (!Array.isArray(ia) || !Array.isArray(ib)) return keep({ axes: null });
        const axes = [...operand.axes];
        const r = axes.length;
        const x = ia[0] < 0 ? ia[0] + r : ia[0];
        const y = ib[0] < 0 ? ib[0] + r : ib[0];
        if (x < 0 || y < 0 || x >= r || y >= r) return keep({ axes: null });
        [axes[x], axes[y]] = [axes[y], axes[x]];
        return keep({ axes });
      }
      case 'squeeze': {
        const dimArg = method
          ? (args.positional[0] ?? args.keywords.get('dim'))
          : argFor(args, spec, 'axis')?.node;
        if (!operand.axes) return keep({ axes: null });
        if (!dimArg) return keep({ axes: operand.axes.filter((a) => a !== '1') });
        const d = this.intList(dimArg, operand.axes.length);
        if (!Array.isArray(d) || d.length !== 1) return keep({ axes: null });
        const i = d[0] < 0 ? d[0] + operand.axes.length : d[0];
        if (i < 0 || i >= operand.axes.length) return keep({ axes: null });
        return keep({ axes: operand.axes.filter((_, k) => k !== i) });
      }
      case 'unsqueeze': {
        const dimArg = method
          ? (args.positional[0] ?? args.keywords.get('dim'))
          : argFor(args, spec, 'axis')?.node;
        if (!operand.axes || !dimArg) return keep({ axes: null });
        const d = this.intList(dimArg, operand.axes.length + 1);
        if (!Array.isArray(d) || d.length !== 1) return keep({ axes: null });
        const r = operand.axes.length + 1;
        const i = d[0] < 0 ? d[0] + r : d[0];
        if (i < 0 || i >= r) return keep({ axes: null });
        const axes = [...operand.axes];
        axes.splice(i, 0, '1');
        return keep({ axes });
      }
      case 'onehot': {
        if (method) {
          const idx = argFor(args, spec, 'index');
          const labels = idx ? this.evalNode(idx.node) : UNKNOWN;
          this.events.onehots.push({ call: node, labels, labelsNode: idx?.node });
          return {
            axes: operand.axes,
            src: operand.src | labels.src,
            sites: [],
            onehot: true,
            multiclass: true,
          };
        }
        this.events.onehots.push({ call: node, labels: operand, labelsNode: operandNode });
        return {
          axes: operand.axes ? [...operand.axes, 'C'] : null,
          src: operand.src,
          sites: [],
          onehot: true,
          multiclass: true,
          cast: true,
        };
      }
      case 'cast': {
        const dtype = method
          ? textOf(tree, node)
          : args.positional[1]
            ? textOf(tree, args.positional[1])
            : '';
        const toBool = /bool|int|uint|long\(|byte\(/.test(
          method ? textOf(tree, child(node, 'function') ?? node) + dtype : dtype,
        );
        return keep({
          cast: true,
          labels: false,
          hard: toBool && operand.src & SRC_PRED ? node : operand.hard,
        });
      }
      case 'activation': {
        const dimName = spec.params[1] ?? spec.params[0];
        const dimArg = method ? argFor(args, spec, 'dim') : argFor(args, spec, dimName);
        this.events.activations.push({ call: node, sub: spec.sub ?? '', operand, spec, dimArg, operandNode });
        const logp = spec.sub === 'log_softmax' || spec.sub === 'log_sigmoid';
        return keep({
          act: logp ? 'logp' : 'prob',
          actNode: node,
          actText: textOf(tree, node).slice(0, 40),
          actKind: spec.sub,
          multiclass: operand.multiclass || spec.sub === 'softmax' || spec.sub === 'log_softmax',
          guarded: false,
        });
      }
      case 'threshold':
      case 'argmax': {
        const other = args.positional[1] ? this.evalNode(args.positional[1]) : UNKNOWN;
        const src = operand.src | (spec.kind === 'threshold' ? other.src : 0);
        let axes = operand.axes;
        if (spec.kind === 'argmax') {
          const d = method
            ? (args.positional[0] ?? args.keywords.get('dim'))
            : argFor(args, spec, 'axis')?.node;
          const list = d && axes ? this.intList(d, axes.length) : undefined;
          axes =
            axes && Array.isArray(list) && list.length === 1
              ? axes.filter((_, k) => k !== (list[0] + axes!.length) % axes!.length)
              : null;
        }
        return {
          ...operand,
          axes,
          src,
          sites: [],
          hard: src & SRC_PRED ? node : operand.hard,
          isConst: false,
        };
      }
      case 'clip':
      case 'clampMin':
      case 'maximum': {
        const lower = method
          ? argFor(args, spec, 'min')?.node
          : argFor(args, spec, spec.kind === 'maximum' ? 'y' : 'min')?.node;
        const upper = spec.kind === 'clip' ? argFor(args, spec, 'max')?.node : undefined;
        this.events.clips.push({ call: node, upper, lower });
        if (spec.kind === 'maximum') {
          const other = lower ? this.evalNode(lower) : UNKNOWN;
          const tensor = operand.isConst ? other : operand;
          return { ...tensor, guarded: true, isConst: false };
        }
        return keep({ guarded: true });
      }
      case 'log': {
        if (operandNode) this.events.logs.push({ call: node, arg: operand, argNode: operandNode });
        return keep({ act: operand.act === 'prob' ? 'logp' : undefined, guarded: false, sim: operand.sim });
      }
      case 'pow': {
        const expNode = method ? args.positional[0] : args.positional[1];
        const exp = expNode ? this.evalNode(expNode) : UNKNOWN;
        if (expNode && exp.isConst)
          this.events.pows.push({
            node,
            base: operand,
            baseNode: operandNode ?? node,
            exponentNode: expNode,
          });
        return keep({ squared: exp.num === 2 });
      }
      case 'square':
        return keep({ squared: true });
      case 'abs':
      case 'identity':
        return keep({});
      case 'break':
      case 'detach': {
        if (operand.src & SRC_PRED) this.events.breaks.push({ call: node, operand });
        return keep({
          broken: operand.broken ?? (operand.src & SRC_PRED ? node : undefined),
          hard: spec.kind === 'detach' ? undefined : operand.hard,
        });
      }
      case 'where': {
        const x = args.positional[1] ? this.evalNode(args.positional[1]) : UNKNOWN;
        const y = args.positional[2] ? this.evalNode(args.positional[2]) : UNKNOWN;
        const cond = operand;
        const both = x.isConst && y.isConst;
        return {
          axes: cond.axes ?? x.axes ?? y.axes,
          src: cond.src | x.src | y.src,
          sites: [...x.sites, ...y.sites],
          hard: both && cond.src & SRC_PRED ? node : (x.hard ?? y.hard),
          act: x.act ?? y.act,
          multiclass: x.multiclass || y.multiclass,
        };
      }
      case 'epsilon':
        return constant(1e-7);
      case 'divNoNan': {
        const a = args.positional[0] ? this.evalNode(args.positional[0]) : UNKNOWN;
        const b = args.positional[1] ? this.evalNode(args.positional[1]) : UNKNOWN;
        const overlap = a.sites.length > 0 && b.sites.length > 0;
        return { axes: a.axes, src: a.src | b.src, sites: [], sim: overlap ? 1 : undefined };
      }
      case 'lossFn': {
        const predArg = spec.pred ? argFor(args, spec, spec.pred) : undefined;
        const truthArg = spec.truth ? argFor(args, spec, spec.truth) : undefined;
        const fl = args.keywords.get('from_logits');
        const ev: LossCallEvent = {
          call: node,
          name: canonical ?? '',
          takesLogits: spec.takesLogits === true || (fl !== undefined && textOf(tree, fl) === 'True'),
          pred: predArg ? { node: predArg.node, val: this.evalNode(predArg.node) } : undefined,
          truth: truthArg ? { node: truthArg.node, val: this.evalNode(truthArg.node) } : undefined,
          spec,
        };
        this.events.lossCalls.push(ev);
        return {
          axes: null,
          src: (ev.pred?.val.src ?? 0) | (ev.truth?.val.src ?? 0),
          sites: [],
          broken: ev.pred?.val.broken,
        };
      }
    }
    return UNKNOWN;
  }

  private reduce(
    node: SNode,
    spec: OpSpec,
    args: CallArgs,
    operand: TVal,
    operandNode: SNode | undefined,
    torchStyle: boolean,
  ): TVal {
    const { tree } = this.model;
    const paramName = axisParam(spec) ?? 'axis';
    const axisArg = argFor(args, spec, paramName);
    const keepArg =
      args.keywords.get('keepdims') ??
      args.keywords.get('keepdim') ??
      argFor(args, spec, spec.params.includes('keepdim') ? 'keepdim' : 'keepdims')?.node;
    const keepdims = keepArg !== undefined && textOf(tree, keepArg) === 'True';
    const axes = operand.axes;
    const kind: ReduceKind =
      spec.sub === 'sum' || spec.sub === 'nansum'
        ? 'sum'
        : spec.sub === 'mean' || spec.sub === 'nanmean'
          ? 'mean'
          : 'other';
    const site: Site = {
      call: node,
      kind,
      axisArg: axisArg?.node,
      axisKeyword: axisArg?.keyword ?? false,
      axisParamName:
        args.keywords.has('dim') || (torchStyle && !args.keywords.has('axis'))
          ? 'dim'
          : paramName === 'dims'
            ? 'dims'
            : 'axis',
      operandAxes: axes,
      keepdims,
      operand,
      chain: [],
      operandNode,
      reducesAll: false,
      torchStyle,
    };
    let resultAxes: Axes | null = null;
    const list = axisArg ? this.intList(axisArg.node, axes?.length) : 'none';
    if (axes) {
      if (list === 'none') {
        site.reducedIdx = axes.map((_, i) => i);
        site.reducesAll = true;
      } else if (Array.isArray(list)) {
        const r = axes.length;
        const bad = list.find((d) => d >= r || d < -r);
        if (bad !== undefined) {
          site.outOfRange = bad;
          this.events.outOfRange.push(site);
        } else site.reducedIdx = [...new Set(list.map((d) => (d < 0 ? d + r : d)))].sort((a, b) => a - b);
      }
      if (site.reducedIdx) {
        const idx = site.reducedIdx;
        site.reducedLabels = new Set(idx.flatMap((i) => axes[i].split('')));
        resultAxes = keepdims
          ? axes.map((a, i) => (idx.includes(i) ? '1' : a))
          : axes.filter((_, i) => !idx.includes(i));
      }
    } else if (list === 'none') {
      site.reducesAll = true;
      resultAxes = [];
    }
    // A reduce applied directly to another reduce continues a chain (`x.sum(1).sum(1)`).
    const inner = operandNode ? unparen(operandNode) : undefined;
    const prev = inner && inner.type === 'call' && operand.sites.length === 1 ? operand.sites[0] : undefined;
    if (prev && prev.call === inner) {
      site.chain = [...(prev.chain.length ? prev.chain : [prev]), site];
      site.chainStart = prev.chainStart ?? prev;
      // The chain's overall effect, measured against the operand of its first call.
      const first = site.chainStart;
      if (first.operandAxes && resultAxes && !keepdims) {
        const remaining = new Set(resultAxes);
        const total = first.operandAxes.map((_, i) => i).filter((i) => !remaining.has(first.operandAxes![i]));
        site.reducedIdx = undefined;
        site.reducedLabels = new Set(total.flatMap((i) => (first.operandAxes as Axes)[i].split('')));
        site.operandAxes = first.operandAxes;
        site.operand = first.operand;
      }
    } else {
      site.chain = [site];
      if (operand.sites.length && site.reducedLabels) {
        const total = new Set(site.reducedLabels);
        for (const inner of operand.sites)
          for (const l of inner.totalLabels ?? inner.reducedLabels ?? []) total.add(l);
        site.totalLabels = total;
      }
    }
    this.events.reduces.push(site);
    return {
      ...operand,
      axes: resultAxes,
      sites: [site],
      isConst: false,
      sim: operand.sim,
    };
  }

  private reshape(
    node: SNode,
    spec: OpSpec,
    args: CallArgs,
    operand: TVal,
    operandNode: SNode | undefined,
    method: boolean,
  ): TVal {
    const { tree } = this.model;
    let dims: SNode[];
    if (method) {
      const only = args.positional.length === 1 ? unparen(args.positional[0]) : undefined;
      dims = only && (only.type === 'tuple' || only.type === 'list') ? namedChildren(only) : args.positional;
    } else {
      const shapeArg = argFor(args, spec, 'shape')?.node;
      const s = shapeArg ? unparen(shapeArg) : undefined;
      dims = s && (s.type === 'tuple' || s.type === 'list') ? namedChildren(s) : [];
    }
    const base = { ...operand, sites: operand.sites, isConst: false };
    if (!dims.length || args.splat) return { ...base, axes: null };
    const axes = operand.axes;
    const labels: Array<string | null> = dims.map((d) => {
      const text = textOf(tree, d).replace(/\s+/g, '');
      if (text === '-1') return '*';
      if (text === '1') return '1';
      if (BATCH_NAME.test(text)) return 'B';
      if (CLASS_NAME.test(text)) return 'C';
      const m =
        /(?:\.shape\[|\.size\(|shape\()(-?\d+)[\])]$/.exec(text) ?? /\.shape\)\[(-?\d+)\]$/.exec(text);
      if (m && axes) {
        const k = Number(m[1]);
        return axes[k < 0 ? k + axes.length : k] ?? null;
      }
      return null;
    });
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
      this.events.reshapeMix.push({
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
    return { ...base, axes: out };
  }

  private evalSubscript(node: SNode): TVal {
    const { tree } = this.model;
    const valueNode = child(node, 'value');
    if (!valueNode) return UNKNOWN;
    const v = this.evalNode(valueNode);
    const idx = node.children.filter((c) => c.field === 'subscript');
    if (!v.src) return v.isConst ? v : UNKNOWN;
    const keep = (axes: Axes | null): TVal => ({ ...v, axes, sites: v.sites });
    if (!v.axes) return keep(null);
    const items: string[] = [];
    for (const i of idx) {
      if (i.type === 'slice') items.push(textOf(tree, i).replace(/\s+/g, ''));
      else if (i.type === 'ellipsis') items.push('...');
      else if (i.type === 'none') items.push('None');
      else if (i.type === 'integer' || i.type === 'unary_operator' || i.type === 'identifier')
        items.push('#');
      else return keep(null);
    }
    const real = items.filter((s) => s !== '...' && s !== 'None').length;
    const ellipsis = items.indexOf('...');
    const r = v.axes.length;
    if (real > r) return keep(null);
    const expanded: string[] = [];
    for (const s of items) {
      if (s === '...') for (let k = 0; k < r - real; k++) expanded.push(':');
      else expanded.push(s);
    }
    if (ellipsis < 0) while (expanded.filter((s) => s !== 'None').length < r) expanded.push(':');
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
      if (/^1:$/.test(s)) this.events.slices.push({ node, label, operand: v, valueNode, items });
      out.push(label);
      axis++;
    }
    return keep(out);
  }

  /** The value the function returns (the last return statement's expression). */
  returnValue(): TVal {
    if (!this.returns.length) return UNKNOWN;
    return this.evalNode(this.returns[this.returns.length - 1]);
  }

  /** Overlap ratios: `/` whose numerator reduces a prediction·target product and whose denominator reduces too. */
  ratios(): Ratio[] {
    if (this.ratioCache) return this.ratioCache;
    const out: Ratio[] = [];
    const { tree } = this.model;
    const visit = (n: SNode): boolean => {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')
        return false;
      if (n.type === 'binary_operator' && operatorOf(tree, n) === '/') {
        const numNode = child(n, 'left');
        const denNode = child(n, 'right');
        if (numNode && denNode) {
          const num = this.evalNode(numNode);
          const den = this.evalNode(denNode);
          const numSites = num.sites.filter((s) => s.operand.src);
          const denSites = den.sites.filter((s) => s.operand.src);
          // An overlap ratio has the intersection above and both masks below (Σp + Σt, Σ(p + t), or
          // tp + FP + FN terms). Precision (tp / Σp) and recall (tp / Σt) are not overlap ratios.
          const cover = new Set<string>();
          for (const site of denSites) {
            const v = site.operand;
            if (v.term === 'FP') cover.add('P');
            else if (v.term === 'FN') cover.add('T');
            else if (!v.product) {
              if (v.src & SRC_PRED) cover.add('P');
              if (v.src & SRC_TRUE) cover.add('T');
            }
          }
          const intersection = numSites.some((site) => site.operand.product);
          if (intersection && cover.has('P') && cover.has('T')) {
            out.push({ node: n, numNode, denNode, num, den, numSites, denSites });
          }
        }
      }
      return true;
    };
    walk(this.fn.body, visit);
    this.ratioCache = out;
    return out;
  }

  /** Forces evaluation of every statement so that events are complete. */
  evaluateAll(): void {
    walk(this.fn.body, (n) => {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')
        return false;
      if (
        n.type === 'expression_statement' ||
        n.type === 'return_statement' ||
        n.type === 'assert_statement'
      ) {
        for (const c of namedChildren(n)) this.evalExprStatement(c);
        return true;
      }
      if (n.type === 'if_statement' || n.type === 'while_statement') {
        const cond = child(n, 'condition');
        if (cond) this.evalNode(cond);
      }
      return true;
    });
    this.ratios();
  }

  private evalExprStatement(n: SNode): void {
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const right = child(n, 'right');
      if (right) {
        if (right.type === 'expression_list') for (const c of namedChildren(right)) this.evalNode(c);
        else this.evalNode(right);
      }
      return;
    }
    this.evalNode(n);
  }
}

function moduleAssignment(model: ModuleModel, name: string): SNode | undefined {
  const { tree } = model;
  for (const stmt of tree.root.children) {
    const a = stmt.type === 'expression_statement' ? namedChildren(stmt)[0] : undefined;
    if (a && a.type === 'assignment') {
      const left = child(a, 'left');
      if (left && left.type === 'identifier' && textOf(tree, left) === name) return child(a, 'right');
    }
  }
  return undefined;
}

function selfAssignment(model: ModuleModel, className: string, attr: string): SNode | undefined {
  const cls = model.classes.get(className);
  const { tree } = model;
  let found: SNode | undefined;
  if (!cls) return undefined;
  walk(cls.node, (n) => {
    if (n.type === 'assignment') {
      const left = child(n, 'left');
      if (left && left.type === 'attribute' && textOf(tree, left).replace(/\s+/g, '') === `self.${attr}`) {
        found = child(n, 'right');
      }
    }
    return true;
  });
  return found;
}
