/**
 * Means that carry their counts (docs/specs/metrics.md §7.2, §7.4): a mean over images is never reported without how
 * many values it averaged, skipped (undefined / infinite) and how many came from both-empty cases.
 */
import { BothEmptyPolicy } from './config';
import { policyValue } from './ratio';
import { EmptyCase, MacroValue, MeanRecord } from './types';

/** Accumulates one image-mean record. Allocation-free per value. */
export class MeanAccumulator {
  private sum = 0;
  private n = 0;
  private skippedUndefined = 0;
  private skippedInfinite = 0;
  private bothEmptyIncluded = 0;
  private sumInfAsDiagonal = 0;
  private nInfAsDiagonal = 0;

  /**
   * @param value the image's value (NaN = undefined, ±∞ = distance to an empty set).
   * @param emptyCase the image's empty case; finite values of both-empty images are counted in bothEmptyIncluded.
   * @param diagonal the image's physical diagonal, replacing +∞ in valueInfAsDiagonal (distances only).
   */
  add(value: number, emptyCase: EmptyCase | undefined = undefined, diagonal = Number.NaN): void {
    if (Number.isNaN(value)) {
      this.skippedUndefined++;
      return;
    }
    if (!Number.isFinite(value)) {
      this.skippedInfinite++;
      this.sumInfAsDiagonal += diagonal;
      this.nInfAsDiagonal++;
      return;
    }
    this.sum += value;
    this.n++;
    this.sumInfAsDiagonal += value;
    this.nInfAsDiagonal++;
    if (emptyCase === 'both_empty') this.bothEmptyIncluded++;
  }

  /** The record; `withDiagonal` adds valueInfAsDiagonal (for distance metrics). */
  record(withDiagonal = false): MeanRecord {
    const r: MeanRecord = {
      value: this.n === 0 ? Number.NaN : this.sum / this.n,
      n: this.n,
      skippedUndefined: this.skippedUndefined,
      skippedInfinite: this.skippedInfinite,
      bothEmptyIncluded: this.bothEmptyIncluded,
    };
    if (withDiagonal)
      r.valueInfAsDiagonal =
        this.nInfAsDiagonal === 0 ? Number.NaN : this.sumInfAsDiagonal / this.nInfAsDiagonal;
    return r;
  }
}

/**
 * Macro mean over classes (spec §7.4): finite class values are averaged; NaN and infinite ones are skipped.
 * With no class at all the value is the both-empty policy value (`best` under "best").
 */
export function macroMean(values: readonly number[], policy: BothEmptyPolicy, best: number): MacroValue {
  if (values.length === 0) return { value: policyValue(policy, best), nClasses: 0 };
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return { value: n === 0 ? Number.NaN : sum / n, nClasses: n };
}

/** Confusion counts of one class, enough to say whether it is present and what its Dice is. */
export interface ClassCounts {
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Whether a class counts in a macro mean (spec §1): it has at least one pixel in the ground truth or in the
 * prediction. A class absent from the ground truth that the prediction paints (false positives only) is present and
 * scores Dice 0; a class empty on both sides is left out (it would add a free 1).
 */
export function isPresent(c: ClassCounts): boolean {
  return c.tp + c.fp + c.fn > 0;
}

/**
 * THE macro Dice of SegLens (spec §7.4, docs/metrics.md "macro"), from per-class counts: the unweighted mean of the
 * Dice of the classes present in the ground truth or the prediction; with none present, the both-empty policy
 * value. The metric table (`macroPresentClasses`), the tuned threshold, the Dice-vs-threshold chart, the live
 * slider row and the CLI all use this definition.
 */
export function macroDiceOfCounts(
  classes: readonly ClassCounts[],
  policy: BothEmptyPolicy = 'best',
): MacroValue {
  const dice = classes.filter(isPresent).map((c) => (2 * c.tp) / (2 * c.tp + c.fp + c.fn));
  return macroMean(dice, policy, 1);
}

/**
 * The macro Dice at every threshold of a sweep, with the same definition: at threshold t_k the classes present in
 * the ground truth or predicted at t_k. `perClass` holds one sweep's tp / fp / fn per threshold for each class.
 */
export function macroSweepDice(
  perClass: readonly { tp: readonly number[]; fp: readonly number[]; fn: readonly number[] }[],
  policy: BothEmptyPolicy = 'best',
): number[] {
  const steps = perClass[0]?.tp.length ?? 0;
  const out: number[] = [];
  for (let k = 0; k < steps; k++) {
    out.push(
      macroDiceOfCounts(
        perClass.map((s) => ({ tp: s.tp[k], fp: s.fp[k], fn: s.fn[k] })),
        policy,
      ).value,
    );
  }
  return out;
}

/**
 * The other definition, shown only where labelled "over the classes in the ground truth": the mean Dice of the
 * classes with ground-truth pixels, ignoring classes the prediction paints without any ground truth. NaN when the
 * ground truth has no included class.
 */
export function macroDiceOverGtClasses(classes: readonly ClassCounts[]): number {
  const inGt = classes.filter((c) => c.tp + c.fn > 0);
  if (inGt.length === 0) return Number.NaN;
  return inGt.reduce((a, c) => a + (2 * c.tp) / (2 * c.tp + c.fp + c.fn), 0) / inGt.length;
}
