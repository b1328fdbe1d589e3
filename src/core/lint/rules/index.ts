/**
 * The rule registry, in the catalog's rollout order. Add a rule by creating `LLxxx_<name>.ts` next to this file
 * (exporting `info` and `rule`), its page `docs/rules/LLxxx.md`, fixtures `test/fixtures/lint/LLxxx_bad.py` and
 * `LLxxx_good.py`, and one line below; the registry tests check the rest.
 */
import type { Rule } from '../rule';
import type { RuleInfo } from '../types';
import { rule as LL101 } from './LL101_overlapReducedOverWrongAxes';
import { rule as LL102 } from './LL102_overlapPooledOverBatch';
import { rule as LL103 } from './LL103_overlapPooledOverClasses';
import { rule as LL104 } from './LL104_inconsistentReductionsBetweenTerms';
import { rule as LL105 } from './LL105_spatialReductionMissesDim';
import { rule as LL106 } from './LL106_channelAxisLayoutMismatch';
import { rule as LL107 } from './LL107_reshapeMixesChannelAndSpace';
import { rule as LL108 } from './LL108_reduceDimOutOfRange';
import { rule as LL109 } from './LL109_meanReducedTermsWithLargeSmooth';
import { rule as LL201 } from './LL201_hardThresholdInLoss';
import { rule as LL202 } from './LL202_doubleActivation';
import { rule as LL203 } from './LL203_logitsIntoProbabilityLoss';
import { rule as LL204 } from './LL204_softmaxOverWrongAxis';
import { rule as LL205 } from './LL205_softmaxOverSingletonChannel';
import { rule as LL206 } from './LL206_classIdMetricFedProbabilities';
import { rule as LL301 } from './LL301_unguardedOverlapDivision';
import { rule as LL302 } from './LL302_smoothingMisplaced';
import { rule as LL303 } from './LL303_oversizedSmoothing';
import { rule as LL304 } from './LL304_unguardedLog';
import { rule as LL305 } from './LL305_epsilonBelowFloat32Resolution';
import { rule as LL306 } from './LL306_fractionalPowerAtZero';
import { rule as LL401 } from './LL401_integerMaskNotCast';
import { rule as LL402 } from './LL402_ignoreIndexIntoOneHot';
import { rule as LL501 } from './LL501_coefficientLossConfusion';
import { rule as LL502 } from './LL502_backgroundInMulticlassDice';
import { rule as LL503 } from './LL503_absentClassAveraging';
import { rule as LL504 } from './LL504_squareOrAbsInconsistency';
import { rule as LL505 } from './LL505_classWeightingErrors';
import { rule as LL506 } from './LL506_tverskyFpFnSwapped';
import { rule as LL507 } from './LL507_focalFormulaErrors';
import { rule as LL508 } from './LL508_crossentropyArgumentOrder';
import { rule as LL509 } from './LL509_predictionUnusedInTerm';
import { rule as LL601 } from './LL601_graphBreakInLoss';
import { rule as LL602 } from './LL602_shapeBroadcastMismatch';

/**
 * Rollout order of the catalog (§8): LL101 first; then rules precise with syntax and local data flow; then the
 * axis-engine rules; then those needing role or cross-function inference; then the remaining ones.
 */
export const ALL_RULES: readonly Rule[] = [
  LL101,
  LL201,
  LL202,
  LL204,
  LL301,
  LL302,
  LL303,
  LL304,
  LL305,
  LL507,
  LL509,
  LL108,
  LL102,
  LL103,
  LL104,
  LL105,
  LL107,
  LL109,
  LL602,
  LL203,
  LL206,
  LL501,
  LL506,
  LL106,
  LL401,
  LL502,
  LL503,
  LL504,
  LL306,
  LL205,
  LL402,
  LL505,
  LL508,
  LL601,
];

/** Public registry: id, name, default severity, docs path, summary. */
export const RULES: readonly RuleInfo[] = ALL_RULES.map((r) => r.info);
