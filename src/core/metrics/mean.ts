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
