/**
 * Per-(image, class) statistics of what decode() returns — selected count, cutoff probability, exact expected
 * Dice/IoU — read from the returned masks or label map, so they describe the output and not an intermediate.
 */
import { MaskRef, ScoreWorkspace, expectedScoreOf } from './expected';
import type { ClassDecode, EmptyConvention } from './primitives';

export interface StatisticsInput {
  data: Float32Array | Float64Array;
  batch: number;
  classes: number;
  pixels: number;
  /** [B, C, N] 0/1 masks (read when labels is null, and always for C = 1). */
  masks: Uint8Array;
  /** [B, N] labels in multiclass mode; class c's mask is label === c. */
  labels: Int32Array | null;
  checkCancel(): void;
}

export interface StatisticsOptions {
  /** Compute expectedDice / expectedIoU (otherwise they stay null). */
  evaluate: boolean;
  smooth: number;
  emptyConvention: EmptyConvention;
}

/** Class c of image b's mask: the 0/1 masks (multilabel, and C = 1), else the label map's pixels labelled c. */
function maskOf(x: StatisticsInput, b: number, c: number): MaskRef {
  const { classes: C, pixels: N, masks, labels } = x;
  return labels === null || C === 1
    ? { mask: masks, maskOffset: (b * C + c) * N, label: -1 }
    : { mask: labels, maskOffset: b * N, label: c };
}

/** Fills k and cutoffProb of every entry of `stats` (the selection's part of the statistics). */
export function fillCounts(x: StatisticsInput, stats: ClassDecode[][]): void {
  const { data, batch: B, classes: C, pixels: N } = x;
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      x.checkCancel();
      const off = (b * C + c) * N;
      const { mask, maskOffset, label } = maskOf(x, b, c);
      let k = 0;
      let cutoff = Infinity;
      for (let j = 0; j < N; j++) {
        const v = mask[maskOffset + j];
        if (label < 0 ? v !== 0 : v === label) {
          k++;
          const p = data[off + j];
          if (p < cutoff) cutoff = p;
        }
      }
      const s = stats[b][c];
      s.k = k;
      s.cutoffProb = k > 0 ? cutoff : null;
    }
  }
}

/**
 * One workspace for every call on maps up to SHARED_MAX_PIXELS: its buffers are reused, so a dataset run does not
 * allocate (and collect) a PMF's worth of arrays per decode; larger maps get their own, so a long-lived worker does
 * not keep a huge map's buffers. Safe because evaluation is synchronous.
 */
const SHARED_WORKSPACE = new ScoreWorkspace();
const SHARED_MAX_PIXELS = 1 << 20;

/**
 * Fills expectedDice / expectedIoU of every entry of `stats` (exact, ./expected), and k and cutoffProb as
 * fillCounts does (the evaluation's pass over the pixels finds them too), so decode() runs one or the other.
 */
export function fillExpected(x: StatisticsInput, stats: ClassDecode[][], o: StatisticsOptions): void {
  const { data, batch: B, classes: C, pixels: N } = x;
  const ws = N <= SHARED_MAX_PIXELS ? SHARED_WORKSPACE : new ScoreWorkspace();
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      x.checkCancel();
      const e = expectedScoreOf(data, (b * C + c) * N, N, maskOf(x, b, c), {
        smooth: o.smooth,
        emptyConvention: o.emptyConvention,
        workspace: ws,
      });
      const s = stats[b][c];
      s.expectedDice = e.dice;
      s.expectedIoU = e.iou;
      s.k = ws.selected;
      s.cutoffProb = ws.selected > 0 ? ws.cutoff : null;
    }
  }
}

/** Mean of `pick` over every (image, class) pair (null counts as 0). */
export function meanOver(stats: ClassDecode[][], pick: (c: ClassDecode) => number | null): number {
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
