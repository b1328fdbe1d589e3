/**
 * Per-class pixel counts of a pair of label maps in one pass (spec §2.1, §2.4): for every class the GT pixels,
 * the predicted pixels and the true positives; everything else (FP, FN, TN, pixel accuracy) follows from these.
 */
import { LabelData } from '../types';
import { wordsOf } from './scan';

export interface ClassPixelCounts {
  gt: Float64Array;
  pred: Float64Array;
  tp: Float64Array;
  /** Pixels with gt = pred, all classes. */
  correct: number;
  /** Number of pixels. */
  n: number;
  /** m[a·K + b] = pixels with gt = a and pred = b (K = numClasses), when the pass formed it (K ≤ 64). */
  matrix?: Float64Array;
}

/** Up to this many classes the pass fills a confusion matrix (one increment per pixel) and sums it afterwards. */
const MATRIX_MAX_CLASSES = 64;

/** One pass over both maps; labels must already be validated to lie in [0, numClasses). */
export function classPixelCounts(gt: LabelData, pred: LabelData, numClasses: number): ClassPixelCounts {
  const gtCount = new Float64Array(numClasses);
  const predCount = new Float64Array(numClasses);
  const tpCount = new Float64Array(numClasses);
  const n = gt.length;
  let matrix: Float64Array | undefined;
  if (numClasses <= MATRIX_MAX_CLASSES) {
    // Counts are integers, so the row and column sums of the matrix are exactly the per-pixel counts.
    const m = confusionMatrix(gt, pred, numClasses);
    matrix = m;
    for (let a = 0; a < numClasses; a++) {
      for (let b = 0; b < numClasses; b++) {
        const v = m[a * numClasses + b];
        gtCount[a] += v;
        predCount[b] += v;
      }
      tpCount[a] = m[a * numClasses + a];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const a = gt[i];
      const b = pred[i];
      gtCount[a]++;
      predCount[b]++;
      if (a === b) tpCount[a]++;
    }
  }
  let correct = 0;
  for (let c = 0; c < numClasses; c++) correct += tpCount[c];
  return { gt: gtCount, pred: predCount, tp: tpCount, correct, n, ...(matrix ? { matrix } : {}) };
}

/**
 * m[a·K + b] = pixels with gt = a and pred = b. Pixel i counts into partial table i mod 4: consecutive pixels,
 * nearly all in one cell, then do not wait on each other's increment (about 2.5× faster). Integer counts, so
 * the sum of the four tables is exact whatever the order.
 */
function confusionMatrix(gt: LabelData, pred: LabelData, K: number): Float64Array {
  const KK = K * K;
  const c = new Int32Array(4 * KK);
  const n = gt.length;
  const n4 = n - (n & 3);
  const gw = wordsOf(gt);
  const pw = gw && wordsOf(pred);
  let i = 0;
  // Byte maps: four background pixels on both sides (most of a mask and its prediction) count at once.
  let zeros = 0;
  for (; i < n4; i += 4) {
    if (pw !== null && (gw as Int32Array)[i >> 2] === 0 && pw[i >> 2] === 0) {
      zeros += 4;
      continue;
    }
    c[gt[i] * K + pred[i]]++;
    c[KK + gt[i + 1] * K + pred[i + 1]]++;
    c[2 * KK + gt[i + 2] * K + pred[i + 2]]++;
    c[3 * KK + gt[i + 3] * K + pred[i + 3]]++;
  }
  for (; i < n; i++) c[gt[i] * K + pred[i]]++;
  c[0] += zeros;
  const m = new Float64Array(KK);
  for (let j = 0; j < KK; j++) m[j] = c[j] + c[KK + j] + c[2 * KK + j] + c[3 * KK + j];
  return m;
}
