/**
 * Public API of the decoders (docs/specs/decoders.md). The viewer, the worker pool and the CLI import from here.
 */
export { decode } from './decode';
export { DECODERS, RANKSEG_COMPATIBLE, decoderInfo } from './registry';
export type { DecoderInfo } from './registry';
export { expectedScore, expectedScoresOfMask, expectedDiceByK, curveKs } from './expected';
export type * from './types';
