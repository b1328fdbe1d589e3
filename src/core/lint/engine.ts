/**
 * The axis engine (catalog §0): evaluates the expressions of one function to abstract values (values.ts),
 * following local assignments and calls to other functions of the module, and records the events the rules
 * need (events.ts) — reduce sites, overlap ratios, activations, logs, clips, broadcasts and reshapes.
 *
 * `FunctionEval` walks the syntax; what a framework call does is decided by the op handlers under ops/, one file
 * per family behind one table (ops/index.ts), and calls of the code's own names by ops/calls.ts.
 *
 * It is deliberately an approximation: straight-line, source-order data flow. Where it cannot tell (unknown
 * calls, loops, mutation), values become unknown and the rules stay silent — a missed warning is better than
 * a false one.
 */
import {
  bindingBefore,
  enclosingBranch,
  functionBindings,
  lastBindingIndex,
  leavesBlock,
  siblingArmIf,
  BRANCHING_TYPES,
  selfAssignment,
  type Binding,
  type Bindings,
} from './bindings';
import { checkBudget } from './budget';
import { emptyEvents, type CrossActivation, type CrossReduction, type Events, type Ratio } from './events';
import { crossActivationsOf, crossReductionsOf } from './summaries';
import type { FunctionInfo, ModuleModel } from './module';
import { combine } from './ops/arithmetic';
import type { EvalContext } from './ops/call';
import { evalOwnCall } from './ops/calls';
import { divisionCall, evalFrameworkCall } from './ops/index';
import { intList, intListOf } from './ops/intArgs';
import { evalSubscript } from './ops/subscript';
import { classifyParams, SMOOTH_NAME } from './params';
import { argFor, callArgs, opSpec } from './signatures';
import { child, namedChildren, operatorOf, textOf, walk, type SNode } from './syntax';
import {
  constant,
  joinValues,
  layoutAxes,
  parseNumber,
  SRC_PRED,
  SRC_TRUE,
  UNKNOWN,
  type TVal,
} from './values';

/** Return values of callees already evaluated, by callee, call depth and argument values (by identity). */
type CallSummaries = Map<
  FunctionInfo,
  Array<{
    depth: number;
    args: Array<TVal | undefined>;
    value: TVal;
    cross: CrossActivation[];
    reductions: CrossReduction[];
  }>
>;

/** Evaluation stops (value unknown) below this many nested evaluations: deep expressions cannot overflow. */
const MAX_EVAL_DEPTH = 120;

export class FunctionEval implements EvalContext {
  readonly events: Events = emptyEvents();
  private readonly memo = new Map<number, TVal>();
  private readonly branchMemo = new Map<string, TVal>();
  private readonly bindings: Bindings;
  private readonly seeds = new Map<string, TVal>();
  private depth = 0;
  private ratioCache?: Ratio[];
  readonly predParam?: string;
  readonly truthParam?: string;
  /** Nodes of return expressions. */
  readonly returns: SNode[];

  constructor(
    readonly model: ModuleModel,
    readonly fn: FunctionInfo,
    bound?: Map<string, TVal>,
    readonly callDepth = 0,
    private readonly summaries: CallSummaries = new Map(),
  ) {
    const { pred, truth } = classifyParams(fn);
    this.predParam = pred;
    this.truthParam = truth;
    const { bindings, returns, mutations } = functionBindings(model, fn);
    this.events.mutations.push(...mutations);
    this.bindings = bindings;
    this.returns = returns;
    this.seedParams(bound);
  }

