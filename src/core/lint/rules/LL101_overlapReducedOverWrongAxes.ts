/**
 * LL101 overlap-reduced-over-wrong-axes (E). Docs: docs/rules/LL101.md.
 *
 * A Dice/IoU term reduced over axes that include no spatial axis (typically `axis=-1`, the channel axis of
 * NHWC) gives one score per pixel; with smoothing every background pixel scores s/s = 1. Every reduce call
 * that feeds the ratio is reported, keyword or positional, with the layout and role the verdict assumed.
 *
 * A helper that is fine on its own but wrong for the tensors a caller passes (`soft_dice(a, b)` summing `axis=-1`,
 * called with [B, H, W, C] tensors) is reported at the call, naming the helper's lines (function summaries,
 * summaries.ts); a helper imported from another module is reported there too, because its own findings are not
 * shown in this file.
 */
import type { FunctionEval } from '../engine';
import type { CrossReduction } from '../events';
import type { FunctionInfo } from '../module';
import {
  describeReduction,
  formatAxes,
  overlapName,
  perImageAxes,
  perPixelSite,
  smoothingOf,
  spatialAxes,
  type Smoothing,
} from '../overlap';
import { ruleInfo, type Rule, type RuleContext } from '../rule';
import type { Fix } from '../types';
import type { Site } from '../values';
import { rootOf } from '../summaries';
import { child, textOf, type SyntaxTree } from '../syntax';
import { eachFunction } from './common';

export const info = ruleInfo(
  'LL101',
  'overlap-reduced-over-wrong-axes',
  'error',
  1,
  'Dice/IoU terms reduced over no spatial axis (e.g. axis=-1 on NHWC): one score per pixel, not per image.',
);

/** A number as a user would write it: 1, 0.5, 1e-6. */
function formatNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(6)));
  return v.toExponential().replace('e+', 'e');
}

/**
 * The smoothing constants of one side of the ratio: their sum when every one is known, 0 when there are none,
 * undefined when one of them has no known value.
 */
function sideSum(terms: Smoothing['num']): number | undefined {
  let sum = 0;
  for (const t of terms) {
    if (t.value === undefined) return undefined;
    sum += t.value;
  }
  return sum;
}

/** "smooth=1" for a named constant, "smoothing 1e-6" for a literal, "smoothing K.epsilon() (1e-7)" otherwise. */
function describeConstant(tree: SyntaxTree, t: Smoothing['num'][number]): string {
  const text = textOf(tree, t.node);
  if (t.node.type === 'identifier' && t.value !== undefined) return `${text}=${formatNumber(t.value)}`;
  if (t.node.type === 'integer' || t.node.type === 'float' || t.value === undefined)
    return `smoothing ${text}`;
  return `smoothing ${text} (${formatNumber(t.value)})`;
}

/** What a per-pixel map of one overlap ratio does to its average, worked out from the ratio's smoothing. */
export interface PerPixelEffect {
  /** The clause of the message after "…per-pixel Dice values; ". */
  clause: string;
  /** The longer worked example for hovers. */
  explanation: string;
}

/**
 * Works out the effect on a 4×4 image with one foreground pixel (the catalog's checked example). Writing s for
 * the numerator's and t for the denominator's smoothing: a background pixel where the prediction is 0 scores
 * s/t; the foreground pixel with an empty prediction scores s/(1+t), which is also the per-image score; the
 * per-pixel version reports the mean of the 16 pixel scores.
 */
