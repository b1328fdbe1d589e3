/**
 * Per-class pixel counts of a pair of label maps in one pass (spec §2.1, §2.4): for every class the GT pixels,
 * the predicted pixels and the true positives; everything else (FP, FN, TN, pixel accuracy) follows from these.
 */
import { LabelData } from '../types';

export interface ClassPixelCounts {
  gt: Float64Array;
  pred: Float64Array;
  tp: Float64Array;
  /** Pixels with gt = pred, all classes. */
  correct: number;
  /** Number of pixels. */
  n: number;
}

/** One pass over both maps; labels must already be validated to lie in [0, numClasses). */
export function classPixelCounts(gt: LabelData, pred: LabelData, numClasses: number): ClassPixelCounts {
  const gtCount = new Float64Array(numClasses);
  const predCount = new Float64Array(numClasses);
  const tpCount = new Float64Array(numClasses);
  const n = gt.length;
  for (let i = 0; i < n; i++) {
    const a = gt[i];
    const b = pred[i];
    gtCount[a]++;
    predCount[b]++;
    if (a === b) tpCount[a]++;
  }
  let correct = 0;
  for (let c = 0; c < numClasses; c++) correct += tpCount[c];
  return { gt: gtCount, pred: predCount, tp: tpCount, correct, n };
}
