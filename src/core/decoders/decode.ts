/**
 * decode(): the one entry point of every decoder. It validates, runs the decoder per (image, class), builds
 * multilabel masks or multiclass labels, and evaluates the exact expected Dice/IoU of what it returns.
 */
import { CancelledError, OptionError } from '../errors';
import { ScoreWorkspace, expectedScoreOf } from './expected';
import { normalizeInput } from './input';
import { resolveByProbability, resolveOverlaps } from './multiclass';
import { Ranker, gatherSorted } from './order';
import { RankWorkspace, selectK } from './rankSelect';
import { RmaSelector } from './rmaSelect';
import { DEFAULT_EXACT_COST_LIMIT, decoderInfo } from './registry';
import {
  ClassDecode,
  DecodeOptions,
  DecodeResult,
  DecoderName,
  EmptyConvention,
  OutputMode,
  ProbInput,
  SolverName,
  UnassignedPolicy,
} from './types';

interface Resolved {
  decoder: DecoderName;
  solver: SolverName | undefined;
  outputMode: OutputMode;
  threshold: number;
  k: number;
  smooth: number;
  pruningProb: number;
  eps: number;
  unassignedPolicy: UnassignedPolicy;
  voidIndex: number;
  emptyConvention: EmptyConvention;
  evaluate: boolean;
  costLimit: number;
}

const SOLVERS: readonly SolverName[] = ['exact', 'rma', 'ba', 'trna', 'ba+trna'];