  /** The values of the parameters: bound by a caller, or the prediction / target / smoothing seeds. */
  private seedParams(bound: Map<string, TVal> | undefined): void {
    const { fn, predParam: pred, truthParam: truth } = this;
    // Documented as flattened per sample ("(B, N)"): batch first, every pixel pooled into one axis.
    const pooled = fn.layout
      ? layoutAxes(fn.layout)
          .filter((a) => a !== 'B' && a !== 'C')
          .join('')
      : 'HW';
    const axes = fn.flatInputs ? ['B', pooled] : fn.layout ? layoutAxes(fn.layout) : null;
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
        // Through local names too: `safe = labels * keep` … `one_hot(safe.view(bs, -1), C)` (a few bindings deep).
        const queue: Array<{ node: SNode; depth: number }> = arg ? [{ node: arg, depth: 0 }] : [];
        while (queue.length) {
          const { node: e, depth } = queue.pop() as { node: SNode; depth: number };
          walk(e, (m) => {
            if (m.type !== 'identifier') return true;
            const name = textOf(tree, m);
            out.add(name);
            const def = depth < 3 ? this.bindingBefore(name, m.start)?.value : undefined;
            if (def) queue.push({ node: def, depth: depth + 1 });
            return true;
          });
        }
      }
      return true;
    });
    return out;
  }

  bindingBefore(name: string, at: number): Binding | undefined {
    return bindingBefore(this.bindings, name, at);
  }

  isBound(name: string): boolean {
    return this.bindings.has(name);
  }

  evalReturn(
    model: ModuleModel,
    fn: FunctionInfo,
    bound: Map<string, TVal>,
    call?: { node: SNode; label: string; where?: string },
  ): TVal {
    // A callee's result depends only on its parameters' values (its events stay with it): the same call with the
    // same argument values — `helper(pred, target)` on every line of a loop-unrolled loss — is evaluated once.
    const depth = this.callDepth + 1;
    let entries = this.summaries.get(fn);
    if (!entries) this.summaries.set(fn, (entries = []));
    const args = fn.params.map((p) => bound.get(p.name));
    let hit = entries.find((e) => e.depth === depth && e.args.every((a, i) => a === args[i]));
    if (!hit) {
      const callee = new FunctionEval(model, fn, bound, depth, this.summaries);
      callee.evaluateAll();
      // The callee linted on its own (parameters seeded from their names), built only when a summary needs it.
      let alone: FunctionEval | undefined;
      const aloneEval = (): FunctionEval => {
        if (!alone) {
          alone = new FunctionEval(model, fn, undefined, depth);
          alone.evaluateAll();
        }
        return alone;
      };
      hit = {
        depth,
        args,
        value: callee.returnValue(),
        cross: crossActivationsOf({ model, fn, events: callee.events, alone: () => aloneEval().events }),
        reductions: crossReductionsOf({
          model,
          fn,
          ev: callee,
          events: callee.events,
          sameFile: model.tree.root === this.model.tree.root,
          alone: () => ({ ratios: aloneEval().ratios(), events: aloneEval().events }),
        }),
      };
      // Bounded: distinct argument values past this many are evaluated again rather than remembered.
      if (entries.length < 32) entries.push(hit);
    }
    if (call) {
      for (const c of hit.cross)
        this.events.crossActivations.push({
          ...c,
          call: call.node,
          callee: c.callee ? `${call.label} → ${c.callee}` : call.label,
          where: c.where ?? call.where,
        });
      for (const r of hit.reductions)
        this.events.crossReductions.push({
          ...r,
          call: call.node,
          callee: r.callee ? `${call.label} → ${r.callee}` : call.label,
          where: r.where ?? call.where,
        });
    }
    return hit.value;
  }

  lookup(name: string, at: number): TVal {
    const list = this.bindings.get(name);
    const i = list ? lastBindingIndex(list, at) : -1;
    if (list && i >= 0) {
      const b = list[i];
      // A binding in another arm of an `if` around the use never reaches it: the value is the one before the `if`.
      const sibling = b.node ? siblingArmIf(b.node, at) : undefined;
      if (sibling) return this.valueBefore(name, sibling.start);
      // A binding inside a branch or loop that does not contain the use may not have run: join it with the
      // value that reaches the start of that construct.
      const branch = b.node ? enclosingBranch(this.fn, b.node, at) : undefined;
      if (branch)
        return (
          this.ifElseValue(name, branch) ??
          joinValues(this.bindingValue(name, b), this.valueBefore(name, branch.start))
        );
      return this.bindingValue(name, b);
    }
    const seed = this.seeds.get(name);
    if (seed) return seed;
    const c = this.model.constants.get(name);
    if (c) return this.evalNode(c);
    if (SMOOTH_NAME.test(name)) return constant(undefined);
    return UNKNOWN;
  }

  /**
   * The value of `name` reaching the start of a branch, memoised: every use after a run of `if c: x = f(x)` blocks
   * joins through all of them, so without the memo a function with N such blocks costs N² lookups.
   */
  private valueBefore(name: string, at: number): TVal {
    const key = `${at}:${name}`;
    let v = this.branchMemo.get(key);
    if (!v) {
      v = this.lookup(name, at);
      this.branchMemo.set(key, v);
    }
    return v;
  }

  /**
   * After `if … elif … else`, the value is one of the arms' (the one before the `if` reaches only through arms that
   * leave the name alone): join exactly those, so that a fact every arm establishes — `softmax` in one, `sigmoid` in
   * the other — survives the block. Undefined when the statement has no `else` or an arm binds the name in a nested
   * branch (the caller then joins with the value before the block, as for any branch).
   */
  private ifElseValue(name: string, stmt: SNode): TVal | undefined {
    if (stmt.type !== 'if_statement') return undefined;
    const key = `if${stmt.start}:${name}`;
    if (this.branchMemo.has(key)) return this.branchMemo.get(key);
    this.branchMemo.set(key, UNKNOWN);
    let out: TVal | undefined;
    const arms = [
      child(stmt, 'consequence'),
      ...namedChildren(stmt).filter((c) => c.type === 'elif_clause' || c.type === 'else_clause'),
    ];
    const list = this.bindings.get(name) ?? [];
    if (arms.some((a) => a?.type === 'else_clause')) {
      // Last arm first: where facts are kept from one side (joinValues), they come from the arm nearest the use, as
      // they did before arms were joined.
      for (const arm of [...arms].reverse()) {
        if (!arm) return this.forget(key);
        if (leavesBlock(arm)) continue;
        const i = lastBindingIndex(list, arm.end);
        const last = i >= 0 && list[i].node && list[i].end > arm.start ? list[i] : undefined;
        let v: TVal;
        if (last) {
          for (let n = last.node?.parent; n && n !== arm; n = n.parent)
            if (BRANCHING_TYPES.has(n.type)) return this.forget(key);
          v = this.bindingValue(name, last);
        } else v = this.valueBefore(name, stmt.start);
        out = out ? joinValues(out, v) : v;
      }
    }
    if (!out) return this.forget(key);
    this.branchMemo.set(key, out);
    return out;
  }

  private forget(key: string): undefined {
    this.branchMemo.delete(key);
    return undefined;
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
    return this.bindingBefore(textOf(this.model.tree, node), node.start)?.value ?? node;
  }

  /** The value of the prediction parameter (or undefined). */
  predValue(): TVal | undefined {
    return this.predParam ? this.seeds.get(this.predParam) : undefined;
  }

  evalNode(node: SNode): TVal {
    const cached = this.memo.get(node.id);
    if (cached) return cached;
    if (this.depth > MAX_EVAL_DEPTH || node.depth > 4 * MAX_EVAL_DEPTH) return UNKNOWN;
    checkBudget();
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
      case 'unary_operator':
        return this.evalUnary(node);
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
      case 'comparison_operator':
        return this.evalComparison(node);
      case 'call':
        return this.evalCall(node);
      case 'subscript':
        return evalSubscript(this, node);
      case 'attribute':
        return this.evalAttribute(node);
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

  private evalUnary(node: SNode): TVal {
    const arg = child(node, 'argument');
    const v = arg ? this.evalNode(arg) : UNKNOWN;
    if (operatorOf(this.model.tree, node) !== '-') return v;
    return {
      ...v,
      num: v.num === undefined ? undefined : -v.num,
      sim: v.sim ? (v.sim === 1 ? -1 : 1) : undefined,
    };
  }

  /** `p > 0.5`, `t == c`: a comparison on a prediction-derived value is a hard decision. */
  private evalComparison(node: SNode): TVal {
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

  /** `self.smooth` reads as a smoothing constant; `x.T` is `x` (axes unknown after the transpose anyway). */
  private evalAttribute(node: SNode): TVal {
    const { tree } = this.model;
    const obj = child(node, 'object');
    const attr = child(node, 'attribute');
    const literal = obj && attr ? this.selfConstant(obj, attr) : undefined;
    if (literal) return literal;
    if (SMOOTH_NAME.test(textOf(tree, node))) return constant(undefined);
    if (obj && attr && textOf(tree, attr) === 'T') return this.evalNode(obj);
    return UNKNOWN;
  }

  /**
   * `self.smooth` where the class sets `self.smooth = 10` — or `self.smooth = smooth` with `smooth=10` a default of
   * `__init__` — reads as that number, like a literal written in place (issue 15 §5).
   */
  private selfConstant(obj: SNode, attr: SNode): TVal | undefined {
    const { model } = this;
    const className = this.fn.className;
    if (!className || textOf(model.tree, obj) !== 'self') return undefined;
    const source = selfAssignment(model, className, textOf(model.tree, attr));
    if (!source) return undefined;
    const num = (n: SNode | undefined): number | undefined => {
      if (!n) return undefined;
      if (n.type === 'integer' || n.type === 'float') return parseNumber(textOf(model.tree, n));
      if (n.type === 'unary_operator') {
        const inner = child(n, 'argument');
        const v = inner && (inner.type === 'integer' || inner.type === 'float') ? num(inner) : undefined;
        const op = operatorOf(model.tree, n);
        return v === undefined ? undefined : op === '-' ? -v : op === '+' ? v : undefined;
      }
      return undefined;
    };
    let value = num(source);
    if (value === undefined && source.type === 'identifier') {
      const init = model.classes.get(className)?.methods.get('__init__');
      const name = textOf(model.tree, source);
      const p = init?.params.find((q) => q.name === name);
      // Only when __init__ does not rebind the parameter before storing it.
      if (p?.default && init && !functionBindings(model, init).bindings.has(name)) value = num(p.default);
    }
    return value === undefined ? undefined : constant(value);
  }

  /** Elementwise combination with broadcasting (ops/arithmetic.ts). */
  combine(node: SNode, op: string, l: TVal, r: TVal, leftNode?: SNode, rightNode?: SNode): TVal {
    return combine(this, node, op, l, r, leftNode, rightNode);
  }

  /** Integer list of an axis argument: `-1`, `[1, 2, 3]`, `(2, 3)`, `tuple(range(2, x.ndim))`, a bound name. */
  intList(node: SNode, rank: number | undefined): number[] | 'none' | undefined {
    return intList(this, node, rank);
  }

  /** Integer list of several arguments (`x.permute(0, 2, 3, 1)`). */
  intListOf(nodes: readonly SNode[], rank: number | undefined): number[] | undefined {
    return intListOf(this, nodes, rank);
  }

  /** A call: the code's own functions and classes first (ops/calls.ts), then the framework op table. */
  private evalCall(node: SNode): TVal {
    const fnNode = child(node, 'function');
    if (!fnNode) return UNKNOWN;
    const args = callArgs(this.model.tree, node);
    return evalOwnCall(this, node, fnNode, args) ?? evalFrameworkCall(this, node, fnNode, args);
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
    walk(this.fn.body, (n) => {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition')
        return false;
      let ratio: Ratio | undefined;
      if (n.type === 'binary_operator' && operatorOf(tree, n) === '/') {
        const numNode = child(n, 'left');
        const denNode = child(n, 'right');
        if (numNode && denNode) ratio = this.overlapRatio(n, numNode, denNode);
      } else if (n.type === 'call') {
        const division = divisionCall(this, n);
        if (division) ratio = this.overlapRatio(n, division.numNode, division.denNode, division.nanSafe);
      }
      if (ratio) out.push(ratio);
      return true;
    });
    this.ratioCache = out;
    return out;
  }

  private overlapRatio(n: SNode, numNode: SNode, denNode: SNode, nanSafe = false): Ratio | undefined {
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
    if (!intersection || !cover.has('P') || !cover.has('T')) return undefined;
    return { node: n, numNode, denNode, num, den, numSites, denSites, ...(nanSafe ? { nanSafe } : {}) };
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
