/**
 * Function summaries (issue 15 §1): what a callee did to the values its caller passed — an activation applied
 * again, or a logit loss fed with a probability (LL202 at the call site), or an overlap ratio reduced over no
 * spatial axis of the caller's tensors (LL101 at the call site) — found in the callee's events when it is evaluated
 * with the caller's argument values (FunctionEval.evalReturn).
 */
import type { CrossActivation, CrossReduction, CrossReductionSite, Events, Ratio } from './events';
import type { FunctionInfo, ModuleModel } from './module';
import {
  describeReduction,
  overlapName,
  partialSpatialSite,
  perPixelSite,
  verdict,
  type RatioSource,
} from './overlap';
import { textOf, type SNode } from './syntax';
import type { Site, TVal } from './values';

/** What crossActivationsOf needs of an evaluated callee. */
export interface EvaluatedCallee {
  readonly model: ModuleModel;
  readonly fn: FunctionInfo;
  readonly events: Events;
  /** The callee's events when linted on its own (parameters seeded from their names). */
  alone(): Events;
}

/** The node's tree root (nodes of imported modules belong to other trees). */
export function rootOf(node: SNode): SNode {
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

/** The callee as evaluated with the caller's values, and its lint on its own, for reductions. */
export interface EvaluatedRatios {
  readonly model: ModuleModel;
  readonly fn: FunctionInfo;
  readonly ev: RatioSource & { ratios(): Ratio[] };
  readonly events: Events;
  /** The callee linted on its own: its ratios and events (what its own LL101 reports). */
  alone(): { ratios: Ratio[]; events: Events };
  /** True when the callee is in the linted file (its own findings are shown there). */
  readonly sameFile: boolean;
}

/** A reduce call quoted in a message only when short: a snippet is never cut mid-token (issue 15 §8). */
const MAX_QUOTE = 48;

/** The sites of a ratio that reduce no spatial axis, written out in the callee itself. */
function perPixelSites(ratio: Ratio): Site[] {
  return [...ratio.numSites, ...ratio.denSites].filter(perPixelSite);
}

/** The sites of a ratio that reduce some spatial axes but not all (one reduce call with its axes written out). */
function partialSites(ratio: Ratio): Site[] {
  return [...ratio.numSites, ...ratio.denSites].filter(
    (s) => s.axisArg !== undefined && s.chain.length === 1 && partialSpatialSite(s),
  );
}

function crossSite(model: ModuleModel, s: Site, partial: boolean): CrossReductionSite {
  const text = textOf(model.tree, s.call).replace(/\s+/g, ' ');
  const v = partial ? verdict(s) : undefined;
  return {
    node: s.call,
    line: model.lineOf(s.call) + 1,
    ...(text.length <= MAX_QUOTE ? { text } : {}),
    reduction: describeReduction(model.tree, s),
    axes: s.operandAxes ?? [],
    ...(s.axisArg ? { axisArg: s.axisArg } : {}),
    torchStyle: s.torchStyle,
    ...(v ? { left: [...v.spatial].filter((l) => !v.reducedSpatial.has(l)) } : {}),
  };
}

/**
 * Overlap ratios of a callee that, with the caller's argument values, reduce no spatial axis (issue 15 §1): a
 * helper `soft_dice(a, b)` whose sums use `axis=-1`, called with [B, H, W, C] tensors. A callee in the linted file
 * whose own LL101 already reports a site leaves that site to it (no second finding for one mistake); a callee in
 * another module is always summarised, because its findings are not shown in this file.
 */
export function crossReductionsOf(callee: EvaluatedRatios): CrossReduction[] {
  const { model, fn, ev, events } = callee;
  const inside = (n: SNode): boolean =>
    rootOf(n) === model.tree.root && n.start >= fn.node.start && n.end <= fn.node.end;
  // Per kind: a site the callee's own lint reports as partial (LL105 under its own layout) may still be per pixel
  // for the caller's tensors, and the reverse.
  let own: Record<CrossReduction['kind'], Set<SNode>> | undefined;
  const ownSites = (kind: CrossReduction['kind']): Set<SNode> => {
    if (!own) {
      own = { perPixel: new Set<SNode>(), partial: new Set<SNode>() };
      if (callee.sameFile) {
        const alone = callee.alone();
        for (const r of alone.ratios) {
          for (const s of perPixelSites(r)) own.perPixel.add(s.call);
          for (const s of partialSites(r)) own.partial.add(s.call);
        }
        for (const c of alone.events.crossReductions) for (const s of c.sites) own[c.kind].add(s.node);
      }
    }
    return own[kind];
  };
  const out: CrossReduction[] = [];
  const taken = new Set<SNode>();
  for (const ratio of ev.ratios()) {
    for (const kind of ['perPixel', 'partial'] as const) {
      const fresh: Site[] = [];
      for (const s of kind === 'perPixel' ? perPixelSites(ratio) : partialSites(ratio)) {
        if (!inside(s.call) || taken.has(s.call) || ownSites(kind).has(s.call)) continue;
        taken.add(s.call);
        fresh.push(s);
      }
      if (!fresh.length) continue;
      out.push({
        call: fn.node,
        callee: '',
        name: overlapName(ev, ratio),
        kind,
        direct: true,
        sites: fresh.map((s) => crossSite(model, s, kind === 'partial')),
      });
    }
  }
  // Deeper calls: what the callee's callees reduce wrongly with these values, unless the callee's own lint says so.
  for (const c of events.crossReductions) {
    const sites = c.sites.filter((s) => !taken.has(s.node) && !ownSites(c.kind).has(s.node));
    if (!sites.length) continue;
    for (const s of sites) taken.add(s.node);
    out.push({ ...c, sites, direct: false });
  }
  return out;
}
