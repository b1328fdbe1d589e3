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

/** Fills k, cutoffProb and (when evaluating) expectedDice / expectedIoU of every entry of `stats`. */
export function fillStatistics(x: StatisticsInput, stats: ClassDecode[][], o: StatisticsOptions): void {
  const { data, batch: B, classes: C, pixels: N, masks, labels } = x;
  const ws = new ScoreWorkspace();
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      x.checkCancel();
      const off = (b * C + c) * N;
      const inMask =
        labels === null || C === 1
          ? (j: number) => masks[off + j] !== 0
          : (j: number) => labels[b * N + j] === c;
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
        const sel: MaskRef =
          labels === null || C === 1
            ? { mask: masks, maskOffset: off, label: -1 }
            : { mask: labels, maskOffset: b * N, label: c };
        const e = expectedScoreOf(data, off, N, sel, {
          smooth: o.smooth,
          emptyConvention: o.emptyConvention,
          workspace: ws,
        });
        s.expectedDice = e.dice;
        s.expectedIoU = e.iou;
      }
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
