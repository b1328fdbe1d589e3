/**
 * The summary above the dataset table, computed from the compact row store: per (model, decoder) the per-image
 * mean ± sd and median of Dice, the pooled (micro) Dice and pixel accuracy with one sentence explaining their gap
 * on this set, the per-class table, a Dice histogram and how well expected Dice ranks the images; paired
 * comparisons of decoders and of models; the label-error candidates. Statistics come from core
 * (src/core/dataset/stats.ts), so the view and `seglens eval` share their definitions.
 *
 * Pure, but not free: the bootstraps are the expensive part, so `summarize` is a generator that yields between
 * comparisons and the panel runs it a step per macrotask (nothing blocks the extension host for long).
 */
import { pairedComparison, spearman, tunedThresholds } from '../../core/dataset/stats';
import { summarizeValues } from '../../core/dataset/summary';
import type { DatasetReport } from '../../node/dataset';
import type {
  ClassSummary,
  DatasetSummary,
  DecoderSummary,
  PairedComparison,
  Spread,
} from '../../protocol/dataset';
import { ROW_FLAGS } from '../../protocol/dataset';
import { labelErrorList } from './labelErrors';
import type { RowStore } from './rowStore';

/** Finite numbers only; NaN and ±∞ are reported as null. */
export function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Mean, sample sd and median of the finite values (core's summary of values, with ±∞ left out too). */
export function spread(values: readonly number[]): Spread {
  const s = summarizeValues(values.filter(Number.isFinite));
  return { mean: finite(s.mean), sd: finite(s.sd), median: finite(s.median), n: s.n };
}

/** Histogram of values in [0, 1] over `bins` equal bins (1 goes into the last). */
export function histogram(values: readonly number[], bins = 10): number[] {
  const h = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    h[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]++;
  }
  return h;
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const f3 = (v: number) => v.toFixed(3);

/**
 * One sentence on why per-image mean Dice, pooled Dice and pixel accuracy differ on this set. Names the biggest
 * effect: background pixels inflating accuracy, large images dominating the pooled Dice, or a few very bad
 * images dragging the mean (with how many).
 */
export function gapSentence(input: {
  meanDice: number | null;
  pooledDice: number | null;
  pixelAccuracy: number | null;
  backgroundFraction: number | null;
  imagesBelowHalf: number;
  images: number;
  emptyGtImages: number;
}): string {
  const { meanDice, pooledDice, pixelAccuracy, backgroundFraction } = input;
  if (meanDice === null || pooledDice === null)
    return 'No ground truth was evaluated, so only expected Dice is known.';
  const parts: string[] = [];
  if (pixelAccuracy !== null && backgroundFraction !== null && pixelAccuracy - pooledDice > 0.05) {
    parts.push(
      `pixel accuracy (${pct(pixelAccuracy)}) is high because ${pct(backgroundFraction)} of the pixels are background, which any decoder gets mostly right`,
    );
  }
  const gap = pooledDice - meanDice;
  if (gap > 0.02) {
    const few =
      input.imagesBelowHalf > 0
        ? `; ${input.imagesBelowHalf} of ${input.images} images score below 0.5 and pull the per-image mean down`
        : '';
    parts.push(
      `pooled Dice (${f3(pooledDice)}) exceeds the per-image mean (${f3(meanDice)}) because pooling weights every pixel, so images with large structures dominate, while the mean weights every image equally${few}`,
    );
  } else if (gap < -0.02) {
    const empty =
      input.emptyGtImages > 0
        ? ` (${input.emptyGtImages} images with an empty ground truth count as perfect when nothing is predicted)`
        : '';
    parts.push(
      `the per-image mean (${f3(meanDice)}) exceeds pooled Dice (${f3(pooledDice)}) because small or empty structures score well image by image${empty} while the pixels of the large ones are segmented worse`,
    );
  } else {
    parts.push(
      `per-image mean (${f3(meanDice)}) and pooled Dice (${f3(pooledDice)}) agree within 0.02, so no few images dominate`,
    );
  }
  const s = parts.join('; ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

export interface SummaryOptions {
  /** Class names by index. */
  classNames: Map<number, string>;
  /** Bootstrap resamples for sets up to `fullBootstrapRows` images. @default 2000 */
  resamples?: number;
  /**
   * Above this many images the resamples shrink (to resamples × fullBootstrapRows / n, at least 200) so one
   * comparison (resamples × images random draws) stays a short step of the host's thread: 500 images × 2000
   * resamples = 1M draws, ~10 ms on an idle core. Up to this size the interval is the one `seglens eval` prints.
   * @default 500
   */
  fullBootstrapRows?: number;
  /** Most label-error candidates listed. @default 100 */
  maxLabelErrors?: number;
  /** Display names of decoders. */
  decoderLabels?: Map<string, string>;
}

function diceOf(store: RowStore, m: number, d: number): number[] {
  const out = new Array<number>(store.total);
  for (let r = 0; r < store.total; r++) out[r] = store.value(r, m, d, 0, 'dice');
  return out;
}

/** The set's K × K confusion matrix of (model m, decoder d), summed from the rows (null when none was counted). */
function confusionOf(store: RowStore, m: number, d: number): number[][] | null {
  const K = store.confusionClasses;
  if (K === 0) return null;
  const sum = new Float64Array(K * K);
  const per = store.layout.models.length * store.layout.decoders.length;
  const at = m * store.layout.decoders.length + d;
  let any = false;
  for (let r = 0; r < store.total; r++) {
    if (!store.hasGt[r]) continue;
    any = true;
    const base = (r * per + at) * K * K;
    for (let i = 0; i < K * K; i++) sum[i] += store.confusion[base + i];
  }
  if (!any) return null;
  return Array.from({ length: K }, (_, g) => Array.from(sum.subarray(g * K, g * K + K)));
}

function* decoderSummary(
  store: RowStore,
  m: number,
  d: number,
  o: SummaryOptions,
): Generator<string, DecoderSummary> {
  const { layout, classes } = store;
  const dice = diceOf(store, m, d);
  const expected = new Array<number>(store.total);
  for (let r = 0; r < store.total; r++) expected[r] = store.value(r, m, d, 0, 'expectedDice');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  let pixels = 0;
  let foregroundGt = 0;
  let emptyGt = 0;
  let below = 0;
  let images = 0;
  const perClass: ClassSummary[] = [];
  for (let ci = 0; ci < classes.length; ci++) {
    const c = classes[ci];
    let ctp = 0;
    let cfp = 0;
    let cfn = 0;
    let withClass = 0;
    const cd: number[] = [];
    const ci_: number[] = [];
    const ch: number[] = [];
    for (let r = 0; r < store.total; r++) {
      if (!store.hasGt[r]) continue;
      const [a, b, e] = store.classCounts(r, m, d, ci);
      ctp += a;
      cfp += b;
      cfn += e;
      if (a + e > 0) withClass++;
      cd.push(store.value(r, m, d, ci + 1, 'dice'));
      ci_.push(store.value(r, m, d, ci + 1, 'iou'));
      ch.push(store.value(r, m, d, ci + 1, 'hd95'));
    }
    tp += ctp;
    fp += cfp;
    fn += cfn;
    foregroundGt += ctp + cfn;
    const denom = 2 * ctp + cfp + cfn;
    perClass.push({
      index: c,
      name: o.classNames.get(c) ?? `class ${c}`,
      dice: spread(cd),
      pooledDice: denom > 0 ? (ctp * 2) / denom : null,
      iou: spread(ci_),
      hd95: spread(ch),
      imagesWithClass: withClass,
    });
    // One class per step: a set of 10,000 images with many classes never holds the host for long.
    yield `class ${c} of ${layout.models[m]}/${layout.decoders[d]}`;
  }
  for (let r = 0; r < store.total; r++) {
    if (!store.hasGt[r]) continue;
    const [c, p] = store.pixelCounts(r, m, d);
    correct += c;
    pixels += p;
    images++;
    if (store.flags[r] & ROW_FLAGS.emptyGt) emptyGt++;
    if (Number.isFinite(dice[r]) && dice[r] < 0.5) below++;
  }
  const s = spread(dice);
  yield `per-image Dice and ranking of ${layout.models[m]}/${layout.decoders[d]}`;
  const denom = 2 * tp + fp + fn;
  const pooledDice = denom > 0 ? (2 * tp) / denom : null;
  const pixelAccuracy = pixels > 0 ? correct / pixels : null;
  const rho = spearman(expected, dice);
  return {
    model: layout.models[m],
    decoder: layout.decoders[d],
    dice: s,
    pooledDice,
    pixelAccuracy,
    gapSentence: gapSentence({
      meanDice: s.mean,
      pooledDice,
      pixelAccuracy,
      backgroundFraction: pixels > 0 ? 1 - foregroundGt / pixels : null,
      imagesBelowHalf: below,
      images,
      emptyGtImages: emptyGt,
    }),
    perClass,
    histogram: histogram(dice),
    ranking: { rho: finite(rho.rho), n: rho.n },
    confusion: confusionOf(store, m, d),
  };
}

/**
 * Yields after each expensive step; the final value is the summary. Comparisons: every decoder against the first
 * one per model, and every model against the first one per decoder.
 */
export function* summarize(store: RowStore, o: SummaryOptions): Generator<string, DatasetSummary> {
  const { layout } = store;
  const label = (d: string) => o.decoderLabels?.get(d) ?? d;
  const perDecoder: DecoderSummary[] = [];
  for (let m = 0; m < layout.models.length; m++) {
    for (let d = 0; d < layout.decoders.length; d++) {
      perDecoder.push(yield* decoderSummary(store, m, d, o));
      yield 'per-decoder summary';
    }
  }
  const n = store.total;
  const full = o.fullBootstrapRows ?? 500;
  const base = o.resamples ?? 2000;
  const resamples = n <= full ? base : Math.max(200, Math.floor((base * full) / n));
  const comparisons: PairedComparison[] = [];
  const compare = (
    kind: 'decoder' | 'model',
    a: number[],
    b: number[],
    nameA: string,
    nameB: string,
    what: string,
  ) => {
    const c = pairedComparison(a, b, { resamples, seed: 1 });
    comparisons.push({
      kind,
      label: `${nameA} vs ${nameB}${what}`,
      a: nameA,
      b: nameB,
      wins: c.wins,
      ties: c.ties,
      losses: c.losses,
      n: c.n,
      meanDiff: finite(c.meanDifference),
      ci: c.n > 0 && Number.isFinite(c.ci.low) ? [c.ci.low, c.ci.high] : null,
      resamples,
    });
  };
  // A is the first decoder (or model), B each other one, as `seglens eval` reports them: A − B per image.
  for (let m = 0; m < layout.models.length; m++) {
    for (let d = 1; d < layout.decoders.length; d++) {
      const model = layout.models.length > 1 ? ` (${layout.models[m]})` : '';
      const [a, b] = [layout.decoders[0], layout.decoders[d]];
      compare('decoder', diceOf(store, m, 0), diceOf(store, m, d), label(a), label(b), model);
      yield `bootstrap ${layout.decoders[0]} vs ${layout.decoders[d]}`;
    }
  }
  for (let d = 0; d < layout.decoders.length; d++) {
    for (let m = 1; m < layout.models.length; m++) {
      const what = ` (${label(layout.decoders[d])})`;
      compare('model', diceOf(store, 0, d), diceOf(store, m, d), layout.models[0], layout.models[m], what);
      yield `bootstrap ${layout.models[0]} vs ${layout.models[m]}`;
    }
  }
  const labelErrors = labelErrorList(store, o.classNames, o.maxLabelErrors ?? 100);
  let evaluated = 0;
  let skipped = 0;
  let withGt = 0;
  for (let r = 0; r < store.total; r++) {
    if (!store.isComplete(r)) continue;
    if (store.flags[r] & ROW_FLAGS.skipped) skipped++;
    else evaluated++;
    if (store.hasGt[r]) withGt++;
  }
  const classNames = Array.from(
    { length: Math.max(store.confusionClasses, ...store.classes.map((c) => c + 1), 1) },
    (_, c) => o.classNames.get(c) ?? (c === 0 ? 'background' : `class ${c}`),
  );
  return {
    classNames,
    images: store.total,
    evaluated,
    skipped,
    withGt,
    perDecoder,
    comparisons,
    labelErrors,
    tuned: [],
  };
}

/** Runs `summarize` to the end in one go (tests, small sets). */
export function summarizeNow(store: RowStore, o: SummaryOptions): DatasetSummary {
  const it = summarize(store, o);
  for (;;) {
    const s = it.next();
    if (s.done) return s.value;
  }
}

/**
 * Takes from the engine's report what `seglens eval` prints for each (model, decoder): pooled Dice and pixel
 * accuracy from its DATASET object (equal to ours, summed the same way), its sentence on their gap, its confusion
 * matrix, and the tuned thresholds of the first decoder's sweep.
 */
export function mergeReport(
  summary: DatasetSummary,
  report: DatasetReport,
  names: Map<number, string>,
  firstDecoder: string,
): void {
  summary.tuned = [];
  for (const s of report.summaries) {
    const ds = s.dataset;
    const mine = summary.perDecoder.find((p) => p.model === s.model && p.decoder === s.decoder);
    if (!ds || !mine) continue;
    mine.pooledDice = finite(ds.microOverClasses.metrics.dice);
    mine.pixelAccuracy = finite(ds.pixelAccuracy.pooled);
    if (s.summary?.explanation) mine.gapSentence = s.summary.explanation;
    if (s.confusion) mine.confusion = s.confusion;
    if (s.decoder !== firstDecoder) continue;
    for (const t of tunedThresholds(ds)) {
      summary.tuned.push({
        model: s.model,
        className: names.get(Number(t.class)) ?? `class ${t.class}`,
        threshold: t.threshold,
        dice: finite(t.imageMeanDice),
        atHalf: finite(t.atHalf),
      });
    }
  }
}
