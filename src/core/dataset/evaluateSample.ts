/**
 * Evaluation of one sample (ground truth and probability map already loaded) with several decoders: per decoder
 * its label map, IMAGE metrics with sufficient statistics, expected Dice, and for the first decoder the
 * label-error candidates. Decoder-independent parts (calibration, sweep) are computed once and shared. Pure core:
 * the worker task (src/node/dataset) reads the files and calls this.
 */
import { decode } from '../decoders/decode';
import { decoderInfo } from '../decoders/registry';
import type { DecoderName, SolverName } from '../decoders/types';
import { classChannel } from '../metrics/channels';
import { MetricsConfig, includedClasses } from '../metrics/config';
import { computeImageMetrics } from '../metrics/imageMetrics';
import { aggregationDataOf, withAggregationData } from '../metrics/aggregationData';
import type { ImageMetrics } from '../metrics/types';
import type { LabelMap, ProbMap } from '../types';
import { resolveIgnore } from '../metrics/validate';
import { SharedGtWork, unionClassBoxes } from '../metrics/sharedGt';
import { labelErrorCandidates } from './labelErrors';
import type { ErrorThumbnail, EvalRow, RowFlag } from './rows';
import { toSufficientStats } from './sufficient';
import { confusionCounts } from './summary';

/** Index the decoder gives pixels no class claims (then background), above any channel index. */
const VOID = 65535;

/**
 * Turns a probability map into a label map with one of the core decoders, the way the viewer's analysis does
 * (src/node/analysis/analysisTasks.ts), so a row's numbers are the ones the viewer shows for that sample:
 * - one channel (binary): the 0/1 mask;
 * - argmax of a softmax map (C = numClasses): every channel, one label per pixel;
 * - otherwise the foreground channels only (a softmax map's background channel is dropped), decoded in multiclass
 *   mode: a pixel no class selects is background (void), a pixel several select goes to the highest score.
 * Also returns the decoder's expected Dice per channel of the input map (null for a dropped channel).
 */
export function decodeToLabels(
  prob: ProbMap,
  decoder: DecoderName,
  config: MetricsConfig,
  solver?: SolverName | 'auto',
): { labels: LabelMap; expectedDice: (number | null)[]; solver: SolverName | 'mixed' | null } {
  const C = prob.shape[0];
  const spatial = prob.shape.slice(1);
  const n = prob.data.length / C;
  // A decoder that has solvers (the registry row says so) takes the run's solver choice.
  const ranking = (decoderInfo(decoder)?.solvers.length ?? 0) > 0;
  const extra = solver && ranking ? { solver } : {};
  // Always [1, C, …spatial]: the decoders read a rank-4 shape as [B, C, H, W], so a volume's [C, D, H, W] must say
  // that it is one image.
  const one = (p: ProbMap): ProbMap => ({ data: p.data, shape: [1, ...p.shape] });
  if (C === 1) {
    const r = decode(one(prob), { decoder, outputMode: 'multilabel', ...extra });
    return {
      labels: { data: r.mask.data.subarray(0, n) as Uint8Array, shape: spatial },
      expectedDice: r.images[0].classes.map((c) => c.expectedDice),
      solver: r.solver,
    };
  }
  const softmax = C === config.numClasses;
  // Class of each channel: a softmax map's channel c is class c; a foreground-only map skips the background.
  const classOf = Array.from({ length: C }, (_, c) => (softmax || c < config.backgroundIndex ? c : c + 1));
  const withBackground = softmax && decoder === 'argmax';
  const channels = withBackground
    ? classOf.map((_, c) => c)
    : classOf.flatMap((k, c) => (k === config.backgroundIndex ? [] : [c]));
  const input =
    channels.length === C
      ? prob
      : {
          data: (() => {
            const d = new Float32Array(channels.length * n);
            channels.forEach((c, j) => d.set(prob.data.subarray(c * n, (c + 1) * n), j * n));
            return d;
          })(),
          shape: [channels.length, ...spatial],
        };
  const r = decode(one(input), {
    decoder,
    outputMode: 'multiclass',
    unassignedPolicy: withBackground ? 'max_score' : 'void',
    voidIndex: VOID,
    ...extra,
  });
  const out = r.mask.data;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = out[i];
    labels[i] = v === VOID ? config.backgroundIndex : classOf[channels[v]];
  }
  const expectedDice = new Array<number | null>(C).fill(null);
  channels.forEach((c, j) => (expectedDice[c] = r.images[0].classes[j].expectedDice));
  return { labels: { data: labels, shape: spatial }, expectedDice, solver: r.solver };
}

export interface SampleEvalOptions {
  id: string;
  model: string;
  decoders: readonly DecoderName[];
  config: MetricsConfig;
  files: EvalRow['files'];
  /** Solver of the ranking decoders (see decoders/types SolverName). @default the decoder's own default ('auto') */
  solver?: SolverName | 'auto';
  /** Compute label-error candidates for the first decoder. @default true */
  labelErrors?: boolean;
  /** Longest side of the error-map thumbnail; 0 = none. @default 0 */
  thumbnail?: number;
  /** Flags known before evaluation (e.g. logits-converted). */
  flags?: RowFlag[];
  /** Spacing per array axis. */
  spacing?: readonly number[];
}

function meanOf(values: number[]): number {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length ? ok.reduce((s, v) => s + v, 0) / ok.length : NaN;
}

