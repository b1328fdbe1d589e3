/**
 * The dataset report of `seglens eval` (folder modes) and `seglens merge`, built from ordered per-image rows alone,
 * so that a merge of shards and a single run give the same object (only the top-level "run" differs). Rows are
 * the JSON form of EvalRow: `{"id", …IMAGE, "meanDice", "expectedDice", "expectedDicePerClass", "flags",
 * "labelErrors"?, "stats"}`.
 */
import type { DecoderName } from '../decoders/types';
import type { MetricsConfig } from '../metrics/config';
import type { DatasetMetrics, ImageMetrics } from '../metrics/types';
import type { LabelErrorCandidate } from './labelErrors';
import type { EvalRow, RowFlag } from './rows';
import { PairedComparison, TunedThreshold, pairedComparison, spearman, tunedThresholds } from './stats';
import { SufficientStats, aggregateRows } from './sufficient';
import { DatasetSummary, datasetSummary, sumConfusion } from './summary';

export type ImageRowJson = { id: string } & ImageMetrics & {
    meanDice: number;
    expectedDice: number;
    expectedDicePerClass: Record<string, number>;
    flags: RowFlag[];
    confusion?: number[];
    labelErrors?: LabelErrorCandidate[];
    stats: SufficientStats;
  };

export interface SkippedSample {
  id: string;
  /** The model (probability folder or ONNX model) whose sample failed. */
  model?: string;
  /** The file the problem is about (relative to the working directory when inside it). */
  path?: string;
  reason: string;
}

export interface UnmatchedEntry {
  path: string;
  reason: string;
}

export interface DecoderSection {
  decoder: DecoderName;
  images: ImageRowJson[];
  /** null when no image could be evaluated. */
  dataset: DatasetMetrics | null;
  /** Per-image mean ± sd / median, pooled Dice, pixel accuracy and the sentence on their gap (null: no image). */
  summary: DatasetSummary | null;
  /** Pixels per (GT class, predicted class) over the set; null above 64 classes or without images. */
  confusion: number[][] | null;
}

export interface DecoderComparison extends PairedComparison {
  /** Per-image mean Dice of decoder a minus that of decoder b ("wins" = a better). */
  a: DecoderName;
  b: DecoderName;
  metric: 'meanDice';
}

export interface ExpectedVsTrue {
  decoder: DecoderName;
  /** Spearman ρ between expected Dice (label-free) and true mean Dice over the images. */
  spearman: number;
  n: number;
}

export interface LabelErrorEntry extends LabelErrorCandidate {
  id: string;
}

export interface FolderReport {
  decoder: DecoderName;
  images: ImageRowJson[];
  dataset: DatasetMetrics | null;
  decoders: DecoderSection[];
  skipped: SkippedSample[];
  unmatched: UnmatchedEntry[];
  comparisons: DecoderComparison[];
  expectedVsTrue: ExpectedVsTrue[];
  /** Dataset-tuned threshold of the first decoder's set: tuned on this set, so optimistic. */
  tunedThresholds: TunedThreshold[];
  /** Best label-error candidates over the set (first decoder's masks), best first, at most 100. */
  labelErrorCandidates: LabelErrorEntry[];
  /** With several models: the models after the first, their sections per decoder. */
  models?: { model: string; decoders: DecoderSection[] }[];
  /** With several models: the first model against each other one, per decoder, on the images both evaluated. */
  modelComparisons?: ModelComparison[];
}

export interface ModelComparison extends PairedComparison {
  /** Per-image mean Dice of model a minus that of model b, with the same decoder ("wins" = a better). */
  a: string;
  b: string;
  decoder: DecoderName;
  metric: 'meanDice';
}

/** The JSON row of an evaluated EvalRow (which must have an image and stats). */
export function rowJson(row: EvalRow): ImageRowJson {
  if (!row.image || !row.stats) throw new Error(`row ${row.id}/${row.decoder} has no metrics`);
  return {
    id: row.id,
    ...row.image,
    meanDice: row.meanDice,
    expectedDice: row.expectedDice,
    expectedDicePerClass: row.expectedDicePerClass,
    flags: row.flags,
    ...(row.confusion ? { confusion: row.confusion } : {}),
    ...(row.labelErrors ? { labelErrors: row.labelErrors } : {}),
    stats: row.stats,
  };
}

