/**
 * LL509 prediction-unused-in-term (E). Docs: docs/rules/LL509.md.
 * A loss call whose two tensor arguments are the same variable (`binary_crossentropy(y_true, y_true)`), or an
 * additive term of a loss's return value that depends on the target but never on the prediction.
 */
import { additiveTerms } from '../overlap';
import { ruleInfo, type Rule } from '../rule';
import { SRC_PRED, SRC_TRUE } from '../values';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL509',
  'prediction-unused-in-term',
  'error',
  5,
  'A loss term never uses the prediction (e.g. binary_crossentropy(y_true, y_true)): its gradient is zero.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    const tree = ctx.model.tree;
    eachFunction(ctx, (fn, ev) => {
      const flagged = new Set<number>();
      const flaggedNodes: Array<{ start: number; end: number }> = [];
      for (const l of ev.events.lossCalls) {
        if (!l.pred || !l.truth) continue;
        if (ctx.text(l.pred.node) !== ctx.text(l.truth.node)) continue;
        flagged.add(l.call.id);
        flaggedNodes.push(l.call);
        ctx.report(
          info,
          l.call,
          `Both tensor arguments of this loss are \`${ctx.text(l.pred.node)}\`: the term is constant and its gradient is zero.`,
          {
            explanation:
              'The combined loss silently reduces to its other terms. Pass the prediction and the target.',
          },
        );
      }
      if (fn.role !== 'loss' || !ev.predParam) return;
      for (const r of ev.returns) {
        const terms = additiveTerms(tree, r);
        if (terms.length < 2) continue;
        for (const t of terms) {
          const v = ev.evalNode(t.node);
          if (v.isConst || v.src & SRC_PRED || !(v.src & SRC_TRUE)) continue;
          const def = ev.definition(t.node);
          if (flagged.has(def.id) || flagged.has(t.node.id)) continue;
          // `bce = K.mean(K.binary_crossentropy(y_true, y_true))`: the call inside was reported already (one finding
          // per mistake, issue 15 §8).
          if (flaggedNodes.some((c) => c.start >= def.start && c.end <= def.end)) continue;
          ctx.report(
            info,
            t.node,
            `This term of the loss depends on the target but never on the prediction \`${ev.predParam}\`, so its gradient is zero${ctx.assumptions(fn, { role: true })}.`,
            {
              explanation: 'A typo made the term constant; the combined loss reduces to the other terms.',
            },
          );
        }
      }
    });
  },
};
