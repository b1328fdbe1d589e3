/**
 * The decoders' public types (docs/specs/decoders.md): the shared value types of ./primitives, plus the names the
 * registry defines. `DecoderName` is not written here: it is the union of the `name`s of the rows in ./registry, so
 * adding a row adds the name.
 */
import type { DecoderName } from './registry';
import type {
  DecodeSettings,
  EmptyConvention,
  ImageDecode,
  MulticlassMask,
  MultilabelMask,
  OutputMode,
  SolverName,
} from './primitives';

export * from './primitives';
export type { DecoderName };

/** Options of `decode`. Every field except `decoder` has a documented default (see DecodeSettings). */
export interface DecodeOptions extends DecodeSettings {
  decoder: DecoderName;
}

/** What decode() returns (`N`: the decoder's name; a registry name unless a test runs a row of its own). */
export interface DecodeResult<N extends string = DecoderName> {
  decoder: N;
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