/** Ids compare by UTF-16 code units, the order of the plan and of the shards. */
export const byId = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Pairs of values of two row lists joined on the image id (rows in id order; ids missing on a side left out). */
function joinOnId(a: readonly ImageRowJson[], b: readonly ImageRowJson[]): { x: number[]; y: number[] } {
  const other = new Map(b.map((r) => [r.id, r.meanDice]));
  const x: number[] = [];
  const y: number[] = [];
  for (const r of a) {
    const v = other.get(r.id);
    if (v === undefined) continue;
    x.push(r.meanDice);
    y.push(v);
  }
  return { x, y };
}

/** The sections of one model: per decoder its rows, DATASET, summary and confusion. */
function modelSections(
  decoders: readonly DecoderName[],
  rows: ReadonlyMap<DecoderName, ImageRowJson[]> | undefined,
  config: MetricsConfig,
): DecoderSection[] {
  return decoders.map((decoder) => {
    const images = rows?.get(decoder) ?? [];
    const dataset = images.length
      ? aggregateRows(
          images.map((image) => ({ image, stats: image.stats })),
          config,
        )
      : null;
    return {
      decoder,
      images,
      dataset,
      summary: dataset ? datasetSummary(images, dataset) : null,
      confusion: sumConfusion(images),
    };
  });
}

/**
 * Builds the report from rows per model and decoder (each list in id order). The first model's sections are the
 * top level (as with one model); further models go under "models", compared with the first per decoder under
 * "modelComparisons".
 */
export function buildFolderReport(input: {
  models: readonly string[];
  decoders: readonly DecoderName[];
  rows: ReadonlyMap<string, ReadonlyMap<DecoderName, ImageRowJson[]>>;
  skipped: readonly SkippedSample[];
  unmatched: readonly UnmatchedEntry[];
  config: MetricsConfig;
}): FolderReport {
  const [primary, ...others] = input.models;
  const sections = modelSections(input.decoders, input.rows.get(primary), input.config);
  const first = sections[0];
  const comparisons: DecoderComparison[] = sections.slice(1).map((s) => {
    const { x, y } = joinOnId(first.images, s.images);
    return { a: first.decoder, b: s.decoder, metric: 'meanDice', ...pairedComparison(x, y) };
  });
  const expectedVsTrue = sections.map((s) => {
    const r = spearman(
      s.images.map((x) => x.expectedDice),
      s.images.map((x) => x.meanDice),
    );
    return { decoder: s.decoder, spearman: r.rho, n: r.n };
  });
  const candidates: LabelErrorEntry[] = first.images
    .flatMap((r) => (r.labelErrors ?? []).map((c) => ({ id: r.id, ...c })))
    .sort((a, b) => b.score - a.score || b.pixels - a.pixels || byId(a, b) || a.class - b.class)
    .slice(0, 100);
  const report: FolderReport = {
    decoder: first.decoder,
    images: first.images,
    dataset: first.dataset,
    decoders: sections,
    skipped: [...input.skipped].sort(
      (a, b) =>
        byId(a, b) ||
        ((a.model ?? '') < (b.model ?? '') ? -1 : (a.model ?? '') > (b.model ?? '') ? 1 : 0) ||
        ((a.path ?? '') < (b.path ?? '') ? -1 : 1),
    ),
    unmatched: [...input.unmatched].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    comparisons,
    expectedVsTrue,
    tunedThresholds: first.dataset ? tunedThresholds(first.dataset) : [],
    labelErrorCandidates: candidates,
  };
  if (others.length) {
    const models = others.map((model) => ({
      model,
      decoders: modelSections(input.decoders, input.rows.get(model), input.config),
    }));
    report.models = models;
    report.modelComparisons = models.flatMap((m) =>
      m.decoders.map((s, d) => {
        const { x, y } = joinOnId(sections[d].images, s.images);
        return {
          a: primary,
          b: m.model,
          decoder: s.decoder,
          metric: 'meanDice' as const,
          ...pairedComparison(x, y),
        };
      }),
    );
  }
  return report;
}
