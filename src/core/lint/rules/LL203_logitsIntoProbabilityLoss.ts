/**
 * LL203 logits-into-probability-loss (W). Docs: docs/rules/LL203.md.
 * A prediction that is raw logits (a parameter named logit(s), with no sigmoid/softmax on the path) reaches a
 * Dice ratio, a log, or a probability loss without from_logits.
 */
import { compiledLosses, lastLayerActivation } from '../kerasModel';
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL203',
  'logits-into-probability-loss',
  'warning',
  2,
  'A Dice/log-based loss expects probabilities, but y_pred looks like raw logits.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    // Keras: a linear output layer compiled with a crossentropy that expects probabilities.
    for (const loss of compiledLosses(ctx.model)) {
      if (loss.fromLogits !== false) continue;
      const out = lastLayerActivation(ctx.model, loss.compile.start);
      if (!out || out.activation !== 'linear') continue;
      ctx.report(
        info,
        loss.node,
        `This crossentropy expects probabilities (from_logits=False), but the model's last layer (line ${ctx.model.lineOf(out.node) + 1}) has no activation: it outputs raw logits.`,
        {
          explanation:
            'Keras clips the logits into [eps, 1 - eps] and trains on nonsense. Pass from_logits=True, or add sigmoid/softmax to the last layer.',
        },
      );
    }
    eachFunction(ctx, (fn, ev) => {
      const note = fn.params.some((p) => /nonlin|activation|^act$/i.test(p.name))
        ? ' (assumes the caller passes raw logits; the activation argument is not applied here)'
        : '';
      const name = ev.predParam ?? 'logits';
      for (const ratio of ev.ratios()) {
        const site = ratio.numSites.find((s) => s.operand.act === 'logit');
        if (!site) continue;
        ctx.report(
          info,
          site.call,
          `\`${name}\` looks like raw logits and reaches this Dice/IoU ratio with no sigmoid or softmax on the path${note}.`,
          {
            explanation:
              'Dice on logits is unbounded and can go negative. Apply sigmoid/softmax inside the loss.',
          },
        );
        break;
      }
      for (const l of ev.events.logs) {
        // `+ eps` does not silence it: an epsilon keeps probabilities off 0, logits stay negative.
        if (l.arg.act !== 'logit' || l.arg.clipped) continue;
        ctx.report(
          info,
          l.call,
          `log() of \`${name}\`, which looks like raw logits: log of a negative logit is NaN${note}.`,
          {
            explanation: 'Use log_sigmoid/log_softmax, or a *_with_logits loss.',
          },
        );
      }
      for (const c of ev.events.lossCalls) {
        if (c.takesLogits || c.pred?.val.act !== 'logit') continue;
        ctx.report(
          info,
          c.call,
          `\`${c.name}\` expects probabilities, but \`${ctx.text(c.pred.node)}\` looks like raw logits; pass from_logits=True or use the *_with_logits form${note}.`,
          {
            explanation:
              'With from_logits=False Keras clips the logits into [eps, 1 - eps] and trains on nonsense.',
          },
        );
      }
    });
  },
};
