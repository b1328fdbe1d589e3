/**
 * Calls of the code's own names: functions of the module (followed with their arguments bound), a few builtins
 * (`round`, `float`, `abs`, …), instances of loss classes, and instances of model classes defined in the module or
 * an imported one (whose `forward`/`call` result tells the activation state).
 */
import type { ClassInfo, ModuleModel, FunctionInfo } from '../module';
import type { CallArgs } from '../signatures';
import { child, textOf, type SNode } from '../syntax';
import { SRC_PRED, UNKNOWN, type TVal } from '../values';
import type { EvalContext } from './call';
import { lossInstance, lossInstanceCall } from './loss';
import { moduleAssignment, selfAssignment } from '../bindings';

/** Calls into other functions of the module are followed this deep. */
export const MAX_CALL_DEPTH = 3;

const OPAQUE_BUILTINS = ['len', 'range', 'list', 'tuple', 'isinstance', 'print', 'zip', 'enumerate'];

/**
 * The value of a call of one of the code's own names, or undefined when the callee is not one (a framework op or
 * an unknown function, left to the op table).
 */
export function evalOwnCall(ctx: EvalContext, node: SNode, fnNode: SNode, args: CallArgs): TVal | undefined {
  if (fnNode.type === 'identifier') {
    const name = textOf(ctx.model.tree, fnNode);
    const local = ctx.model.functionsByName.get(name);
    if (local && !ctx.isBound(name)) return evalLocalCall(ctx, node, local, args);
    if (!local && !ctx.isBound(name)) noteImportedCall(ctx, node, name, args);
    const builtin = evalBuiltin(ctx, node, name, args);
    if (builtin) return builtin;
    const instance = lossInstance(ctx, fnNode);
    if (instance) return lossInstanceCall(ctx, node, instance, args);
    const source = ctx.bindingBefore(name, fnNode.start)?.value ?? moduleAssignment(ctx.model, name);
    noteInstanceCall(ctx, node, source, args);
    const model = localModelOutput(ctx, fnNode);
    if (model) return model;
  }
  if (fnNode.type === 'attribute') {
    const instance = lossInstance(ctx, fnNode);
    if (instance) return lossInstanceCall(ctx, node, instance, args);
    const obj = child(fnNode, 'object');
    const attr = child(fnNode, 'attribute');
    if (obj && attr && ctx.fn.className && textOf(ctx.model.tree, obj) === 'self') {
      const source = selfAssignment(ctx.model, ctx.fn.className, textOf(ctx.model.tree, attr));
      noteInstanceCall(ctx, node, source, args);
    }
  }
  return undefined;
}

function evalBuiltin(ctx: EvalContext, node: SNode, name: string, args: CallArgs): TVal | undefined {
  const first = args.positional[0];
  if (name === 'round' && first) {
    const v = ctx.evalNode(first);
    return { ...v, hard: v.src & SRC_PRED ? node : v.hard, sites: [] };
  }
  if ((name === 'float' || name === 'int') && first) {
    const v = ctx.evalNode(first);
    if (v.isConst) return v;
    if (v.src & SRC_PRED) ctx.events.breaks.push({ call: node, operand: v });
    return { axes: [], src: v.src, sites: [], broken: v.src & SRC_PRED ? node : v.broken };
  }
  if (name === 'abs' && first) return ctx.evalNode(first);
  if (OPAQUE_BUILTINS.includes(name)) return UNKNOWN;
  return undefined;
}

/** A function of this module: its return value with the arguments bound (events stay with the callee). */
function evalLocalCall(ctx: EvalContext, node: SNode, g: FunctionInfo, args: CallArgs): TVal {
  if (ctx.callDepth >= MAX_CALL_DEPTH || g === ctx.fn) return UNKNOWN;
  return ctx.evalReturn(ctx.model, g, bindArgs(ctx, g, args), { node, label: g.name });
}

