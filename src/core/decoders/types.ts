/**
 * Types shared by every decoder (docs/specs/decoders.md). A decoder turns a probability map [B, C, ...spatial]
 * into masks, and reports per (image, class) what it chose and the expected Dice/IoU of that choice under
 * independent Bernoulli labels.
 */

/** The decoders the UI and the CLI can choose from (see DECODERS in ./registry for labels and defaults). */
export type DecoderName = 'threshold' | 'argmax' | 'topk' | 'tunedThreshold' | 'rankdice' | 'rankiou';

/**
 * Solvers of the ranking decoders. `exact` is ours (the package has none); `rma` is the package default;
 * `ba`, `trna` and `ba+trna` run in package-compatibility mode and are Dice only.
 */
export type SolverName = 'exact' | 'rma' | 'ba' | 'trna' | 'ba+trna';

/** `multilabel`: one 0/1 mask per class (masks may overlap). `multiclass`: one label per pixel. */
export type OutputMode = 'multilabel' | 'multiclass';

/**
 * How the empty prediction scores when smooth = 0: `conv0` (the package) counts "both empty" as 0,
 * `conv1` counts it as 1, so the empty mask scores P(Γ = 0).
 */
export type EmptyConvention = 'conv0' | 'conv1';

/** Multiclass mode: what happens to pixels no class claims. */
export type UnassignedPolicy = 'max_score' | 'void';

/** Optional conversion of raw model outputs into probabilities, applied only when asked for. */
export type InputTransform = 'none' | 'sigmoid' | 'softmax';

/** A probability map. Shape is [H, W], [C, H, W] or [B, C, ...spatial] (any number of spatial axes). */
export interface ProbInput {
  data: Float32Array | Float64Array;
  shape: readonly number[];
}

/** Options of `decode`. Every field except `decoder` has a documented default. */
export interface DecodeOptions {
  decoder: DecoderName;
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

export interface DecodeResult {
  decoder: DecoderName;
  /** Solver actually used (null for non-ranking decoders); 'mixed' when classes used different solvers. */
  solver: SolverName | 'mixed' | null;
  outputMode: OutputMode;
  /** The normalised input shape [B, C, ...spatial]. */
  shape: number[];
  mask: MultilabelMask | MulticlassMask;
  images: ImageDecode[];
  /**
   * Mean expected Dice and IoU over every (image, class) pair ("samplewise" mDice/mIoU: per image and class,
   * then averaged); null when evaluate = false.
   */
  meanExpectedDice: number | null;
  meanExpectedIoU: number | null;
  /** Fallbacks, fixes and conventions worth telling the user about. */
  notes: string[];
  smooth: number;
  emptyConvention: EmptyConvention;
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
