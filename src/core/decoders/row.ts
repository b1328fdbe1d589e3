/**
 * What one row of the decoder registry (./registry) holds, and the contract of the function that selects a
 * decoder's masks. Adding a decoder = one selector file (see ./selectors) + one row; everything else — the
 * `DecoderName` union, the CLI's names and usage, the viewer's list, labels and task dispatch — is derived.
 */
import type { DecodeSettings, EmptyConvention, SolverName, UnassignedPolicy } from './primitives';

/** Options that a decoder cannot run without (e.g. k for topk). */
export type RequiredOption = 'threshold' | 'k';

/** Defaults applied by decode() for omitted options (the row's, over the common ones). */
export type DecoderDefaults = Readonly<Omit<DecodeSettings, 'solver' | 'shouldCancel' | 'onTimings'>>;

/** decode()'s options after validation and defaults: what a selector reads. */
export interface ResolvedOptions {
  /** The requested solver; undefined = automatic (exact where cheap enough, else rma). Ranking decoders only. */
  solver: SolverName | undefined;
  threshold: number;
  k: number;
  smooth: number;
  /** 0 = off. */
  pruningProb: number;
  eps: number;
  emptyConvention: EmptyConvention;
  /** exactCostLimit. */
  costLimit: number;
}

/** The normalised probability map [B, C, N] a selector reads and the zeroed [B, C, N] 0/1 masks it writes. */
export interface SelectionInput {
  data: Float32Array | Float64Array;
  batch: number;
  classes: number;
  pixels: number;
  masks: Uint8Array;
  /** Throws CancelledError when the caller cancelled; call it between images and classes. */
  checkCancel(): void;
}

/** What a selector reports for one (image, class), besides the mask bits it set. */
export interface ClassSelection {
  /** Pruning emptied this class without running the solver. */
  pruned: boolean;
  /** Solver that produced this class's set (ranking decoders only). */
  solver: SolverName | null;
  /** The class takes part in resolving multiclass labels (false when pruned or all zero). */
  active: boolean;
}

/** A selector's report: per [image][class], plus tallies decode() turns into notes. */
export interface Selection {
  classes: ClassSelection[][];
  /** (image, class) pairs emptied by pruning. */
  pruned: number;
  /** (image, class) pairs whose probabilities are all zero (the ranking decoders return an empty mask). */
  allZero: number;
  /** Notes on automatic choices, e.g. an exact solver that fell back to rma; deduplicated by decode(). */
  fallbacks: string[];
}

/**
 * How per-class masks become one label per pixel in multiclass mode (./labelMap):
 * - `onehot`: the masks are already one-hot (argmax); the label is the selected class;
 * - `probability`: the most probable of the classes that selected the pixel; unclaimed pixels by the policy;
 * - `dice` / `iou`: the package's RMA rule for overlapping ranked sets (only active classes can win).
 */
export type LabelRule = 'onehot' | 'probability' | 'dice' | 'iou';

/** The function that selects a decoder's masks, and how its masks become labels. */
export interface Selector {
  select(x: SelectionInput, o: ResolvedOptions): Selection;
  labels: LabelRule;
}

/** What the analysis panel knows when it runs a decoder on the open sample. */
export interface ViewerContext {
  /** The panel's threshold slider. */
  threshold: number;
  /** The threshold tuned on the sample's ground truth (best macro Dice of the sweep); absent without one. */
  tuned?: number;
  /** The panel's k; undefined = `defaultTopK()`. */
  topK?: number;
  /** The panel's solver choice for the ranking decoders. */
  solver: 'auto' | 'exact' | 'rma';
  /** How the map's channels read (core/viewmodel/probLayout). */
  layout: 'binary' | 'softmax' | 'foreground';
  /** The threshold decoder's largest per-class k at the panel's threshold (computed only when asked). */
  defaultTopK(): number;
}

/** How the panel runs a decoder on one sample, or why it cannot. */
export type ViewerPlan =
  | { unavailable: string }
  | {
      /** Options for decode() on top of the panel's fixed ones (multiclass output, void = background). */
      options: DecodeSettings;
      /** Row label for this run (e.g. "Threshold 0.5"); the registry label when omitted. */
      label?: string;
      /** The threshold / k the decoder used, shown in the panel. */
      threshold?: number;
      k?: number;
      notes?: string[];
      /** Decode every channel, background included (argmax on a softmax map); otherwise the foreground ones. */
      withBackground?: boolean;
    };

/** The decoder's entry in the analysis panel. */
export interface ViewerEntry {
  /** Listed and run by the panel by default. */
  shown: boolean;
  /** The panel's name for it (pickers, tables) when it differs from the row's label. @default the row's label */
  label?: string;
  plan(v: ViewerContext): ViewerPlan;
}

/** One registry row. `name` is the identifier of options, JSON output and persisted panel state. */
export interface DecoderRow<N extends string = string> {
  name: N;
  /** Short label for pickers and tables. */
  label: string;
  /** One or two sentences for tooltips and docs. */
  description: string;
  /** The name `seglens decode --decoder` shows in its usage (the registry name is always accepted too). */
  cliName: string;
  /** Further names the CLI accepts. */
  cliAliases: readonly string[];
  /** Solvers the decoder accepts (empty for non-ranking decoders); the first is the default. */
  solvers: readonly (SolverName | 'auto')[];
  /** Options that must be given (e.g. k for topk). */
  requires: readonly RequiredOption[];
  /** Defaults applied by decode() for omitted options. */
  defaults: DecoderDefaults;
  /** How the analysis panel runs it; null = not in the panel. */
  viewer: ViewerEntry | null;
  selector: Selector;
}

/** Multiclass-mode options the label map needs (resolved). */
export interface LabelOptions {
  smooth: number;
  unassignedPolicy: UnassignedPolicy;
  voidIndex: number;
}