function resolveOptions(o: DecodeOptions, notes: string[]): Resolved {
  const info = decoderInfo(o.decoder);
  if (!info) {
    throw new OptionError(
      'decoder',
      o.decoder,
      'threshold | argmax | topk | tunedThreshold | rankdice | rankiou',
    );
  }
  const d = info.defaults;
  const rank = o.decoder === 'rankdice' || o.decoder === 'rankiou';
  const requested = o.solver === 'auto' ? undefined : o.solver;
  if (requested !== undefined) {
    if (!SOLVERS.includes(requested)) throw new OptionError('solver', requested, SOLVERS.join(' | '));
    if (!rank) notes.push(`solver '${requested}' ignored: ${o.decoder} has no solvers`);
    else if (!info.solvers.includes(requested)) {
      throw new OptionError(
        'solver',
        requested,
        `${info.solvers.filter((s) => s !== 'auto').join(' | ')} for ${o.decoder}`,
      );
    }
  }
  const num = (
    name: string,
    v: number | undefined,
    dflt: number,
    ok: (x: number) => boolean,
    expected: string,
  ) => {
    const x = v ?? dflt;
    if (typeof x !== 'number' || !ok(x)) throw new OptionError(name, v, expected);
    return x;
  };
  for (const req of info.requires) {
    if (o[req] === undefined) throw new OptionError(req, undefined, `a value (required by ${o.decoder})`);
  }
  const outputMode = o.outputMode ?? d.outputMode ?? 'multilabel';
  if (outputMode !== 'multilabel' && outputMode !== 'multiclass') {
    throw new OptionError('outputMode', outputMode, "'multilabel' | 'multiclass'");
  }
  const unassignedPolicy = o.unassignedPolicy ?? 'max_score';
  if (unassignedPolicy !== 'max_score' && unassignedPolicy !== 'void') {
    throw new OptionError('unassignedPolicy', unassignedPolicy, "'max_score' | 'void'");
  }
  const emptyConvention = o.emptyConvention ?? 'conv0';
  if (emptyConvention !== 'conv0' && emptyConvention !== 'conv1') {
    throw new OptionError('emptyConvention', emptyConvention, "'conv0' | 'conv1'");
  }
  const prob = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
  return {
    decoder: o.decoder,
    solver: rank ? requested : undefined,
    outputMode,
    threshold: num('threshold', o.threshold, d.threshold ?? 0.5, prob, 'a number in [0, 1]'),
    k: num('k', o.k, 0, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer'),
    smooth: num('smooth', o.smooth, 0, (x) => Number.isFinite(x) && x >= 0, 'a finite number ≥ 0'),
    pruningProb: num(
      'pruningProb',
      o.pruningProb ?? undefined,
      0,
      prob,
      'a number in [0, 1], or 0/null for off',
    ),
    eps: num('eps', o.eps, 1e-4, (x) => x > 0 && x < 1, 'a number in (0, 1)'),
    unassignedPolicy,
    voidIndex: num(
      'voidIndex',
      o.voidIndex,
      255,
      (x) => Number.isInteger(x) && Math.abs(x) < 2 ** 31,
      'an int32',
    ),
    emptyConvention,
    evaluate: o.evaluate ?? true,
    costLimit: num(
      'exactCostLimit',
      o.exactCostLimit,
      DEFAULT_EXACT_COST_LIMIT,
      (x) => x >= 0,
      'a number ≥ 0',
    ),
  };
}

/**
 * Decodes a probability map. `input.shape` is [H, W], [C, H, W] or [B, C, ...spatial]; values must be
 * probabilities (or use `transform`). Throws InputError on bad data, OptionError on bad options and
 * CancelledError when `shouldCancel` returns true (checked between images and classes).
 */
export function decode(input: ProbInput, options: DecodeOptions): DecodeResult {
  const notes: string[] = [];
  const o = resolveOptions(options, notes);
  const x = normalizeInput(input, options.transform ?? 'none');
  const { data, batch: B, classes: C, pixels: N } = x;
  const cancel = options.shouldCancel;
  const checkCancel = () => {
    if (cancel?.()) throw new CancelledError();
  };

  const masks = new Uint8Array(B * C * N);
  const stats: ClassDecode[][] = [];
  const active: boolean[][] = [];
  const ranker = new Ranker();
  const rank = o.decoder === 'rankdice' || o.decoder === 'rankiou';
  const sorted = new Float64Array(rank ? N : 0);
  const ws = new RankWorkspace();
  const rmaSelector = new RmaSelector();
  const usedSolvers = new Set<SolverName>();
  const fallbacks = new Set<string>();
  let prunedCount = 0;
  let zeroClasses = 0;

  for (let b = 0; b < B; b++) {
    const row: ClassDecode[] = [];
    const act: boolean[] = [];
    for (let c = 0; c < C; c++) {
      checkCancel();
      const off = (b * C + c) * N;
      let entry: ClassDecode = {
        k: 0,
        cutoffProb: null,
        expectedDice: null,
        expectedIoU: null,
        pruned: false,
        solver: null,
      };
      let isActive = true;
      if (o.decoder === 'threshold' || o.decoder === 'tunedThreshold') {
        selectAbove(data, off, N, o.threshold, masks);
      } else if (o.decoder === 'argmax') {
        // Filled per image below, once every class is known.
      } else if (o.decoder === 'topk') {
        const order = ranker.rank(data, off, N);
        const k = Math.min(o.k, N);
        for (let i = 0; i < k; i++) masks[off + order[i]] = 1;
      } else if (o.solver === 'rma' && data instanceof Float32Array) {
        // Explicit RMA on float32 data: bucket selection ranks only the pixels that can be selected.
        const metric = o.decoder === 'rankdice' ? 'dice' : 'iou';
        const sel = rmaSelector.select(data, off, N, metric, o.smooth);
        const pruned = sel.maxP > 0 && o.pruningProb > 0 && sel.maxP <= o.pruningProb;
        if (sel.maxP <= 0) zeroClasses++;
        else if (pruned) prunedCount++;
        else {
          for (let i = 0; i < sel.k; i++) masks[off + sel.top[i]] = 1;
          usedSolvers.add('rma');
        }
        entry = { ...entry, pruned, solver: sel.maxP > 0 && !pruned ? 'rma' : null };
        isActive = !pruned && sel.maxP > 0;
      } else {
        const order = ranker.rank(data, off, N);
        gatherSorted(data, off, order, sorted);
        const sel = selectK(
          sorted,
          N,
          {
            metric: o.decoder === 'rankdice' ? 'dice' : 'iou',
            solver: o.solver,
            smooth: o.smooth,
            pruningProb: o.pruningProb,
            eps: o.eps,
            convention: o.emptyConvention,
            costLimit: o.costLimit,
          },
          ws,
        );
        for (let i = 0; i < sel.k; i++) masks[off + order[i]] = 1;
        entry = { ...entry, pruned: sel.pruned, solver: sel.solver };
        if (sel.solver) usedSolvers.add(sel.solver);
        if (sel.fallback) fallbacks.add(sel.fallback);
        if (sel.pruned) prunedCount++;
        if (sel.k === 0 && !sel.pruned && sorted[0] <= 0) zeroClasses++;
        isActive = !sel.pruned && sorted[0] > 0;
      }
      row.push(entry);
      act.push(isActive);
    }
    if (o.decoder === 'argmax') argmaxImage(data, b, C, N, masks);
    stats.push(row);
    active.push(act);
  }

  let labels: Int32Array | null = null;
  if (o.outputMode === 'multiclass') {
    labels = new Int32Array(B * N);
    for (let b = 0; b < B; b++) {
      const off = b * C * N;
      if (C === 1) {
        // One class: the label map is the binary foreground decision (the package returns all zeros here).
        for (let j = 0; j < N; j++) labels[b * N + j] = masks[off + j];
      } else if (o.decoder === 'argmax') {
        for (let j = 0; j < N; j++) {
          let lab = 0;
          for (let c = 0; c < C; c++) if (masks[off + c * N + j]) lab = c;
          labels[b * N + j] = lab;
        }
      } else if (rank) {
        resolveOverlaps(
          {
            probs: data,
            offset: off,
            classes: C,
            pixels: N,
            masks,
            masksOffset: off,
            active: active[b],
            metric: o.decoder === 'rankdice' ? 'dice' : 'iou',
            smooth: o.smooth,
            policy: o.unassignedPolicy,
            voidIndex: o.voidIndex,
          },
          labels,
          b * N,
        );
      } else {
        resolveByProbability(data, off, C, N, masks, off, o.unassignedPolicy, o.voidIndex, labels, b * N);
      }
    }
    if (C === 1) notes.push('C = 1 in multiclass mode: label 1 = selected (foreground), 0 = background');
    if (C > 1 && rank && (usedSolvers.has('exact') || usedSolvers.has('ba') || usedSolvers.has('trna'))) {
      notes.push(
        'multiclass labels resolve the per-class sets with the package RMA rule; the label map is not the exact optimum over label maps',
      );
    }
  }

  // Per-class statistics of what is actually returned.
  const scoreWs = new ScoreWorkspace();
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      checkCancel();
      const off = (b * C + c) * N;
      const lab = labels;
      const inMask =
        lab === null || C === 1 ? (j: number) => masks[off + j] !== 0 : (j: number) => lab[b * N + j] === c;
      let k = 0;
      let cutoff = Infinity;
      for (let j = 0; j < N; j++) {
        if (inMask(j)) {
          k++;
          const p = data[off + j];
          if (p < cutoff) cutoff = p;
        }
      }
      const s = stats[b][c];
      s.k = k;
      s.cutoffProb = k > 0 ? cutoff : null;
      if (o.evaluate) {
        const e = expectedScoreOf(data, off, N, inMask, o.smooth, o.emptyConvention, scoreWs);
        s.expectedDice = e.dice;
        s.expectedIoU = e.iou;
      }
    }
  }

  if (prunedCount > 0) {
    notes.push(
      `${prunedCount} image/class pair(s) pruned to an empty mask (max p vs pruningProb ${o.pruningProb})`,
    );
  }
  if (zeroClasses > 0) notes.push(`${zeroClasses} image/class pair(s) are all zero: empty mask`);
  for (const f of fallbacks) notes.push(f);
  const solver = !rank
    ? null
    : usedSolvers.size === 0
      ? (o.solver ?? null)
      : usedSolvers.size === 1
        ? [...usedSolvers][0]
        : 'mixed';
  return {
    decoder: o.decoder,
    solver,
    outputMode: o.outputMode,
    shape: x.shape,
    mask:
      labels === null
        ? { kind: 'multilabel', data: masks, shape: x.shape }
        : { kind: 'multiclass', data: labels, shape: [B, ...x.spatial] },
    images: stats.map((classes) => ({ classes })),
    meanExpectedDice: o.evaluate ? mean(stats, (c) => c.expectedDice) : null,
    meanExpectedIoU: o.evaluate ? mean(stats, (c) => c.expectedIoU) : null,
    notes,
    smooth: o.smooth,
    emptyConvention: o.emptyConvention,
  };
}

function selectAbove(
  data: Float32Array | Float64Array,
  off: number,
  n: number,
  t: number,
  out: Uint8Array,
): void {
  for (let j = 0; j < n; j++) if (data[off + j] > t) out[off + j] = 1;
}

/** One-hot argmax over classes (first maximum wins); with one class, p > 0.5 as the package's accuracy mode. */
function argmaxImage(
  data: Float32Array | Float64Array,
  b: number,
  C: number,
  N: number,
  masks: Uint8Array,
): void {
  const base = b * C * N;
  if (C === 1) {
    selectAbove(data, base, N, 0.5, masks);
    return;
  }
  for (let j = 0; j < N; j++) {
    let best = -1;
    let arg = 0;
    for (let c = 0; c < C; c++) {
      const p = data[base + c * N + j];
      if (p > best) {
        best = p;
        arg = c;
      }
    }
    masks[base + arg * N + j] = 1;
  }
}

function mean(stats: ClassDecode[][], pick: (c: ClassDecode) => number | null): number {
  let s = 0;
  let n = 0;
  for (const row of stats) {
    for (const c of row) {
      s += pick(c) ?? 0;
      n++;
    }
  }
  return s / n;
}
