/**
 * Types of the analysis the viewer runs for an open sample: what the worker tasks take and return. Plain data
 * (structured-clonable, typed arrays for pixels) so the same objects travel host ↔ worker ↔ webview. The messages
 * that carry them between host and webview are in src/protocol/analysis.ts.
 */
import { DECODERS, type DecoderName, type DecoderRow, type SolverName } from '../decoders';
import type { ImageMetrics, PooledCalibration, SweepBest } from '../metrics';
import type { ChannelLayout } from './probLayout';
import type { SliderMode } from './sliderBudget';

/** The decoders the panel compares (the core's registry names). */
export type AnalysisDecoder = DecoderName;

/** The decoders of `rows` the panel lists and runs, in row order: the rows whose viewer entry is shown. */
export function viewerDecodersOf<N extends string>(rows: readonly DecoderRow<N>[]): N[] {
  return rows.filter((d) => d.viewer?.shown).map((d) => d.name);
}

/** The panel's name of every decoder of `rows`: the row's viewer label, else its label. */
export function viewerLabelsOf<N extends string>(rows: readonly DecoderRow<N>[]): Record<N, string> {
  return Object.fromEntries(rows.map((d) => [d.name, d.viewer?.label ?? d.label])) as Record<N, string>;
}

/** The decoders the panel lists and runs (viewerDecodersOf the registry). */
export const ANALYSIS_DECODERS: readonly AnalysisDecoder[] = viewerDecodersOf(DECODERS);

/**
 * The panel's name of every decoder (pickers, tables; viewerLabelsOf the registry). The webview should take its
 * decoder names from here instead of a map of its own.
 */
export const DECODER_LABELS: Readonly<Record<AnalysisDecoder, string>> = viewerLabelsOf(DECODERS);

/** The panel's name of a decoder (see DECODER_LABELS); the name itself for an unknown one. */
export function decoderLabel(name: string): string {
  return (DECODER_LABELS as Readonly<Record<string, string>>)[name] ?? name;
}

/** The tooltip of a decoder in the panel: the registry row's description ('' for an unknown name). */
export function decoderDescription(name: string): string {
  return DECODERS.find((d) => d.name === name)?.description ?? '';
}

/** The user's choices that change what is computed (persisted with the panel, validated on arrival). */
export interface AnalysisSettings {
  /** Threshold of the `threshold` decoder (p > t). */
  threshold: number;
  /** k of the `topk` decoder; omitted = the threshold's largest per-class k. */
  topK?: number;
  /** Solver of RankDice / RankIoU. */
  solver: 'auto' | 'exact' | 'rma';
  /** How to read values outside [0, 1], given only with the user's consent. */
  logits?: 'sigmoid' | 'softmax';
  /** Resample the probability map to the ground truth's size (only with the user's consent). */
  resize?: boolean;
}

/** The files of one sample as the worker needs them. */
export interface AnalysisFiles {
  probBytes: Uint8Array;
  probSource: string;
  gtBytes?: Uint8Array;
  gtSource?: string;
  maxPixels: number;
}

/** Per foreground class: what a decoder chose and how it scores. */
export interface DecoderClassView {
  cls: number;
  k: number;
  expectedDice: number | null;
  expectedIoU: number | null;
  /** Smallest selected probability (null for an empty mask). */
  cutoffProb: number | null;
}

export interface DecoderView {
  decoder: AnalysisDecoder;
  label: string;
  /** Why the decoder cannot run on this map (then there is no mask). */
  unavailable?: string;
  /** Class label per pixel (row-major, width × height). */
  labels?: Uint8Array | Uint16Array;
  /** The threshold or k it used, when it has one. */
  threshold?: number;
  k?: number;
  solver: SolverName | 'mixed' | null;
  perClass: DecoderClassView[];
  meanExpectedDice: number | null;
  meanExpectedIoU: number | null;
  /** The metric core's IMAGE object of this mask against the ground truth (absent without GT). */
  metrics?: ImageMetrics;
  notes: string[];
  elapsedMs: number;
}

/** What does not depend on the decoder: layout, ranking for the slider, sweep and calibration charts. */
export interface AnalysisBase {
  width: number;
  height: number;
  layout: ChannelLayout;
  /**
   * How the threshold slider works (core/viewmodel/sliderBudget): 'local' sends the ranking below, 'worker' (a
   * map over the budget) leaves it out and the slider asks the host for each mask.
   */
  slider: SliderMode;
  /** Ranking of the pixels by best foreground probability (see core/viewmodel/thresholdIndex); 'local' only. */
  order?: Uint32Array;
  sorted?: Float32Array;
  classOf?: Uint8Array | Uint16Array;
  /**
   * The largest foreground probability of the map. When it does not exceed the threshold no pixel is selected, and
   * the panel says so (with the workspace's loss-lint findings, see the analysis 'explain' event).
   */
  maxProb?: number;
  /** True when the sample has a ground truth the metrics can use (same size, classes covered). */
  hasGt: boolean;
  /**
   * Why a paired ground truth is not used, as a clause ("it has class 2, but …"); absent when it is
   * used or none is paired. The panel says it where the error map and the GT metrics would be.
   */
  gtUnusable?: string;
  /** The probability map and the ground truth differ in size; resizing is offered, never done silently. */
  needsResize?: boolean;
  /** One-vs-rest Dice per threshold (rule p ≥ t) per class present, and the macro curve (needs GT). */
  sweep?: {
    thresholds: number[];
    perClass: Record<string, number[]>;
    macro: number[];
    best: SweepBest;
    classes: number[];
  };
  /** Reliability per foreground class (needs GT). */
  reliability?: Record<string, PooledCalibration>;
  notes: string[];
}

/** Expected Dice of the top-k mask per class, k sampled up to maxK. */
export interface ExpectedCurve {
  ks: number[];
  perClass: Record<string, number[]>;
  maxK: number;
}

/** What the panel shows from the analysis. */
export type AnalysisShow = 'errors' | 'prediction' | 'difference' | 'none';
export const ANALYSIS_SHOWS: readonly AnalysisShow[] = ['errors', 'prediction', 'difference', 'none'];

/** The analysis part of the persisted view options: choices only, never results. */
export interface AnalysisViewState {
  decoderA: AnalysisDecoder;
  decoderB: AnalysisDecoder;
  show: AnalysisShow;
  settings: AnalysisSettings;
  /** Name of the model folder (probs/<model>/) chosen in the panel, when there are several. */
  model?: string;
}

export const DEFAULT_ANALYSIS_VIEW: AnalysisViewState = {
  decoderA: 'threshold',
  decoderB: 'rankdice',
  show: 'errors',
  settings: { threshold: 0.5, solver: 'auto' },
};
