/**
 * Public API of dataset handling: pairing image / ground-truth / probability / prediction files into samples.
 * Aggregation of per-image metrics lives with the metrics (src/core/metrics: aggregateDataset).
 */
export { pairSamples, DEFAULT_PAIRING_PATTERNS, SAMPLE_ROLES } from './pairing';
export type { Sample, SampleRole, PairingPatterns, PairingResult } from './pairing';
export { compileGlob, matchGlob } from './glob';
export type { CompiledGlob } from './glob';
