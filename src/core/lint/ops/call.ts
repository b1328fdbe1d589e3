/**
 * The one shape every op handler has: a framework call the engine recognised (signatures.ts), packed in an `OpCall`,
 * turned into the abstract value of the call. Handlers record events through `ctx.events` and evaluate further
 * arguments through `ctx.evalNode`; they never see the evaluator class itself.
 */
import type { Binding } from '../bindings';
import type { Events } from '../events';
import type { FunctionInfo, ModuleModel } from '../module';
import type { CallArgs, OpKind, OpSpec } from '../signatures';
import type { SNode } from '../syntax';
import type { TVal } from '../values';

/** What an op handler may ask of the function being evaluated. */
export interface EvalContext {
  readonly model: ModuleModel;
  readonly fn: FunctionInfo;
  readonly events: Events;
  /** The abstract value of an expression of this function (memoised). */
  evalNode(node: SNode): TVal;
  /** The binding of `name` in force at offset `at` (the last one that ends at or before it). */
  bindingBefore(name: string, at: number): Binding | undefined;
  /** `name` is assigned somewhere in this function (so it does not name a module-level function). */
  isBound(name: string): boolean;
  /** How many calls deep this evaluation is (0: the function being linted). */
  readonly callDepth: number;
  /** The return value of `fn` (in `model`) evaluated with `bound` parameter values, one call level deeper. */
  evalReturn(
    model: ModuleModel,
    fn: FunctionInfo,
    bound: Map<string, TVal>,
    /** The call in this function, to report what the callee does to the arguments (events.crossActivations). */
    call?: { node: SNode; label: string; where?: string },
  ): TVal;
}

/** One recognised framework call: `K.sum(x, -1)`, `x.sum(1)`, `F.softmax(x, dim=1)`. */
export interface OpCall {
  /** The call expression. */
  readonly node: SNode;
  readonly spec: OpSpec;
  /** The canonical name (`torch.sum`); undefined for a tensor method (`x.sum`). */
  readonly canonical?: string;
  readonly args: CallArgs;
  /** The tensor operated on: the receiver of a method, else the first argument. */
  readonly operandNode?: SNode;
  readonly operand: TVal;
  /** Written as a tensor method (`x.sum(1)`): positional arguments do not include the operand. */
  readonly method: boolean;
  /** PyTorch conventions (`dim=`): a method or a `torch.*` function. */
  readonly torchStyle: boolean;
  readonly ctx: EvalContext;
}

export type OpHandler = (call: OpCall) => TVal;

/** One handler per op kind: a table that misses a kind (or names one twice) does not compile. */
export type OpHandlerTable = Record<OpKind, OpHandler>;

/** The operand's value with some facts replaced (elementwise ops that keep everything else). */
export function keep(call: OpCall, extra: Partial<TVal>): TVal {
  const { operand } = call;
  return { ...operand, sites: operand.sites, isConst: false, ...extra };
}