/** The callee's parameters bound to the values of the call's arguments (positional, then keywords). */
function bindArgs(ctx: EvalContext, g: FunctionInfo, args: CallArgs): Map<string, TVal> {
  const bound = new Map<string, TVal>();
  g.params.forEach((p, i) => {
    const a = args.keywords.get(p.name) ?? args.positional[i];
    if (a) bound.set(p.name, ctx.evalNode(a));
  });
  return bound;
}

/**
 * `from parts.terms import region_term` … `region_term(probs, t)`: the function of the other module (given in
 * LintOptions.modules) is evaluated with the arguments bound, only for what it does to them (a second activation,
 * events.crossActivations); the call's value stays unknown, as before.
 */
function noteImportedCall(ctx: EvalContext, node: SNode, name: string, args: CallArgs): void {
  const { model } = ctx;
  const path = model.aliases.get(name);
  if (!path || !model.related || ctx.callDepth >= MAX_CALL_DEPTH) return;
  const dot = path.lastIndexOf('.');
  if (dot <= 0) return;
  const moduleName = path.slice(0, dot).replace(/^\.+/, '');
  const other = model.related(moduleName);
  const g = other?.functionsByName.get(path.slice(dot + 1));
  if (!other || !g) return;
  ctx.evalReturn(other, g, bindArgs(ctx, g, args), { node, label: g.name, where: moduleName });
}

/**
 * `self.dice(probs, t)` with `self.dice = DiceLoss()` in the class (or `crit = DiceLoss()` … `crit(probs, t)`):
 * the instance's forward/call is evaluated with the arguments bound, only for what it does to them
 * (events.crossActivations, e.g. a second sigmoid); the call's value stays what it was.
 */
function noteInstanceCall(ctx: EvalContext, node: SNode, source: SNode | undefined, args: CallArgs): void {
  if (!source || source.type !== 'call' || ctx.callDepth >= MAX_CALL_DEPTH) return;
  const callee = child(source, 'function');
  const found = callee ? findClass(ctx.model, callee) : undefined;
  if (!found) return;
  const { model, cls, where } = found;
  const method = cls.methods.get('forward') ?? cls.methods.get('call') ?? cls.methods.get('__call__');
  if (!method || method === ctx.fn) return;
  ctx.evalReturn(model, method, bindArgs(ctx, method, args), {
    node,
    label: `${cls.name}.${method.name}`,
    where,
  });
}

/** `head = MaskHead()` then `head(x)`: the activation state of the class's forward/call result. */
function localModelOutput(ctx: EvalContext, fnNode: SNode): TVal | undefined {
  const name = textOf(ctx.model.tree, fnNode);
  const source = ctx.bindingBefore(name, fnNode.start)?.value ?? moduleAssignment(ctx.model, name);
  if (!source || source.type !== 'call' || ctx.callDepth >= MAX_CALL_DEPTH) return undefined;
  const callee = child(source, 'function');
  if (!callee) return undefined;
  const found = findClass(ctx.model, callee);
  if (!found) return undefined;
  const { model, cls, where } = found;
  const method = cls.methods.get('forward') ?? cls.methods.get('call') ?? cls.methods.get('__call__');
  if (!method) return undefined;
  const out = ctx.evalReturn(model, method, new Map());
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
function findClass(
  model: ModuleModel,
  callee: SNode,
): { model: ModuleModel; cls: ClassInfo; where?: string } | undefined {
  const text = textOf(model.tree, callee).replace(/\s+/g, '');
  const local = callee.type === 'identifier' ? model.classes.get(text) : undefined;
  if (local) return { model, cls: local };
  if (!model.related) return undefined;
  // `from models import MaskHead` -> models.MaskHead; `import models` + `models.MaskHead()` likewise.
  const head = text.split('.')[0];
  const qualified = (model.aliases.get(head) ?? head) + text.slice(head.length);
  const dot = qualified.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const moduleName = qualified.slice(0, dot).replace(/^\.+/, '');
  const other = model.related(moduleName);
  const cls = other?.classes.get(qualified.slice(dot + 1));
  return other && cls ? { model: other, cls, where: moduleName } : undefined;
}
