/**
 * The summary above the dataset table: per-image mean ± sd and median of the images' mean Dice, pooled (micro)
 * Dice, pooled pixel accuracy, and one sentence explaining their gap on this set (the "great accuracy, bad Dice"
 * question). Also the class confusion matrix of a set of rows (pixels, GT class × predicted class). Shared by the
 * dataset view and `seglens eval`, so both show the same numbers and words.
 */
import type { DatasetMetrics } from '../metrics/types';

export interface ValueSummary {
  /** Finite values summarised (NaN left out). */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); NaN for n < 2. */
  sd: number;
  /** Median (mean of the two middle values for even n). */
  median: number;
  min: number;
  max: number;
}

export function summarizeValues(values: readonly number[]): ValueSummary {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, median: NaN, min: NaN, max: NaN };
  let sum = 0;
  for (const x of v) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  const median = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, median, min: v[0], max: v[n - 1] };
}

export interface DatasetSummary {
  /** Per-image mean Dice (each image's mean over the included classes), summarised over the images. */
  imageDice: ValueSummary;
  /** Dice of the counts pooled over all images and included classes (micro). */
  pooledDice: number;
  /** Pixels where prediction = GT over all pixels of the set (all classes, background included). */
  pixelAccuracy: number;
  /** GT pixels of the included classes over all pixels. */
  foregroundFraction: number;
  /** Images whose mean Dice is below 0.5. */
  imagesBelowHalf: number;
  /** One or two sentences explaining how these numbers differ on this set. */
  explanation: string;
}

/** A row as the summary reads it: an engine record (`image`) or a report image (IMAGE keys at the top level). */
export interface SummaryRow {
  meanDice: number;
  image?: { macroPresentClasses: { classes: readonly number[] } };
  macroPresentClasses?: { classes: readonly number[] };
}

/** An image with no class in the mask or the prediction: its macro Dice is the both-empty value. */
function nothingPresent(r: SummaryRow): boolean {
  const m = r.image?.macroPresentClasses ?? r.macroPresentClasses;
  return m !== undefined && m.classes.length === 0;
}

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/** What the sentence on the gap between the three numbers reads (the dataset view computes it from its counts). */
export interface GapInput {
  /** Per-image mean Dice and how many images it averages (0 = no ground truth was evaluated). */
  meanDice: number;
  images: number;
  pooledDice: number;
  pixelAccuracy: number;
  /** GT pixels of the included classes over all pixels. */
  foregroundFraction: number;
  imagesBelowHalf: number;
  /** Images with no included class in the mask or the prediction (each scores the both-empty value). */
  nothingPresent: number;
}

/**
 * One or two sentences explaining how per-image mean Dice, pooled Dice and pixel accuracy differ on this set —
 * the one definition `seglens eval` prints and the dataset view shows.
 */
export function explainGap(g: GapInput): string {
  if (g.images === 0)
    return 'No image has a per-image Dice (no ground truth was evaluated, or none is defined), so only expected Dice is known.';
  const parts: string[] = [];
  if (g.foregroundFraction < 0.2) {
    parts.push(
      `Pixel accuracy (${f3(g.pixelAccuracy)}) counts the background, ${(100 * (1 - g.foregroundFraction)).toFixed(1)} % ` +
        'of the pixels here, so it stays high whatever the masks.',
    );
  }
  const gap = g.pooledDice - g.meanDice;
  if (gap > 0.02) {
    const low = g.imagesBelowHalf > 0 ? ` — ${g.imagesBelowHalf} of ${g.images} images score below 0.5` : '';
    parts.push(
      `Pooled Dice (${f3(g.pooledDice)}) exceeds the per-image mean (${f3(g.meanDice)}): large structures dominate ` +
        `the pooled counts, while every image weighs the same in the mean${low}.`,
    );
  } else if (gap < -0.02) {
    // Under the one macro definition an image scores a free 1 only when nothing is present on either side.
    const empty = g.nothingPresent;
    const why =
      empty > 0
        ? `${empty === 1 ? '1 image' : `${empty} images`} with nothing to find on either side ` +
          `${empty === 1 ? 'counts as 1' : 'count as 1 each'}, and `
        : '';
    parts.push(
      `The per-image mean (${f3(g.meanDice)}) exceeds pooled Dice (${f3(g.pooledDice)}): ${why}every image ` +
        'weighs the same in the mean, while errors on large structures weigh most in the pooled counts.',
    );
  } else {
    parts.push(
      `Pooled Dice (${f3(g.pooledDice)}) and the per-image mean (${f3(g.meanDice)}) agree within 0.02.`,
    );
  }
  return parts.join(' ');
}

/** The summary of a set of rows (their meanDice, in any order) and their DATASET object. */
export function datasetSummary(rows: readonly SummaryRow[], dataset: DatasetMetrics): DatasetSummary {
  const imageDice = summarizeValues(rows.map((r) => r.meanDice));
  const pooledDice = dataset.microOverClasses.metrics.dice;
  const pixelAccuracy = dataset.pixelAccuracy.pooled;
  const classes = Object.values(dataset.perClass);
  const c0 = classes[0]?.pooledCounts;
  const total = c0 ? c0.tp + c0.fp + c0.fn + c0.tn : 0;
  const fg = classes.reduce((s, c) => s + c.gtPixels, 0);
  const foregroundFraction = total > 0 ? fg / total : NaN;
  const imagesBelowHalf = rows.filter((r) => r.meanDice < 0.5).length;
  const explanation = explainGap({
    meanDice: imageDice.mean,
    images: imageDice.n,
    pooledDice,
    pixelAccuracy,
    foregroundFraction,
    imagesBelowHalf,
    nothingPresent: rows.filter(nothingPresent).length,
  });
  return { imageDice, pooledDice, pixelAccuracy, foregroundFraction, imagesBelowHalf, explanation };
}

/** Largest class count for which rows carry a confusion matrix (K² integers per row). */
export const MAX_CONFUSION_CLASSES = 64;

/**
 * Pixels per (GT class, predicted class), row-major K × K; pixels with the ignore label (or any label ≥ K) are
 * left out. Undefined when K exceeds MAX_CONFUSION_CLASSES.
 */
export function confusionCounts(
  gt: ArrayLike<number>,
  pred: ArrayLike<number>,
  K: number,
  ignore: number | undefined,
): number[] | undefined {
  if (K > MAX_CONFUSION_CLASSES) return undefined;
  const m = new Float64Array(K * K);
  for (let i = 0; i < gt.length; i++) {
    const g = gt[i];
    const p = pred[i];
    if (g === ignore || g >= K || p >= K) continue;
    m[g * K + p]++;
  }
  return Array.from(m);
}

/** The sum of rows' confusion matrices as a K × K table (null when no row has one). */
export function sumConfusion(rows: readonly { confusion?: number[] }[]): number[][] | null {
  const first = rows.find((r) => r.confusion)?.confusion;
  if (!first) return null;
  const K = Math.round(Math.sqrt(first.length));
  const sum = new Array<number>(K * K).fill(0);
  for (const r of rows) if (r.confusion) for (let i = 0; i < sum.length; i++) sum[i] += r.confusion[i];
  return Array.from({ length: K }, (_, g) => sum.slice(g * K, g * K + K));
}
