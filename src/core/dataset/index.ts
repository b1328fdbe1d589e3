/**
 * Public API of dataset handling: pairing image / ground-truth / probability / prediction files into samples,
 * either from one opened file by walking its folders (pairFile) or over a list of paths (pairSamples). Both use
 * the rules of roles.ts. Aggregation of per-image metrics lives with the metrics (src/core/metrics).
 */
export { pairSamples, patternsFromRules, DEFAULT_PAIRING_PATTERNS, SAMPLE_ROLES } from './pairing';
export type { Sample, SampleRole, PairingPatterns, PairingResult } from './pairing';
export { pairFile } from './pairFile';
export { pairNnUnetPredictions, pairNnUnetRaw, splitVolumeName, VOLUME_NAME_ENDINGS } from './nnunet';
export type { NnUnetCase, NnUnetLayout, NnUnetPrediction } from './nnunet';
export type { FilePairing, ListDir, PairCandidate } from './pairFile';
export {
  DEFAULT_PAIRING_RULES,
  OPENABLE_EXTENSIONS,
  assignRoles,
  isOpenable,
  looksLikeMask,
  modelFolderOf,
  roleOf,
} from './roles';
export type { AssignedRoles, PairingRules } from './roles';
export { compileGlob, matchGlob } from './glob';
export type { CompiledGlob } from './glob';
