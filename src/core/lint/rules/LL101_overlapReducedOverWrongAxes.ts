/**
 * LL101 overlap-reduced-over-wrong-axes (E). Docs: docs/rules/LL101.md.
 *
 * A Dice/IoU term reduced over axes that include no spatial axis (typically `axis=-1`, the channel axis of
 * NHWC) gives one score per pixel; with smoothing every background pixel scores s/s = 1. Every reduce call
 * that feeds the ratio is reported, keyword or positional, with the layout and role the verdict assumed.
 */
import type { FunctionEval } from '../engine';
import type { FunctionInfo } from '../module';
import {
  describeReduction,
  formatAxes,
  inconsistentSites,
  perImageAxes,
  smoothingOf,
  smoothValue,
  spatialAxes,
  verdict,
} from '../overlap';
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import type { Fix } from '../types';
import type { Site } from '../values';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL101',
  'overlap-reduced-over-wrong-axes',
  'error',
  1,
  'Dice/IoU terms reduced over no spatial axis (e.g. axis=-1 on NHWC): one score per pixel, not per image.',
);

/** Numeric illustration: a 4×4 image with one foreground pixel and an empty prediction. */
export function perPixelIllustration(s: number | undefined): string {
  const smooth = s ?? 1;
  if (smooth <= 0) {
    return (
      'Without smoothing, every pixel where both masks are 0 gives 0/0 = NaN, so the per-pixel map is NaN ' +
      'almost everywhere.'
    );
  }
  const perImage = smooth / (1 + smooth);
  const perPixel = (15 + smooth / (1 + smooth)) / 16;
  return (
    `Reducing only this axis leaves one ratio per pixel, which is then averaged. With smoothing s = ${smooth}` +
    `${s === undefined ? ' (assumed)' : ''}, every background pixel scores s/s = 1. Example: a 4×4 image with one ` +
    `foreground pixel and an empty prediction. The per-image score is ${perImage.toFixed(2)}; this code reports ` +
    `${perPixel.toFixed(2)}.`
  );
}

export function axisFixes(ctx: RuleContext, site: Site): Fix[] {
  if (!site.axisArg || !site.operandAxes) return [];
  const all = perImageAxes(site.operandAxes);
  const spatial = spatialAxes(site.operandAxes);
  const fixes: Fix[] = [];
  if (all.length) {
    fixes.push({
      title: `Reduce over ${formatAxes(all, site.torchStyle)} (per image, pooled over channels)`,
      edits: [ctx.edit(site.axisArg, formatAxes(all, site.torchStyle))],
      preferred: true,
    });
  }
  if (spatial.length && spatial.length !== all.length) {
    fixes.push({
      title: `Reduce over ${formatAxes(spatial, site.torchStyle)} (per image and per class)`,
      edits: [ctx.edit(site.axisArg, formatAxes(spatial, site.torchStyle))],
    });
  }
  return fixes;
}

function check(ctx: RuleContext, fn: FunctionInfo, ev: FunctionEval): void {
  for (const ratio of ev.ratios()) {
    if (inconsistentSites(ratio)) continue;
    const smooth = smoothValue(smoothingOf(ev, ratio));
    for (const site of [...ratio.numSites, ...ratio.denSites]) {
      if (!site.axisArg || site.chain.length > 1) continue;
      const v = verdict(site);
      if (!v || v.spatial.size === 0 || v.reducedSpatial.size > 0) continue;
      const verb = site.kind === 'mean' ? 'averaged' : site.kind === 'sum' ? 'summed' : 'reduced';
      ctx.report(
        info,
        site.call,
        `Dice/IoU term is ${verb} over ${describeReduction(ctx.model.tree, site)} only; for ${fn.layout} tensors ` +
          `this is one score per pixel, not per image${ctx.assumptions(fn)}.`,
        { explanation: perPixelIllustration(smooth), fixes: axisFixes(ctx, site) },
      );
    }
  }
}

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => check(ctx, fn, ev));
  },
};
