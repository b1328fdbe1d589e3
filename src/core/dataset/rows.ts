/**
 * The per-image rows of dataset evaluation, shared by the engine (src/node/dataset), `seglens eval` / `seglens
 * merge` and the dataset view. One row = one (image, model, decoder). Rows are plain structured-clonable objects;
 * their JSON form is what `seglens eval --json` writes under "images" (plus the row fields listed there).
 */
import type { DecoderName, SolverName } from '../decoders/types';
import type { ImageMetrics } from '../metrics/types';
import type { LabelErrorCandidate } from './labelErrors';
import type { SufficientStats } from './sufficient';

/** Flags a row may carry (shown as chips in the view). */
export type RowFlag =
  /** The ground truth has no pixel of any included class. */
  | 'empty-gt'
  /** No ground truth for this image: only expected (label-free) scores. */
  | 'no-gt'
  /** The map held logits and was converted (sigmoid or softmax) as asked. */
  | 'logits-converted'
  /** The sample failed; see `error`. */
  | 'skipped';

/** A small error map of the row's decoder: one code per pixel, rows of `width`. */
export interface ErrorThumbnail {
  width: number;
  height: number;
  /** 0 = correct background, 1 = correct foreground, 2 = false positive (predicted where GT differs), 3 = missed. */
  codes: Uint8Array;
}

export interface EvalRow {
  /** The sample id (its stem, with sub-folders: "case1/a"). */
  id: string;
  /** The model (probability folder name, or the ONNX model's name). */
  model: string;
  decoder: DecoderName;
  /**
   * The IMAGE object of the metric spec (absent without a ground truth, or on error). Its dataset aggregation
   * data is not attached (structured clone and JSON drop it): use `stats` (see core/dataset/sufficient.ts).
   */
  image?: ImageMetrics;
  /** Sufficient statistics of the image for dataset aggregation and shard merging. */
  stats?: SufficientStats;
  /**
   * Mean Dice over the included classes (both-empty classes count as the config's bothEmpty value); the sort key
   * of "worst first". NaN without a ground truth or on error.
   */
  meanDice: number;
  /** Exact expected Dice of this decoder's mask under the map (mean over included classes with a channel). */
  expectedDice: number;
  /** Expected Dice per included class (by class index as a string). */
  expectedDicePerClass: Record<string, number>;
  /** Solver of a ranking decoder ('mixed' when classes differed), null otherwise. */
  solver: SolverName | 'mixed' | null;
  flags: RowFlag[];
  /**
   * Pixels per (GT class, predicted class), row-major numClasses × numClasses (ignored pixels left out); absent
   * without GT or above 64 classes. Summed over rows it is the dataset's class confusion matrix.
   */
  confusion?: number[];
  /** Best label-error candidate region per class, best first (first decoder of a sample only; needs GT). */
  labelErrors?: LabelErrorCandidate[];
  /** Error-map thumbnail (only when asked for). */
  thumbnail?: ErrorThumbnail;
  /** Why the sample failed (then every metric is absent or NaN); the run goes on. */
  error?: string;
  /** The files the row was computed from. */
  files: { image?: string; gt?: string; prob?: string };
}