export function perPixelEffect(tree: SyntaxTree, name: string, smoothing: Smoothing): PerPixelEffect {
  const s = smoothing.scaled ? undefined : sideSum(smoothing.num);
  const t = sideSum(smoothing.den);
  const example = 'a 4×4 image with one foreground pixel';
  if (s === undefined || t === undefined) {
    const perPixel = (15 + 0.5) / 16;
    return {
      clause:
        `with a smoothing constant s every background pixel where the prediction is ~0 scores s/s = 1, which ` +
        `pads the average: with s = 1, a mask with true ${name} 0.50 reports ~${perPixel.toFixed(2)}`,
      explanation:
        `Reducing only this axis leaves one ratio per pixel, which is then averaged. With smoothing s, every ` +
        `background pixel scores s/s = 1. Example with s = 1: ${example} and an empty prediction. The ` +
        `per-image ${name} is 0.50; this code reports ${perPixel.toFixed(2)}.`,
    };
  }
  // divide_no_nan: 0/0 scores 0 (the unsmoothed-numerator case below), never NaN.
  if (t === 0 && !smoothing.denGuarded && !smoothing.nanSafe) {
    return s === 0
      ? {
          clause: 'without smoothing every background pixel gives 0/0 = NaN, so the average is NaN',
          explanation:
            'Reducing only this axis leaves one ratio per pixel, which is then averaged. Without smoothing, ' +
            'every pixel where both masks are 0 gives 0/0 = NaN, so the per-pixel map is NaN almost everywhere.',
        }
      : {
          clause: `every background pixel where the prediction is ~0 divides ${formatNumber(s)} by ~0, so the average blows up`,
          explanation:
            'Reducing only this axis leaves one ratio per pixel, which is then averaged. The numerator is ' +
            'smoothed but the denominator is not, so every background pixel divides a constant by ~0.',
        };
  }
  if (s === 0) {
    // A perfect prediction of a one-pixel object: the object pixel scores ~1, the 15 background pixels 0.
    const object = name === 'IoU' ? 1 / (1 + t) : 2 / (2 + t);
    const perPixel = object / 16;
    return {
      clause:
        `every background pixel scores 0, which drags the average towards 0: a perfect prediction of a ` +
        `one-pixel object in a 4×4 image reports ~${perPixel.toFixed(2)} instead of ${object.toFixed(2)}`,
      explanation:
        `Reducing only this axis leaves one ratio per pixel, which is then averaged. The numerator has no ` +
        `smoothing, so every background pixel scores 0. Example: ${example}, predicted perfectly. The ` +
        `per-image ${name} is ${object.toFixed(2)}; this code reports ${perPixel.toFixed(2)}.`,
    };
  }
  const background = s / t;
  const perImage = s / (1 + t);
  const perPixel = (15 * background + perImage) / 16;
  const same = smoothing.num.length === 1 && smoothing.den.length === 1;
  const numText = describeConstant(tree, smoothing.num[0]);
  const denText = describeConstant(tree, smoothing.den[0]);
  const smooth =
    same && numText === denText
      ? numText
      : `smoothing ${formatNumber(s)} in the numerator and ${formatNumber(t)} in the denominator`;
  const scores =
    Math.abs(background - 1) < 0.005
      ? 'scores ~1, which pads the average'
      : `scores ~${formatNumber(Number(background.toPrecision(3)))}, which skews the average`;
  return {
    clause:
      `with ${smooth} every background pixel where the prediction is ~0 ${scores}: a mask with true ${name} ` +
      `${perImage.toFixed(2)} reports ~${perPixel.toFixed(2)}`,
    explanation:
      `Reducing only this axis leaves one ratio per pixel, which is then averaged. With ${smooth}, every ` +
      `background pixel scores ${formatNumber(s)}/${formatNumber(t)} = ${formatNumber(Number(background.toPrecision(3)))}. Example: ${example} and an empty ` +
      `prediction. The per-image ${name} is ${perImage.toFixed(2)}; this code reports ${perPixel.toFixed(2)}.`,
  };
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
    // Every wrong-axis site is reported even when the ratio's other terms were already fixed: the terms left
    // are still per pixel, and the fix here leads to a correct file one site at a time (LL104 stays quiet on
    // these sites).
    const sites = [...ratio.numSites, ...ratio.denSites].filter(perPixelSite);
    if (!sites.length) continue;
    const name = overlapName(ev, ratio);
    const effect = perPixelEffect(ctx.model.tree, name, smoothingOf(ev, ratio));
    for (const site of sites) {
      const verb = site.kind === 'mean' ? 'averaged' : site.kind === 'sum' ? 'summed' : 'reduced';
      ctx.report(
        info,
        site.call,
        `${name} term is ${verb} over ${describeReduction(ctx.model.tree, site)} only, so on ${fn.layout} ` +
          `tensors the mean is taken over per-pixel ${name} values; ${effect.clause}${ctx.assumptions(fn)}.`,
        { explanation: effect.explanation, fixes: axisFixes(ctx, site) },
      );
    }
  }
}

