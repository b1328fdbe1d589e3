/**
 * Public API of the decoders (docs/specs/decoders.md). The viewer, the worker pool and the CLI import from here.
 */
export { decode, decodeWithRow } from './decode';
export {
  DECODERS,
  DECODER_NAMES,
  DECODER_CLI_NAMES,
  DECODER_CLI_ALIASES,
  DEFAULT_EXACT_COST_LIMIT,
  RANKSEG_COMPATIBLE,
  cliAliasesOf,
  decoderInfo,
  isDecoderName,
} from './registry';
export type { DecoderInfo } from './registry';
export type { DecoderRow, ViewerContext, ViewerPlan, ViewerEntry, Selector, LabelRule } from './row';
export {
  SOLVER_NAMES,
  OUTPUT_MODES,
  EMPTY_CONVENTIONS,
  UNASSIGNED_POLICIES,
  INPUT_TRANSFORMS,
} from './primitives';
export { expectedScore, expectedScoresOfMask, expectedDiceByK, curveKs } from './expected';
export type * from './types';