/** Nearest-sample error thumbnail of a 2-D sample (undefined for other dimensions). */
export function errorThumbnail(
  gt: LabelMap,
  pred: LabelMap,
  background: number,
  maxSide: number,
): ErrorThumbnail | undefined {
  if (gt.shape.length !== 2 || maxSide <= 0) return undefined;
  const [H, W] = gt.shape;
  const s = Math.min(1, maxSide / Math.max(H, W));
  const height = Math.max(1, Math.round(H * s));
  const width = Math.max(1, Math.round(W * s));
  const codes = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(H - 1, Math.floor(((y + 0.5) * H) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(W - 1, Math.floor(((x + 0.5) * W) / width));
      const g = gt.data[sy * W + sx];
      const p = pred.data[sy * W + sx];
      codes[y * width + x] = g === p ? (g === background ? 0 : 1) : p !== background ? 2 : 3;
    }
  }
  return { width, height, codes };
}

/**
 * 1 at each class below K that occurs in `labels`. Its own function so that V8 optimises this pixel loop alone:
 * inside evaluateSample it compiled the whole function mid-loop and then threw that code away on every sample.
 */
function classesPresent(labels: LabelMap['data'], K: number): Uint8Array {
  const has = new Uint8Array(Math.max(K, 1));
  // Stops once every class is seen (a binary mask with any foreground, at its first foreground pixel).
  let missing = K;
  for (let i = 0; i < labels.length && missing > 0; i++) {
    const v = labels[i];
    if (v < K && has[v] === 0) {
      has[v] = 1;
      missing--;
    }
  }
  return has;
}

/**
 * One row per decoder, in the order given. Throws (InputError) when the sample cannot be evaluated at all (e.g.
 * a GT of another shape than the map): the caller turns that into error rows.
 */
export function evaluateSample(gt: LabelMap | undefined, prob: ProbMap, o: SampleEvalOptions): EvalRow[] {
  const config = o.config;
  const K = config.numClasses;
  const classes = includedClasses(config);
  const flags: RowFlag[] = [...(o.flags ?? [])];
  if (!gt) flags.push('no-gt');
  else {
    const gtHas = classesPresent(gt.data, K);
    if (!classes.some((c) => gtHas[c])) flags.push('empty-gt');
  }
  const rows: EvalRow[] = [];
  let first: ImageMetrics | undefined;
  const decoded = o.decoders.map((decoder) => decodeToLabels(prob, decoder, config, o.solver));
  // Every decoder is scored against the same GT: its crops, surfaces, distance transforms and components are
  // computed once, in boxes that hold the class in the GT and in every decoder's labels (same numbers).
  let shared: SharedGtWork | undefined;
  if (gt && decoded.length > 1 && decoded.every((d) => d.labels.data.length === gt.data.length)) {
    const own = new Map<LabelMap['data'], ReturnType<typeof unionClassBoxes>>();
    const preds = decoded.map((d) => d.labels.data);
    shared = new SharedGtWork(unionClassBoxes(gt.data, preds, gt.shape, K, (p, b) => own.set(p, b)));
    for (const [p, b] of own) shared.rememberBoxes(p, b);
  }
  // decodeToLabels gives labels in [0, numClasses) by construction: the metrics need not check their range.
  const predInRange = true;
  o.decoders.forEach((decoder, di) => {
    const d = decoded[di];
    const perClass: Record<string, number> = {};
    for (const c of classes) {
      const ch = classChannel(prob.shape[0], c, K, config.backgroundIndex);
      const v = ch ? d.expectedDice[ch.channel] : null;
      // A one-channel binary map's background (complement channel) has no decoder score of its own.
      if (ch && !ch.complement && v !== null && v !== undefined) perClass[String(c)] = v;
    }
    const row: EvalRow = {
      id: o.id,
      model: o.model,
      decoder,
      meanDice: NaN,
      expectedDice: meanOf(Object.values(perClass)),
      expectedDicePerClass: perClass,
      solver: d.solver,
      flags: [...flags],
      files: o.files,
    };
    if (gt) {
      const sources = { gt: o.files.gt, pred: `${decoder}(${o.files.prob ?? o.model})`, prob: o.files.prob };
      let image: ImageMetrics;
      if (!first) {
        image = computeImageMetrics(gt, d.labels, {
          prob,
          config,
          spacing: o.spacing,
          sources,
          shared,
          predInRange,
        });
        first = image;
      } else {
        // Calibration and the sweep depend on the map and the GT only: computed once, shared by every decoder.
        image = computeImageMetrics(gt, d.labels, {
          config,
          spacing: o.spacing,
          sources,
          shared,
          predInRange,
        });
        const agg = aggregationDataOf(image);
        const firstAgg = aggregationDataOf(first);
        if (first.calibration) image.calibration = first.calibration;
        if (agg && firstAgg) {
          withAggregationData(image, { ...agg, calibration: firstAgg.calibration, sweep: firstAgg.sweep });
        }
      }
      row.image = image;
      row.stats = toSufficientStats(
        aggregationDataOf(image) as NonNullable<ReturnType<typeof aggregationDataOf>>,
      );
      // THE macro Dice of docs/metrics.md (classes present in the ground truth or the prediction), the number the
      // viewer shows for the same sample: one definition per name across the viewer, the dataset view and the CLI.
      row.meanDice = image.macroPresentClasses.metrics.dice.value;
      // The metrics' pixel-count pass formed the same matrix (K ≤ 64); count it here only when it did not.
      const formed = aggregationDataOf(image)?.confusion;
      const confusion = formed
        ? Array.from(formed)
        : confusionCounts(gt.data, d.labels.data, K, resolveIgnore(config, gt));
      if (confusion) row.confusion = confusion;
      if (di === 0 && o.labelErrors !== false) {
        row.labelErrors = labelErrorCandidates(gt, d.labels, prob, {
          classes,
          config,
          ignoreIndex: resolveIgnore(config, gt),
        });
      }
      const thumb = errorThumbnail(gt, d.labels, config.backgroundIndex, o.thumbnail ?? 0);
      if (thumb) row.thumbnail = thumb;
    }
    rows.push(row);
  });
  return rows;
}