/** "[B, H, W, C]" */
function axesText(axes: readonly string[]): string {
  return `[${axes.join(', ')}]`;
}

/** Calls per directly named callee (`soft_dice(...)`), counted once per module model (linear in the file). */
const callCounts = new WeakMap<object, Map<string, number>>();

/** How many calls in the module name `name` directly (`soft_dice(...)`). */
function callCount(ctx: RuleContext, name: string): number {
  let counts = callCounts.get(ctx.model);
  if (!counts) {
    counts = new Map<string, number>();
    for (const call of ctx.model.calls) {
      const f = child(call, 'function');
      if (f && f.type === 'identifier') {
        const n = textOf(ctx.model.tree, f);
        counts.set(n, (counts.get(n) ?? 0) + 1);
      }
    }
    callCounts.set(ctx.model, counts);
  }
  return counts.get(name) ?? 0;
}

/**
 * The quick fix of a call-site finding: the helper's axis arguments rewritten to the per-image axes of the tensors
 * this call passes. Offered only where that is safe: the helper is a function of this file called from this one
 * place (another caller may pass tensors already flattened per sample), and every site has its axis written out.
 */
export function crossFix(
  ctx: RuleContext,
  c: CrossReduction,
  target: (axes: readonly string[], torchStyle: boolean) => number[] = (axes) => perImageAxes([...axes]),
): Fix[] {
  if (!c.direct || c.where || c.callee.includes('.')) return [];
  if (callCount(ctx, c.callee) !== 1) return [];
  const edits = [];
  const axesWritten = new Set<string>();
  for (const s of c.sites) {
    if (!s.axisArg || rootOf(s.axisArg) !== ctx.model.tree.root) return [];
    const all = target(s.axes, s.torchStyle);
    if (!all.length) return [];
    const text = formatAxes(all, s.torchStyle);
    axesWritten.add(text);
    edits.push(ctx.edit(s.axisArg, text));
  }
  const lineList = [...new Set(c.sites.map((s) => s.line))];
  const lines = lineList.join(', ');
  return [
    {
      title: `Reduce over ${[...axesWritten].join(' / ')} in ${c.callee} (line${lineList.length > 1 ? 's' : ''} ${lines}; per image)`,
      edits,
      preferred: true,
    },
  ];
}

function checkCalls(ctx: RuleContext, fn: FunctionInfo, ev: FunctionEval): void {
  for (const c of ev.events.crossReductions) {
    if (c.kind !== 'perPixel') continue;
    const first = c.sites[0];
    const lines = [...new Set(c.sites.map((s) => s.line))];
    const where = c.where ? ` in module ${c.where}` : '';
    const quoted = c.sites.filter((s) => s.text).map((s) => `\`${s.text}\``);
    const shown = quoted.length ? `: ${quoted.slice(0, 3).join(', ')}${quoted.length > 3 ? ', …' : ''}` : '';
    const verb = c.sites.length > 1 ? 'reduce' : 'reduces';
    ctx.report(
      info,
      c.call,
      `\`${c.callee}\`${where} computes ${c.name} with ${first.reduction} only (line${lines.length > 1 ? 's' : ''} ` +
        `${lines.join(', ')}${shown}); the tensors passed here are ${axesText(first.axes)}, so its terms ${verb} no ` +
        `spatial axis and the mean is taken over per-pixel ${c.name} values. Reduce over the spatial axes in ` +
        `\`${c.callee.split(' → ').pop()}\` (or flatten each sample before the call)${ctx.assumptions(fn)}.`,
      {
        explanation:
          `The helper is evaluated with the values this call passes. Its reductions leave one ${c.name} ratio per ` +
          `pixel, which is then averaged: with smoothing s every background pixel scores s/s = 1, so a 4×4 image ` +
          `with one missed foreground pixel reports ~0.97 instead of the per-image ${c.name} 0.50 (with s = 1). ` +
          `The helper may be right for other callers (already flattened [B, N] tensors); for these it is not.`,
        fixes: crossFix(ctx, c),
      },
    );
  }
}

export const rule: Rule = {
  info,
  check(ctx) {
    eachFunction(ctx, (fn, ev) => {
      check(ctx, fn, ev);
      checkCalls(ctx, fn, ev);
    });
  },
};
