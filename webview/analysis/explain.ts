/**
 * Explanations where the numbers are: what each decoder selects and what each metric measures (tooltips, each
 * naming the section of docs/decoders.md or docs/metrics.md that defines it), and why RankDice / RankIoU chose
 * their k (a line under their row of the decoders table).
 */
import { decoderDescription } from '../../src/core/viewmodel/analysisTypes';
import type { AnalysisDecoder, DecoderView } from '../../src/protocol';
import { fmt } from './format';

const DECODERS_DOC = 'docs/decoders.md § Decoders';

/** The panel's own words for the decoders it knows; any other decoder shows its registry row's description. */
const PANEL_HELP: Partial<Record<AnalysisDecoder, string>> = {
  threshold: `Pixels with p > t (strict), per class; t is the slider. ${DECODERS_DOC}.`,
  argmax: `Each pixel takes the class with the highest probability (needs a background channel: softmax maps). ${DECODERS_DOC}.`,
  tunedThreshold: `The threshold with the best macro Dice of the sweep on this image's ground truth (an upper bound: tuned on the answer). ${DECODERS_DOC}.`,
  topk: `The k most probable pixels per class (k: the Top-k box, else the threshold's largest per-class k). ${DECODERS_DOC}.`,
  rankdice: `Per class, the top-k set whose expected Dice is largest if every pixel were an independent Bernoulli(p): no threshold and no ground truth needed. ${DECODERS_DOC}; solvers: docs/decoders.md § Solvers.`,
  rankiou: `Like RankDice, maximising the expected IoU. ${DECODERS_DOC}.`,
};

/** What a decoder selects, with the section of docs/decoders.md that defines it. */
export function decoderHelp(d: AnalysisDecoder): string {
  return PANEL_HELP[d] ?? `${decoderDescription(d)} ${DECODERS_DOC}.`;
}

const OVERLAP = 'docs/metrics.md § Overlap metrics';
const SURFACE = 'docs/metrics.md § Surface metrics';
const OBJECTS = 'docs/metrics.md § Object metrics';

/** Tooltips of the metric columns (by their header text). */
export const METRIC_HELP: Record<string, string> = {
  Dice: `2·TP / (2·TP + FP + FN). ${OVERLAP}.`,
  IoU: `TP / (TP + FP + FN). ${OVERLAP}.`,
  Precision: `TP / (TP + FP): how much of the prediction is right. ${OVERLAP}.`,
  Recall: `TP / (TP + FN): how much of the ground truth is found. ${OVERLAP}.`,
  ECE: 'Expected calibration error: the count-weighted gap between confidence and observed frequency over 15 equal-width bins, one-vs-rest. docs/metrics.md § Calibration.',
  'E[Dice]': `Expected Dice if every pixel's label were an independent Bernoulli(p): what the model itself expects, no ground truth needed. docs/decoders.md § The model behind "expected Dice".`,
  'E[IoU]': 'Expected IoU under the same model. docs/decoders.md § The model behind "expected Dice".',
  HD95: `The larger of the two directed 95th percentiles of boundary distances, in pixels (undefined when a side is empty). ${SURFACE}.`,
  ASSD: `Mean of all boundary distances of both directions, in pixels. ${SURFACE}.`,
  NSD: `Normalised surface Dice: the share of boundary pixels (both directions) within the tolerance of the other boundary. ${SURFACE}.`,
  'Objects GT / pred': `8-connected components in the ground truth / in the prediction. ${OBJECTS}.`,
  'matched / missed / spurious': `Objects matched with IoU > 0.5 / ground-truth objects with no match / predicted objects with no match. ${OBJECTS}.`,
  'GT px': 'Pixels of the class in the ground truth.',
  'Pred px': 'Pixels of the class in the prediction.',
  TP: 'True positives: predicted and true.',
  FP: 'False positives: predicted, not true.',
  FN: 'False negatives: true, not predicted.',
  Case: 'Which side is empty, when one is (docs/metrics.md § Empty masks).',
  k: 'Pixels the decoder selects, summed over the foreground classes.',
  Δk: 'k minus the threshold decoder’s k.',
  Decoder: 'Click a name to make it decoder A (drawn on the stage, measured in the Metrics tab).',
};

/** Below this, every pixel a rank decoder keeps is improbable: the map says "almost nothing here". */
const NEARLY_EMPTY = 0.05;

/**
 * Why RankDice or RankIoU selected the pixels it did: the rule, the threshold's count to compare with, and per class
 * the k, the lowest probability kept and the expected score there. Undefined for other decoders.
 */
export function whyRankK(
  v: DecoderView,
  className: (k: number) => string,
  thresholdK: number | undefined,
  maxP?: number,
): string | undefined {
  if ((v.decoder !== 'rankdice' && v.decoder !== 'rankiou') || v.unavailable || !v.perClass.length)
    return undefined;
  const metric = v.decoder === 'rankdice' ? 'Dice' : 'IoU';
  const total = v.perClass.reduce((a, c) => a + c.k, 0);
  const per = v.perClass.map((c) => {
    const expected = v.decoder === 'rankdice' ? c.expectedDice : c.expectedIoU;
    const cut = c.cutoffProb === null ? 'none kept' : `p ≥ ${fmt(c.cutoffProb, 3)}`;
    return `${className(c.cls)} ${c.k} (${cut}, E[${metric}] ${fmt(expected)})`;
  });
  const compare = thresholdK === undefined ? '' : ` (the threshold selects ${thresholdK})`;
  let s =
    `Why k = ${total}${compare}: per class it keeps the most probable pixels and stops where one more pixel ` +
    `would lower the expected ${metric} — ${per.join('; ')}.`;
  if (maxP !== undefined && maxP < NEARLY_EMPTY && total > 0)
    s += ` The most probable pixel has p = ${fmt(maxP, 3)}: the map is nearly empty, and these are only its least unlikely pixels.`;
  return s;
}
