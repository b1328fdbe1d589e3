/**
 * "Check Loss at Breakpoint": what the user's loss or metric function returned next to the true per-image Dice and
 * IoU of the same tensors (docs/debugging.md, "Check Loss at Breakpoint"). Pure. The true values use the one
 * definition of the metric core (`overlapMetrics`, docs/metrics.md: Dice = 2TP / (2TP + FP + FN), both-empty
 * images score 1) on hard masks: probabilities thresholded at 0.5 (logits at 0), several channels by argmax with
 * the macro mean over the foreground classes present; targets as labels (0/1 floats, integers, or one-hot by
 * argmax).
 */
import { classPixelCounts } from '../metrics/confusion';
import { defaultMetricsConfig } from '../metrics/config';
import { overlapMetrics } from '../metrics/overlap';
import { numberAt, sizeOf, type NDArray } from '../ndarray';
import { InputError } from '../errors';
import { explainDims, type Dims } from './dims';

export interface LossRow {
  /** Batch index (0 for a single image). */
  index: number;
  /** Mean of what the user's function returned on this image alone (absent when it was not called per image). */
  yours?: number;
  /** Whether `yours` is close to this image's Dice (a metric) or 1 − Dice (a loss); absent without `yours`. */
  agrees?: boolean;
  dice: number;
  iou: number;
  /** Foreground pixels in the target and in the hard prediction (summed over foreground classes). */
  gtPixels: number;
  predPixels: number;
}

export interface LossTable {
  functionName: string;
  /** Mean of what the function returned on the whole batch, and that return value's shape. */
  batchValue: number;
  batchShape: number[];
  rows: LossRow[];
  /** Mean of the per-image Dice (NaN-free: every image has a value, both-empty images score 1). */
  meanDice: number;
  minDice: number;
  maxDice: number;
  /** How the prediction was made hard, e.g. "probabilities > 0.5". */
  hardening: string;
  /** What the comparison says, e.g. "dice_coeff returns 0.916, but the per-image Dice is 0.080–0.123". */
  verdict: string;
  /** True when the function's value is not close to the Dice, nor to 1 − Dice. */
  disagrees: boolean;
  predictionDims: string;
  targetDims: string;
}

/** Soft and hard Dice of a sound function differ a little; beyond this the function measures something else. */
export const AGREEMENT_TOLERANCE = 0.05;

interface Layout {
  images: number;
  /** Values per image. */
  perImage: number;
  channels: number;
  /** Channels as the last axis (true) or the first after the batch (false). */
  channelsLast: boolean;
  pixels: number;
}

function layoutOf(a: NDArray, dims: Dims): Layout {
  const images = dims.batch !== undefined ? a.shape[dims.batch] : 1;
  const channels = dims.channel !== undefined ? a.shape[dims.channel] : 1;
  const perImage = images > 0 ? sizeOf(a.shape) / images : 0;
  return {
    images,
    perImage,
    channels,
    channelsLast: dims.channel === undefined || dims.channel === a.shape.length - 1,
    pixels: perImage / channels,
  };
}

/** One image's hard label map: argmax over channels, or a threshold on one channel. */
function labelsOf(a: NDArray, l: Layout, image: number, threshold: number, isTarget: boolean): Uint8Array {
  const out = new Uint8Array(l.pixels);
  const base = image * l.perImage;
  for (let p = 0; p < l.pixels; p++) {
    if (l.channels === 1) {
      const v = numberAt(a, base + p);
      // Targets may hold integer class labels (0, 1, 2, …); 0/1 floats and bools threshold the same way.
      out[p] = isTarget ? (v >= 1 ? Math.min(255, Math.round(v)) : v > 0.5 ? 1 : 0) : v > threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < l.channels; c++) {
      const v = numberAt(a, base + (l.channelsLast ? p * l.channels + c : c * l.pixels + p));
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    out[p] = best;
  }
  return out;
}

function classesOf(labels: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return max + 1;
}

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : String(v));

/**
 * Whether a function's name says it is a loss (compared with 1 − Dice) or a metric (compared with the Dice):
 * `dice_loss` is a loss, `dice_coeff`, `iou_score`, `f1` are metrics, a name with neither says nothing.
 */
export function functionKind(name: string): 'loss' | 'metric' | 'unknown' {
  const last = name.split('.').pop() ?? name;
  if (/loss|criterion/i.test(last)) return 'loss';
  if (/dice|iou|jaccard|f1|f_score|fscore|score|coef|metric|overlap|similarity/i.test(last)) return 'metric';
  return 'unknown';
}

