/**
 * LL202 double-activation (E). Docs: docs/rules/LL202.md.
 * An activation applied to a value that is already a probability, or a probability fed to a loss that applies
 * the activation itself (BCEWithLogitsLoss, CrossEntropyLoss, *_with_logits, from_logits=True). Follows the
 * activation state through local calls, including a model class whose forward ends in sigmoid/softmax.
 */
import { compiledLosses, lastLayerActivation } from '../kerasModel';
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL202',
  'double-activation',
  'error',
  2,
  'sigmoid/softmax applied twice, or before a loss that applies it itself (BCEWithLogitsLoss, from_logits=True).',
);

export const rule: Rule = {
  info,
  check(ctx) {
    // Keras: a sigmoid/softmax output layer compiled with a loss that applies the activation itself.
    for (const loss of compiledLosses(ctx.model)) {
      if (loss.fromLogits !== true) continue;
      const out = lastLayerActivation(ctx.model, loss.compile.start);
      if (!out || (out.activation !== 'sigmoid' && out.activation !== 'softmax')) continue;
      ctx.report(
        info,
        loss.node,
        `This loss applies the activation itself (from_logits=True), but the model's last layer already applies ${out.activation} (line ${ctx.model.lineOf(out.node) + 1}).`,
        {
          explanation:
            'Either drop the activation from the last layer and keep from_logits=True (numerically safer), or keep the activation and use from_logits=False.',
        },
      );
    }
    eachFunction(
      ctx,
      (_fn, ev) => {
        for (const a of ev.events.activations) {
          if (a.operand.act !== 'prob' || !a.operand.actNode) continue;
          ctx.report(
            info,
            a.call,
            `${a.sub} is applied to a value that already went through ${a.operand.actKind ?? 'an activation'} ` +
              `(\`${a.operand.actText ?? a.operand.actKind}\`${a.operand.actWhere ? ` in module ${a.operand.actWhere}` : ''}); a second sigmoid maps [0, 1] into [0.5, 0.73].`,
            {
              explanation:
                'The loss can never reach its optimum and the gradients shrink. Apply the activation exactly once.',
            },
          );
        }
        for (const c of ev.events.crossActivations) {
          const first = c.operand;
          const inner = `\`${c.callee}\`${c.where ? ` (module ${c.where})` : ''}`;
          const does = c.loss
            ? `feeds it to \`${c.what}\`, which applies the activation itself`
            : `applies ${c.what} to it`;
          ctx.report(
            info,
            c.call,
            `${inner} ${does} (line ${c.line}), but this argument already went through ` +
              `${first.actKind ?? 'an activation'} (\`${first.actText ?? first.actKind}\`${first.actWhere ? ` in module ${first.actWhere}` : ''}).`,
            {
              explanation:
                'The activation is applied twice across the call: the loss can never reach its optimum and the ' +
                'gradients shrink. Pass the callee the raw logits, or remove its activation.',
            },
          );
        }
        for (const l of ev.events.lossCalls) {
          const p = l.pred?.val;
          if (!l.takesLogits || !p || p.act !== 'prob' || !p.actNode) continue;
          ctx.report(
            info,
            l.call,
            `\`${l.name.replace(/^nn\./, '')}\` applies the activation itself, but its input already went through ` +
              `${p.actKind ?? 'an activation'} (\`${p.actText ?? p.actKind}\`${p.actWhere ? ` in module ${p.actWhere}` : ''}).`,
            {
              explanation:
                'Logit losses (BCEWithLogitsLoss, CrossEntropyLoss, *_with_logits, from_logits=True) expect raw ' +
                'scores. Feed them the logits, or use the probability form of the loss.',
            },
          );
        }
      },
      true,
    );
  },
};
