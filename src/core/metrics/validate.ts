/**
 * Input validation for the metric core (docs/specs/metrics.md §0.1): shapes, label ranges, probability ranges and
 * spacing. Failures are InputErrors naming the input, never silent clipping or resizing.
 */
import { InputError } from '../errors';
import { LabelMap, ProbMap, pixelCount } from '../types';
import { acceptedChannelCount } from './channels';
import { MetricsConfig } from './config';
import { wordsOf } from './scan';
import { isVerifiedProbabilities } from '../verifiedProbabilities';

/** Names used in error messages (file paths when the caller knows them). */
export interface InputSources {
  gt?: string;
  pred?: string;
  prob?: string;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Checks labels against [0, numClasses). `ignore` = the ground truth's ignore label: it is allowed in the GT, and
 * the prediction is not checked where the GT is ignored (`gtForIgnore`), since those pixels leave the image.
 */
function checkLabels(
  map: LabelMap,
  numClasses: number,
  source: string,
  ignore: number | undefined,
  gtForIgnore?: LabelMap,
): void {
  const n = pixelCount(map.shape);
  if (map.data.length !== n) {
    throw new InputError(
      `label map has ${map.data.length} values for shape [${map.shape.join(', ')}]`,
      source,
    );
  }
  const d = map.data;
  const g = gtForIgnore?.data;
  // Label 0 is always in range: a byte map's zero words (most of a mask) are skipped four pixels at a time.
  const words = wordsOf(d);
  for (let i = 0; i < n; i++) {
    if (words !== null && (i & 3) === 0 && i + 4 <= n && words[i >> 2] === 0) {
      i += 3;
      continue;
    }
    const v = d[i];
    if (v < 0 || v >= numClasses) {
      if (ignore !== undefined && (g ? g[i] === ignore : v === ignore)) continue;
      throw new InputError(
        `label ${v} at pixel ${i} is outside [0, ${numClasses - 1}] (numClasses = ${numClasses}; set numClasses in the config)`,
        source,
      );
    }
  }
}

/**
 * Checks every input of computeImageMetrics; throws InputError (naming the input) on the first problem.
 * @param ignore the effective ignore label of the ground truth (see resolveIgnore), or undefined.
 * @param gtChecked the ground truth's labels were already checked with this numClasses and ignore label (another
 *   prediction of the same image, sharedGt.ts): its pass is skipped.
 * @param predInRange the prediction's labels lie in [0, numClasses) by construction (a decoder's output): its label
 *   pass is skipped; its shape is still checked.
 */
export function validateMetricInputs(
  gt: LabelMap,
  pred: LabelMap,
  prob: ProbMap | undefined,
  spacing: readonly number[],
  config: MetricsConfig,
  sources: InputSources = {},
  ignore?: number,
  gtChecked = false,
  predInRange = false,
): void {
  const gtName = sources.gt ?? 'ground truth';
  const predName = sources.pred ?? 'prediction';
  const probName = sources.prob ?? 'probability map';
  if (gt.shape.length < 2 || gt.shape.length > 3) {
    throw new InputError(
      `label map must be 2-D [H, W] or 3-D [D, H, W], got shape [${gt.shape.join(', ')}]`,
      gtName,
    );
  }
  if (!sameShape(gt.shape, pred.shape)) {
    throw new InputError(
      `shape [${pred.shape.join(', ')}] differs from the ground truth's [${gt.shape.join(', ')}] (${gtName})`,
      predName,
    );
  }
  if (!gtChecked) checkLabels(gt, config.numClasses, gtName, ignore);
  if (!predInRange) checkLabels(pred, config.numClasses, predName, ignore, gt);
  else if (pred.data.length !== pixelCount(pred.shape))
    throw new InputError(
      `label map has ${pred.data.length} values for shape [${pred.shape.join(', ')}]`,
      predName,
    );
  if (spacing.length !== gt.shape.length || !spacing.every((s) => Number.isFinite(s) && s > 0)) {
    throw new InputError(
      `spacing [${spacing.join(', ')}] must have one positive number per axis of [${gt.shape.join(', ')}]`,
      'spacing',
    );
  }
  if (prob) {
    const C = prob.shape[0];
    if (!sameShape(prob.shape.slice(1), gt.shape)) {
      throw new InputError(
        `probability map of shape [${prob.shape.join(', ')}] does not match the label maps [${gt.shape.join(', ')}]`,
        probName,
      );
    }
    if (!acceptedChannelCount(C, config.numClasses)) {
      throw new InputError(
        `probability map has ${C} channels; expected ${config.numClasses} (numClasses)` +
          (config.numClasses === 2
            ? ' or 1 (binary)'
            : ` or ${config.numClasses - 1} (foreground classes only)`),
        probName,
      );
    }
    const d = prob.data;
    if (d.length !== pixelCount(prob.shape)) {
      throw new InputError(
        `probability map has ${d.length} values for shape [${prob.shape.join(', ')}]`,
        probName,
      );
    }
    // A map its loader checked value by value needs no second pass (../verifiedProbabilities).
    if (isVerifiedProbabilities(d)) return;
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      // The negated test also catches NaN.
      if (!(v >= 0 && v <= 1)) {
        throw new InputError(
          `probability ${v} at flat index ${i} is not a finite value in [0, 1] (logits? convert with sigmoid/softmax first)`,
          probName,
        );
      }
    }
  }
}

/** The effective ignore label: the config's when set (null = none), else the ground truth's own. */
export function resolveIgnore(config: MetricsConfig, gt: LabelMap): number | undefined {
  if (config.ignoreIndex === null) return undefined;
  return config.ignoreIndex ?? gt.ignoreIndex;
}
