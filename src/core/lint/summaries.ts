/**
 * Function summaries (issue 15 §1): what a callee did to the values its caller passed — an activation applied
 * again, or a logit loss fed with a probability — found in the callee's events when it is evaluated with the
 * caller's argument values (FunctionEval.evalReturn), and reported by LL202 at the call site.
 */
import type { CrossActivation, Events } from './events';
import type { FunctionInfo, ModuleModel } from './module';
import type { SNode } from './syntax';
import type { TVal } from './values';

/** What crossActivationsOf needs of an evaluated callee. */
export interface EvaluatedCallee {
  readonly model: ModuleModel;
  readonly fn: FunctionInfo;
  readonly events: Events;
  /** The callee's events when linted on its own (parameters seeded from their names). */
  alone(): Events;
}

/** The node's tree root (nodes of imported modules belong to other trees). */
function rootOf(node: SNode): SNode {
  let n = node;
  while (n.parent) n = n.parent;
  return n;
}

/**
 * What a callee did to values activated before the call (function summary, issue 15 §1): an activation applied
 * again, or a logit loss fed with a probability, where the first activation is not in the callee itself. Those the
 * callee's own lint already reports (a parameter named like a probability) are left to it.
 */
export function crossActivationsOf(callee: EvaluatedCallee): CrossActivation[] {
  const { model, fn, events } = callee;
  const outside = (v: TVal): boolean => {
    const a = v.actNode;
    if (!a) return false;
    if (rootOf(a) !== model.tree.root) return true;
    return a.start < fn.node.start || a.end > fn.node.end;
  };
  const out: CrossActivation[] = [];
  let own: Set<SNode> | undefined;
  // The callee linted on its own (parameters seeded from their names): the double activations it reports itself.
  const ownFindings = (): Set<SNode> => {
    if (own) return own;
    const alone = { events: callee.alone() };
    own = new Set<SNode>();
    for (const a of alone.events.activations)
      if (a.operand.act === 'prob' && a.operand.actNode) own.add(a.call);
    for (const l of alone.events.lossCalls)
      if (l.takesLogits && l.pred?.val.act === 'prob' && l.pred.val.actNode) own.add(l.call);
    return own;
  };
  const fromParamName = (node: SNode): boolean => ownFindings().has(node);
  for (const a of events.activations) {
    if (a.operand.act !== 'prob' || !outside(a.operand) || fromParamName(a.call)) continue;
    out.push({
      call: a.call,
      callee: '',
      what: a.sub,
      line: model.lineOf(a.call) + 1,
      operand: a.operand,
      loss: false,
    });
  }
  for (const l of events.lossCalls) {
    const p = l.pred?.val;
    if (!l.takesLogits || !p || p.act !== 'prob' || !outside(p) || fromParamName(l.call)) continue;
    out.push({
      call: l.call,
      callee: '',
      what: l.name.replace(/^nn\./, ''),
      line: model.lineOf(l.call) + 1,
      operand: p,
      loss: true,
    });
  }
  // Deeper calls: what the callee's callees did to the same values.
  for (const c of events.crossActivations) if (outside(c.operand)) out.push(c);
  return out;
}
