/**
 * The one zero-denominator rule of docs/specs/metrics.md §2.3, shared by every ratio (pixel overlap, object scores,
 * boundary IoU, NSD): a zero denominator gives the both-empty policy value when the prediction is perfect
 * (no false positive, no false negative) and is undefined (NaN) otherwise.
 */
import { BothEmptyPolicy } from './config';
import { EmptyCase } from './types';

/** The value a both-empty case takes: `best` (the metric's best value) under "best", NaN under "nan". */
export function policyValue(policy: BothEmptyPolicy, best: number): number {
  return policy === 'best' ? best : Number.NaN;
}

/** `num / den` with the zero-denominator rule of spec §2.3 (best value 1). */
export function safeRatio(num: number, den: number, fp: number, fn: number, policy: BothEmptyPolicy): number {
  if (den === 0) return fp === 0 && fn === 0 ? policyValue(policy, 1) : Number.NaN;
  return num / den;
}

/** The empty case from the sizes of the two sides (spec §1). */
export function emptyCaseOf(gtSize: number, predSize: number): EmptyCase {
  if (gtSize === 0) return predSize === 0 ? 'both_empty' : 'gt_empty_only';
  return predSize === 0 ? 'pred_empty_only' : 'none';
}
