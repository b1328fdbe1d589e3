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
import { pairedComparisonSteps, spearman, tunedThresholds } from '../../core/dataset/stats';
import { explainGap, summarizeValues } from '../../core/dataset/summary';
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

/** One class of (model m, decoder d) over the images with ground truth, and its pooled counts. */
function classSummary(
  store: RowStore,
  m: number,
  d: number,
  ci: number,
  name: string,
): { summary: ClassSummary; tp: number; fp: number; fn: number } {
  let [tp, fp, fn, withClass] = [0, 0, 0, 0];
  const dice: number[] = [];
  const iou: number[] = [];
  const hd95: number[] = [];
  for (let r = 0; r < store.total; r++) {
    if (!store.hasGt[r]) continue;
    const [a, b, e] = store.classCounts(r, m, d, ci);
    tp += a;
    fp += b;
    fn += e;
    if (a + e > 0) withClass++;
    dice.push(store.value(r, m, d, ci + 1, 'dice'));
    iou.push(store.value(r, m, d, ci + 1, 'iou'));
    hd95.push(store.value(r, m, d, ci + 1, 'hd95'));
  }
  const denom = 2 * tp + fp + fn;
  const summary: ClassSummary = {
    index: store.classes[ci],
    name,
    dice: spread(dice),
    pooledDice: denom > 0 ? (tp * 2) / denom : null,
    iou: spread(iou),
    hd95: spread(hd95),
    imagesWithClass: withClass,
  };
  return { summary, tp, fp, fn };
}

/**
 * Per-image totals of (model m, decoder d) over the images with ground truth: correct and counted pixels, images
 * below 0.5, and images where no class is in the mask or the prediction (they score the both-empty value).
 */
function imageTotals(
  store: RowStore,
  m: number,
  d: number,
  dice: readonly number[],
): { correct: number; pixels: number; below: number; nothingPresent: number } {
  let [correct, pixels, below, nothingPresent] = [0, 0, 0, 0];
  for (let r = 0; r < store.total; r++) {
    if (!store.hasGt[r]) continue;
    const [c, p] = store.pixelCounts(r, m, d);
    correct += c;
    pixels += p;
    if (Number.isFinite(dice[r]) && dice[r] < 0.5) below++;
    let present = 0;
    for (let ci = 0; ci < store.classes.length; ci++) {
      const [tp, fp, fn] = store.classCounts(r, m, d, ci);
      present += tp + fp + fn;
    }
    if (present === 0) nothingPresent++;
  }
  return { correct, pixels, below, nothingPresent };
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
  let [tp, fp, fn] = [0, 0, 0];
  const perClass: ClassSummary[] = [];
  for (let ci = 0; ci < classes.length; ci++) {
    const c = classSummary(store, m, d, ci, o.classNames.get(classes[ci]) ?? `class ${classes[ci]}`);
    perClass.push(c.summary);
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
    // One class per step: a set of 10,000 images with many classes never holds the host for long.
    yield `class ${classes[ci]} of ${layout.models[m]}/${layout.decoders[d]}`;
  }
  const totals = imageTotals(store, m, d, dice);
  const s = spread(dice);
  yield `per-image Dice and ranking of ${layout.models[m]}/${layout.decoders[d]}`;
  const denom = 2 * tp + fp + fn;
  const pooledDice = denom > 0 ? (2 * tp) / denom : null;
  const pixelAccuracy = totals.pixels > 0 ? totals.correct / totals.pixels : null;
  const rho = spearman(expected, dice);
  return {
    model: layout.models[m],
    decoder: layout.decoders[d],
    dice: s,
    pooledDice,
    pixelAccuracy,
    // The one sentence of core (seglens eval prints the same), from the same counts.
    gapSentence: explainGap({
      meanDice: s.mean ?? NaN,
      images: s.n,
      pooledDice: pooledDice ?? NaN,
      pixelAccuracy: pixelAccuracy ?? NaN,
      foregroundFraction: totals.pixels > 0 ? (tp + fn) / totals.pixels : NaN,
      imagesBelowHalf: totals.below,
      nothingPresent: totals.nothingPresent,
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
  // A generator: the bootstrap yields every few milliseconds, so a large set never holds the host's thread.
  const compare = function* (
    kind: 'decoder' | 'model',
    a: number[],
    b: number[],
    nameA: string,
    nameB: string,
    what: string,
  ): Generator<string, void> {
    const c = yield* pairedComparisonSteps(a, b, { resamples, seed: 1 });
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
      yield* compare('decoder', diceOf(store, m, 0), diceOf(store, m, d), label(a), label(b), model);
      yield `bootstrap ${layout.decoders[0]} vs ${layout.decoders[d]}`;
    }
  }
  for (let d = 0; d < layout.decoders.length; d++) {
    for (let m = 1; m < layout.models.length; m++) {
      const what = ` (${label(layout.decoders[d])})`;
      yield* compare(
        'model',
        diceOf(store, 0, d),
        diceOf(store, m, d),
        layout.models[0],
        layout.models[m],
        what,
      );
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
