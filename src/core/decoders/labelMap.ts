/**
 * Multiclass output: one label per pixel from the per-class masks a selector wrote, by the selector's label rule
 * (see LabelRule in ./row). With one class the label map is the binary foreground decision (1 = selected).
 */
import { resolveByProbability, resolveOverlaps } from './multiclass';
import type { ClassSelection, LabelOptions, LabelRule } from './row';

export interface LabelMapInput {
  data: Float32Array | Float64Array;
  batch: number;
  classes: number;
  pixels: number;
  /** [B, C, N] 0/1 masks. */
  masks: Uint8Array;
  /** The selector's report per [image][class] (which classes are active). */
  selection: readonly (readonly ClassSelection[])[];
}

/** Labels [B, N] (class indices, or the void index under the 'void' policy). */
export function buildLabelMap(x: LabelMapInput, rule: LabelRule, o: LabelOptions): Int32Array {
  const { data, batch: B, classes: C, pixels: N, masks } = x;
  const labels = new Int32Array(B * N);
  for (let b = 0; b < B; b++) {
    const off = b * C * N;
    if (C === 1) {
      // One class: the label map is the binary foreground decision (the package returns all zeros here).
      for (let j = 0; j < N; j++) labels[b * N + j] = masks[off + j];
    } else if (rule === 'onehot') {
      for (let j = 0; j < N; j++) {
        let lab = 0;
        for (let c = 0; c < C; c++) if (masks[off + c * N + j]) lab = c;
        labels[b * N + j] = lab;
      }
    } else if (rule === 'dice' || rule === 'iou') {
      resolveOverlaps(
        {
          probs: data,
          offset: off,
          classes: C,
          pixels: N,
          masks,
          masksOffset: off,
          active: x.selection[b].map((s) => s.active),
          metric: rule,
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
  return labels;
}
