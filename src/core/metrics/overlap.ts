/**
 * Confusion-count overlap metrics (docs/specs/metrics.md §2.2) with the zero-denominator rule of §2.3.
 * Used for one image, for pooled dataset counts and for counts summed over classes: the formulas are the same.
 */
import { BothEmptyPolicy, betaKey } from './config';
import { safeRatio } from './ratio';
import { ConfusionCounts, OverlapMetrics } from './types';

/**
 * Every overlap metric of spec §2.2 from one set of counts.
 * @param fBetas β values for F-β (F1 = Dice is reported as `dice`).
 */
export function overlapMetrics(
  counts: ConfusionCounts,
  fBetas: readonly number[],
  policy: BothEmptyPolicy,
): OverlapMetrics {
  const { tp, fp, fn, tn } = counts;
  const n = tp + fp + fn + tn;
  const recall = safeRatio(tp, tp + fn, fp, fn, policy);
  const specificity = safeRatio(tn, tn + fp, fp, fn, policy);
  // Balanced accuracy averages the *defined* values only: with no positive GT pixel it equals specificity,
  // which is scikit-learn's balanced_accuracy_score on the classes present in the GT (spec §2.2 notes).
  let balancedAccuracy: number;
  if (Number.isNaN(recall)) balancedAccuracy = specificity;
  else if (Number.isNaN(specificity)) balancedAccuracy = recall;
  else balancedAccuracy = (recall + specificity) / 2;
  const fBeta: Record<string, number> = {};
  for (const beta of fBetas) {
    const b2 = beta * beta;
    fBeta[betaKey(beta)] = safeRatio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp, fp, fn, policy);
  }
  return {
    dice: safeRatio(2 * tp, 2 * tp + fp + fn, fp, fn, policy),
    iou: safeRatio(tp, tp + fp + fn, fp, fn, policy),
    precision: safeRatio(tp, tp + fp, fp, fn, policy),
    recall,
    specificity,
    accuracy: safeRatio(tp + tn, n, fp, fn, policy),
    balancedAccuracy,
    fBeta,
  };
}
