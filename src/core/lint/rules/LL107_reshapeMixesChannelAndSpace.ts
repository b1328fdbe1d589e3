/**
 * LL107 reshape-mixes-channel-and-space (E). Docs: docs/rules/LL107.md.
 * view/reshape(-1, C) applied to a channels-first (B, C, H, W) value with no permute before it: each row mixes
 * the class scores of different pixels.
 */
import { ruleInfo, type Rule } from '../rule';
import { child } from '../syntax';
import type { TextEdit } from '../types';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL107',
  'reshape-mixes-channel-and-space',
  'error',
  1,
  'view(-1, C) on (B,C,H,W) without permute(0,2,3,1) mixes class scores of different pixels.',
);

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      for (const r of ev.events.reshapeMix) {
        if (r.classFirst) {
          const perm = r.framework5d ? '(0, 4, 1, 2, 3)' : '(0, 3, 1, 2)';
          const f = child(r.call, 'function');
          const attr = f && f.type === 'attribute' ? child(f, 'attribute') : undefined;
          const edits: TextEdit[] = [ctx.insert(r.operandNode.end, `.permute${perm}`)];
          if (attr && ctx.text(attr) === 'view') edits.push(ctx.edit(attr, 'reshape'));
          ctx.report(
            info,
            r.call,
            `\`${ctx.snippet(r.call, 50)}\` reshapes a channels-last tensor to (B, C, -1) without moving the class axis first: each "class" row mixes the classes of different pixels${ctx.assumptions(fn, { layout: true })}.`,
            {
              explanation:
                'A reshape keeps memory order. one_hot(labels, C) is (B, H, W, C): its consecutive values are the C classes of one pixel. Permute to (B, C, H, W) first, then flatten the pixels.',
              fixes: attr
                ? [{ title: `Insert .permute${perm} before the reshape`, edits, preferred: true }]
                : [],
            },
          );
          continue;
        }
        const perm = r.framework5d ? '(0, 2, 3, 4, 1)' : '(0, 2, 3, 1)';
        const edits: TextEdit[] = [ctx.insert(r.operandNode.end, `.permute${perm}`)];
        const f = child(r.call, 'function');
        const attr = f && f.type === 'attribute' ? child(f, 'attribute') : undefined;
        // view() fails on the non-contiguous result of permute(); reshape() copies when needed.
        if (attr && ctx.text(attr) === 'view') edits.push(ctx.edit(attr, 'reshape'));
        ctx.report(
          info,
          r.call,
          `\`${ctx.snippet(r.call, 50)}\` reshapes a channels-first tensor to (-1, C) without moving the class axis last: each row mixes class scores of different pixels${ctx.assumptions(fn, { layout: true })}.`,
          {
            explanation:
              'In NCHW memory order a run of C consecutive values belongs to one class and several pixels. Permute to (B, H, W, C) first, or use x.flatten(2) to keep the class axis.',
            fixes: attr
              ? [{ title: `Insert .permute${perm} before the reshape`, edits, preferred: true }]
              : [],
          },
        );
      }
    });
  },
};
