/**
 * LL106 channel-axis-layout-mismatch (W). Docs: docs/rules/LL106.md.
 * `x[:, 1:]` drops the background class only in channels-first tensors; on the layout this module uses it drops
 * an image row (or column / depth slice).
 */
import { ruleInfo, type Rule } from '../rule';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL106',
  'channel-axis-layout-mismatch',
  'warning',
  1,
  'Channel slicing assumes channels_first but the tensors are channels_last (or the reverse).',
);

const NAMES: Record<string, string> = { H: 'image row', W: 'image column', D: 'depth slice', L: 'position' };

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      // Finite differences (x[:, 1:] - x[:, :-1]) slice spatial axes on purpose.
      if (/:\s*-1\s*[\],]/.test(ctx.text(fn.body))) return;
      for (const s of ev.events.slices) {
        if (!NAMES[s.label] || !s.operand.axes || !s.operand.param) continue;
        // Only the "drop the background channel" spellings: x[:, 1:] (channels first) and x[..., 1:] (last).
        const items = s.items.join(',');
        if (items !== ':,1:' && items !== '...,1:') continue;
        const axis = s.operand.axes.indexOf(s.label);
        ctx.report(
          info,
          s.node,
          `\`${ctx.text(s.node)}\` drops ${NAMES[s.label]} 0 (axis ${axis} is ${s.label} in ${fn.layout}), not class 0${ctx.assumptions(fn, { layout: true })}.`,
          {
            explanation: `To drop the background class, slice the class axis (${s.operand.axes.indexOf('C')}) instead, e.g. x[..., 1:] for channels_last; or read the channel axis from K.image_data_format().`,
          },
        );
      }
    });
  },
};