/** Whether a function's value agrees with a Dice, given what its name says it is. */
export function agrees(kind: ReturnType<typeof functionKind>, value: number, dice: number): boolean {
  const asMetric = Math.abs(value - dice) <= AGREEMENT_TOLERANCE;
  const asLoss = Math.abs(1 - value - dice) <= AGREEMENT_TOLERANCE;
  return kind === 'metric' ? asMetric : kind === 'loss' ? asLoss : asMetric || asLoss;
}

export interface LossTableInput {
  functionName: string;
  prediction: NDArray;
  target: NDArray;
  /** What the function returned on the batch (its mean and shape) and on each image. */
  batch: { mean: number; shape: number[] };
  perImage: readonly number[];
  /** Whether the prediction holds logits (threshold 0 instead of 0.5). @default false */
  logits?: boolean;
}

/**
 * The table of one check. @throws InputError when prediction and target do not have the same images and pixels.
 */
export function lossTable(input: LossTableInput): LossTable {
  const pd = explainDims(input.prediction.shape);
  const td = explainDims(input.target.shape);
  const pl = layoutOf(input.prediction, pd);
  const tl = layoutOf(input.target, td);
  if (pl.images !== tl.images || pl.pixels !== tl.pixels) {
    throw new InputError(
      `prediction ${JSON.stringify(input.prediction.shape)} and target ${JSON.stringify(input.target.shape)} ` +
        'do not hold the same images',
    );
  }
  const threshold = input.logits ? 0 : 0.5;
  const kind = functionKind(input.functionName);
  const policy = defaultMetricsConfig.bothEmpty;
  const rows: LossRow[] = [];
  for (let i = 0; i < pl.images; i++) {
    const pred = labelsOf(input.prediction, pl, i, threshold, false);
    const gt = labelsOf(input.target, tl, i, threshold, true);
    const k = Math.max(classesOf(pred), classesOf(gt), 2);
    const counts = classPixelCounts(gt, pred, k);
    let dice = 0;
    let iou = 0;
    let present = 0;
    let gtPixels = 0;
    let predPixels = 0;
    for (let c = 1; c < k; c++) {
      const tp = counts.tp[c];
      const fp = counts.pred[c] - tp;
      const fn = counts.gt[c] - tp;
      gtPixels += counts.gt[c];
      predPixels += counts.pred[c];
      // Macro over the foreground classes present in either map; with one foreground class that is its Dice.
      if (k > 2 && counts.gt[c] + counts.pred[c] === 0) continue;
      const m = overlapMetrics({ tp, fp, fn, tn: counts.n - tp - fp - fn }, [], policy);
      dice += m.dice;
      iou += m.iou;
      present++;
    }
    const row: LossRow = {
      index: i,
      dice: present ? dice / present : 1,
      iou: present ? iou / present : 1,
      gtPixels,
      predPixels,
    };
    if (input.perImage[i] !== undefined) {
      row.yours = input.perImage[i];
      row.agrees = agrees(kind, row.yours, row.dice);
    }
    rows.push(row);
  }
  const dices = rows.map((r) => r.dice);
  let sum = 0;
  for (const d of dices) sum += d;
  const meanDice = rows.length ? sum / rows.length : NaN;
  const minDice = Math.min(...dices);
  const maxDice = Math.max(...dices);
  const value = input.batch.mean;
  const range = rows.length > 1 ? `${fmt(minDice)}–${fmt(maxDice)}` : fmt(meanDice);
  const name = input.functionName;
  let verdict: string;
  let disagrees = false;
  // A metric is compared with the Dice, a loss with 1 − Dice; a name that says neither, with both. (The seed's
  // per-pixel dice_coeff of ~0.92 next to a true Dice of ~0.1 must not pass for a loss of 1 − 0.1.)
  if (kind !== 'loss' && Math.abs(value - meanDice) <= AGREEMENT_TOLERANCE) {
    verdict = `${name} returns ${fmt(value)}, close to the per-image Dice (${range}).`;
  } else if (kind !== 'metric' && Math.abs(1 - value - meanDice) <= AGREEMENT_TOLERANCE) {
    verdict = `${name} returns ${fmt(value)}, close to 1 − the per-image Dice (${range}): a Dice loss.`;
  } else {
    disagrees = true;
    verdict = `${name} returns ${fmt(value)}, but the per-image Dice is ${range} (mean ${fmt(meanDice)}).`;
  }
  const hardening =
    pl.channels > 1
      ? `argmax over ${pl.channels} channels, macro over the foreground classes present`
      : input.logits
        ? 'logits > 0'
        : 'probabilities > 0.5';
  return {
    functionName: name,
    batchValue: value,
    batchShape: input.batch.shape,
    rows,
    meanDice,
    minDice,
    maxDice,
    hardening,
    verdict,
    disagrees,
    predictionDims: pd.text,
    targetDims: td.text,
  };
}
