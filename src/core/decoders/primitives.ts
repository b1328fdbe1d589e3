/**
 * The leaf of the decoders' import graph: value types every decoder file shares (docs/specs/decoders.md). A decoder
 * turns a probability map [B, C, ...spatial] into masks, and reports per (image, class) what it chose and the
 * expected Dice/IoU of that choice under independent Bernoulli labels. The public surface is ./types, which adds
 * the names derived from the registry (DecoderName, DecodeOptions, DecodeResult); files that the registry imports
 * take their types from here so that no import cycle runs through it.
 */

/**
 * Solvers of the ranking decoders. `exact` is ours (the package has none); `rma` is the package default;
 * `ba`, `trna` and `ba+trna` run in package-compatibility mode and are Dice only.
 */
export const SOLVER_NAMES = ['exact', 'rma', 'ba', 'trna', 'ba+trna'] as const;
export type SolverName = (typeof SOLVER_NAMES)[number];

/** `multilabel`: one 0/1 mask per class (masks may overlap). `multiclass`: one label per pixel. */
export const OUTPUT_MODES = ['multilabel', 'multiclass'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/**
 * How the empty prediction scores when smooth = 0: `conv0` (the package) counts "both empty" as 0,
 * `conv1` counts it as 1, so the empty mask scores P(Γ = 0).
 */
export const EMPTY_CONVENTIONS = ['conv0', 'conv1'] as const;
export type EmptyConvention = (typeof EMPTY_CONVENTIONS)[number];

/** Multiclass mode: what happens to pixels no class claims. */
export const UNASSIGNED_POLICIES = ['max_score', 'void'] as const;
export type UnassignedPolicy = (typeof UNASSIGNED_POLICIES)[number];

/** Optional conversion of raw model outputs into probabilities, applied only when asked for. */
export const INPUT_TRANSFORMS = ['none', 'sigmoid', 'softmax'] as const;
export type InputTransform = (typeof INPUT_TRANSFORMS)[number];

/** A probability map. Shape is [H, W], [C, H, W] or [B, C, ...spatial] (any number of spatial axes). */
export interface ProbInput {
  data: Float32Array | Float64Array;
  shape: readonly number[];
}

/**
 * Options of `decode` apart from the decoder's name (DecodeOptions in ./types adds it). Every field has a documented
 * default; a decoder's registry row may set its own (e.g. argmax defaults to multiclass output).
 */
export interface DecodeSettings {
  /**
   * Solver of `rankdice` / `rankiou`. When omitted, `exact` is used where its estimated cost fits
   * `exactCostLimit`, otherwise `rma`, and a note says so ('auto' means the same). An explicit `exact` always
   * runs exactly.
   */
  solver?: SolverName | 'auto';
  /** @default 'multilabel' ('multiclass' for argmax) */
  outputMode?: OutputMode;
  /** `threshold`: pixels with p > threshold (strict) are selected. Required by `tunedThreshold`. @default 0.5 */
  threshold?: number;
  /** `topk`: number of pixels selected per (image, class); clamped to the pixel count. Required by `topk`. */
  k?: number;
  /** γ of the smoothed Dice/IoU. @default 0 */
  smooth?: number;
  /**
   * Per (image, class) pruning: an empty mask when max p is at or below it (`rma`, `exact`) or below it
   * (`ba`, `trna`, `ba+trna`), as in the package. 0 or null disables it. @default 0 (off; the package uses 0.5)
   */
  pruningProb?: number | null;
  /** Tail mass cut off by the BA/TRNA truncation window. @default 1e-4 */
  eps?: number;
  /** Multiclass mode only. @default 'max_score' */
  unassignedPolicy?: UnassignedPolicy;
  /** Multiclass mode with unassignedPolicy 'void'. @default 255 */
  voidIndex?: number;
  /** @default 'conv0' */
  emptyConvention?: EmptyConvention;
  /** Convert logits first; otherwise values outside [0, 1] are refused. @default 'none' */
  transform?: InputTransform;
  /** Compute expectedDice / expectedIoU of every returned mask. @default true */
  evaluate?: boolean;
  /**
   * Estimated work (pixels × PMF window) above which an omitted solver falls back from exact to rma.
   * @default 3e8 (about one second on a 2-core machine)
   */
  exactCostLimit?: number;
  /** Polled between images and classes; when it returns true the decoder throws CancelledError. */
  shouldCancel?: () => boolean;
  /** Receives where the time went once decoding is done (`seglens decode --json`, the bench). @default none */
  onTimings?: (t: DecodeTimings) => void;
}

/**
 * Wall time of one decode() in milliseconds: `selectMs` for choosing the masks (input checks, selection, label
 * map), `evaluateMs` for the expected Dice/IoU of what is returned (null when evaluate = false). k and the
 * cutoffs are counted in the evaluation's pass, or in `selectMs` when evaluate = false.
 */
export interface DecodeTimings {
  selectMs: number;
  evaluateMs: number | null;
}

/** What the decoder chose for one (image, class). */
export interface ClassDecode {
  /** Number of pixels selected for this class (label count in multiclass mode). */
  k: number;
  /** The smallest selected probability (the p at rank k for top-k masks); null for an empty mask. */
  cutoffProb: number | null;
  /** Exact E[Dice] of the returned mask under independent Bernoulli labels; null when evaluate = false. */
  expectedDice: number | null;
  /** Exact E[IoU] of the returned mask; null when evaluate = false. */
  expectedIoU: number | null;
  /** True when pruning emptied this class without running the solver. */
  pruned: boolean;
  /** Solver that produced this class's set (rankdice/rankiou only; ba+trna reports 'ba' or 'trna'). */
  solver: SolverName | null;
}

export interface ImageDecode {
  classes: ClassDecode[];
}

/** Multilabel output: data is [B, C, N] in C order (N = product of spatial axes), 0/1. */
export interface MultilabelMask {
  kind: 'multilabel';
  data: Uint8Array;
  /** [B, C, ...spatial] */
  shape: number[];
}

/** Multiclass output: data is [B, N] class indices (or the void index). */
export interface MulticlassMask {
  kind: 'multiclass';
  data: Int32Array;
  /** [B, ...spatial] */
  shape: number[];
}

/** Options of the expected-score evaluators. */
export interface ScoreOptions {
  /** γ. @default 0 */
  smooth?: number;
  /** @default 'conv0' */
  emptyConvention?: EmptyConvention;
}

/** Expected Dice and IoU of one mask for one (image, class). */
export interface ExpectedScore {
  dice: number;
  iou: number;
}
