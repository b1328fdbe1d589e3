/**
 * decode(): the one entry point of every decoder, in three steps —
 *  1. selection: the decoder's registry row (./registry) selects per-class 0/1 masks (./selectors);
 *  2. label map: in multiclass mode the masks become one label per pixel by the row's label rule (./labelMap);
 *  3. statistics: k, cutoff and the exact expected Dice/IoU of what is returned (./statistics).
 * Options are validated and defaulted from the row first (./options).
 */
import { CancelledError, OptionError } from '../errors';
import { normalizeInput } from './input';
import { buildLabelMap } from './labelMap';
import { resolveOptions } from './options';
import type { ClassDecode, DecodeSettings, SolverName } from './primitives';
import { DECODER_NAMES, decoderInfo } from './registry';
import type { DecoderRow, Selection } from './row';
import { fillCounts, fillExpected, meanOver } from './statistics';
import type { DecodeOptions, DecodeResult, ProbInput } from './types';

/**
 * Decodes a probability map. `input.shape` is [H, W], [C, H, W] or [B, C, ...spatial]; values must be
 * probabilities (or use `transform`). Throws InputError on bad data, OptionError on bad options and
 * CancelledError when `shouldCancel` returns true (checked between images and classes).
 */
export function decode(input: ProbInput, options: DecodeOptions): DecodeResult {
  const row = decoderInfo(options.decoder);
  if (!row) throw new OptionError('decoder', options.decoder, DECODER_NAMES.join(' | '));
  return decodeWithRow(row, input, options);
}

/**
 * decode() for the decoder of one registry row, given the row itself: what decode() runs once it has looked the
 * row up by name. Tests use it to run a row that is not (yet) in the registry.
 */
export function decodeWithRow<N extends string>(
  row: DecoderRow<N>,
  input: ProbInput,
  options: DecodeSettings,
): DecodeResult<N> {
  const t0 = now();
  const notes: string[] = [];
  const o = resolveOptions(row, options, notes);
  const x = normalizeInput(input, options.transform ?? 'none');
  const { data, batch: B, classes: C, pixels: N } = x;
  const cancel = options.shouldCancel;
  const checkCancel = () => {
    if (cancel?.()) throw new CancelledError();
  };

  // 1. Selection.
  const masks = new Uint8Array(B * C * N);
  const selector = row.selector;
  const selection = selector.select({ data, batch: B, classes: C, pixels: N, masks, checkCancel }, o);
  const usedSolvers = solversOf(selection);

  // 2. Label map (multiclass mode).
  let labels: Int32Array | null = null;
  if (o.outputMode === 'multiclass') {
    labels = buildLabelMap(
      { data, batch: B, classes: C, pixels: N, masks, selection: selection.classes },
      selector.labels,
      o,
    );
    if (C === 1) notes.push('C = 1 in multiclass mode: label 1 = selected (foreground), 0 = background');
    const ranked = selector.labels === 'dice' || selector.labels === 'iou';
    if (C > 1 && ranked && (usedSolvers.has('exact') || usedSolvers.has('ba') || usedSolvers.has('trna'))) {
      notes.push(
        'multiclass labels resolve the per-class sets with the package RMA rule; the label map is not the exact optimum over label maps',
      );
    }
  }

  // 3. Statistics of what is returned.
  const stats: ClassDecode[][] = selection.classes.map((row) =>
    row.map((s) => ({
      k: 0,
      cutoffProb: null,
      expectedDice: null,
      expectedIoU: null,
      pruned: s.pruned,
      solver: s.solver,
    })),
  );
  const sx = { data, batch: B, classes: C, pixels: N, masks, labels, checkCancel };
  // The evaluation finds k and the cutoff in its own pass over the pixels; without it they take one of their own.
  if (!o.evaluate) fillCounts(sx, stats);
  const t1 = now();
  if (o.evaluate) fillExpected(sx, stats, o);
  options.onTimings?.({ selectMs: t1 - t0, evaluateMs: o.evaluate ? now() - t1 : null });

  if (selection.pruned > 0) {
    notes.push(
      `${selection.pruned} image/class pair(s) pruned to an empty mask (max p vs pruningProb ${o.pruningProb})`,
    );
  }
  if (selection.allZero > 0) notes.push(`${selection.allZero} image/class pair(s) are all zero: empty mask`);
  for (const f of new Set(selection.fallbacks)) notes.push(f);
  const solver = !o.ranking
    ? null
    : usedSolvers.size === 0
      ? (o.solver ?? null)
      : usedSolvers.size === 1
        ? [...usedSolvers][0]
        : 'mixed';
  return {
    decoder: row.name,
    solver,
    outputMode: o.outputMode,
    shape: x.shape,
    mask:
      labels === null
        ? { kind: 'multilabel', data: masks, shape: x.shape }
        : { kind: 'multiclass', data: labels, shape: [B, ...x.spatial] },
    images: stats.map((classes) => ({ classes })),
    meanExpectedDice: o.evaluate ? meanOver(stats, (c) => c.expectedDice) : null,
    meanExpectedIoU: o.evaluate ? meanOver(stats, (c) => c.expectedIoU) : null,
    notes,
    smooth: o.smooth,
    emptyConvention: o.emptyConvention,
  };
}

/** The solvers that produced at least one class's set, in order of first use. */
function solversOf(s: Selection): Set<SolverName> {
  const used = new Set<SolverName>();
  for (const row of s.classes) for (const c of row) if (c.solver) used.add(c.solver);
  return used;
}

/** Milliseconds from the platform's monotonic clock (Node and browsers both have `performance`). */
function now(): number {
  return performance.now();
}
