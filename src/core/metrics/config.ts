/**
 * Metric configuration (docs/specs/metrics.md §0.4). The keys and defaults are those of the public fixtures'
 * `defaultConfig`; `seglens metrics --config` and `seglens eval --config` accept exactly these keys.
 */
import { OptionError } from '../errors';

/** What a both-empty (image, class) pair scores: the metric's best value, or undefined (NaN). */
export type BothEmptyPolicy = 'best' | 'nan';

export interface MetricsConfig {
  /** Classes 0 … numClasses−1. @default 2 */
  numClasses: number;
  /** The background class. @default 0 */
  backgroundIndex: number;
  /** Report the background class like the others. @default false */
  includeBackground: boolean;
  /** Value of a both-empty case (spec §2.3, §8). @default "best" */
  bothEmpty: BothEmptyPolicy;
  /** β values reported for F-β (keys are their shortest decimal form). @default [0.5, 2] */
  fBetas: readonly number[];
  /** Percentile of the robust Hausdorff distance. @default 95 */
  hdPercentile: number;
  /** τ of the normalised surface Dice, in physical units. @default 1 */
  nsdTolerance: number;
  /** Boundary-IoU band width as a fraction of the physical image diagonal. @default 0.02 */
  boundaryIouDilationRatio: number;
  /**
   * Object connectivity: 4 or 8 in 2-D, 6/18/26 in 3-D; names the default object view. On 3-D maps 4 and 8 mean
   * the same neighbourhood kinds, 6 and 26 (so the default 8 is the spec's 3-D default 26). @default 8
   */
  connectivity: number;
  /** A GT/predicted object pair matches when IoU is strictly greater than this. @default 0.5 */
  matchIouThreshold: number;
  /** Object matching method; only "greedy" in v1. @default "greedy" */
  matchMethod: 'greedy';
  /** Pixel-count edges of the object size bins, increasing. @default [10, 100, 1000] */
  objectSizeBins: readonly number[];
  /** Number of equal-width calibration bins. @default 15 */
  eceBins: number;
  /** Threshold sweep resolution: thresholds k / sweepSteps. @default 100 */
  sweepSteps: number;
  /**
   * "Don't care" label of the ground truth: its pixels leave the image for every metric (spec §0.4 reserves the
   * key). Undefined = the label map's own ignoreIndex (255 for multi-class masks read by the loaders); null = none.
   * Not part of the defaults object, so the fixtures' configs and ours stay identical.
   */
  ignoreIndex?: number | null;
}

/** The defaults of docs/specs/metrics.md §0.4 (frozen; use resolveMetricsConfig to derive a configuration). */
export const defaultMetricsConfig: Readonly<MetricsConfig> = Object.freeze({
  numClasses: 2,
  backgroundIndex: 0,
  includeBackground: false,
  bothEmpty: 'best',
  fBetas: [0.5, 2],
  hdPercentile: 95,
  nsdTolerance: 1,
  boundaryIouDilationRatio: 0.02,
  connectivity: 8,
  matchIouThreshold: 0.5,
  matchMethod: 'greedy',
  objectSizeBins: [10, 100, 1000],
  eceBins: 15,
  sweepSteps: 100,
} satisfies MetricsConfig);

const KEYS = new Set([...Object.keys(defaultMetricsConfig), 'ignoreIndex']);

function isInt(x: unknown, min: number, max = Number.MAX_SAFE_INTEGER): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/**
 * Merges a partial configuration over the defaults and validates every key. Unknown keys are rejected, so a
 * misspelt option in a config file never passes silently.
 * @throws OptionError naming the offending key and value.
 */
export function resolveMetricsConfig(
  partial: Partial<MetricsConfig> | Record<string, unknown> = {},
): MetricsConfig {
  for (const key of Object.keys(partial)) {
    if (!KEYS.has(key))
      throw new OptionError(key, (partial as Record<string, unknown>)[key], `one of ${[...KEYS].join(', ')}`);
  }
  const c = { ...defaultMetricsConfig, ...(partial as Partial<MetricsConfig>) };
  if (!isInt(c.numClasses, 1, 65536))
    throw new OptionError('numClasses', c.numClasses, 'an integer from 1 to 65,536');
  if (!isInt(c.backgroundIndex, 0, c.numClasses - 1)) {
    throw new OptionError('backgroundIndex', c.backgroundIndex, `an integer in [0, ${c.numClasses - 1}]`);
  }
  if (typeof c.includeBackground !== 'boolean')
    throw new OptionError('includeBackground', c.includeBackground, 'true or false');
  if (c.bothEmpty !== 'best' && c.bothEmpty !== 'nan')
    throw new OptionError('bothEmpty', c.bothEmpty, '"best" or "nan"');
  if (!Array.isArray(c.fBetas) || !c.fBetas.every((b) => isFiniteNumber(b) && b > 0)) {
    throw new OptionError('fBetas', c.fBetas, 'a list of positive numbers');
  }
  if (!isFiniteNumber(c.hdPercentile) || c.hdPercentile < 0 || c.hdPercentile > 100) {
    throw new OptionError('hdPercentile', c.hdPercentile, 'a number in [0, 100]');
  }
  if (!isFiniteNumber(c.nsdTolerance) || c.nsdTolerance < 0)
    throw new OptionError('nsdTolerance', c.nsdTolerance, 'a number ≥ 0');
  if (!isFiniteNumber(c.boundaryIouDilationRatio) || c.boundaryIouDilationRatio < 0) {
    throw new OptionError('boundaryIouDilationRatio', c.boundaryIouDilationRatio, 'a number ≥ 0');
  }
  if (![4, 8, 6, 18, 26].includes(c.connectivity))
    throw new OptionError('connectivity', c.connectivity, '4 or 8 (2-D), 6, 18 or 26 (3-D)');
  if (!isFiniteNumber(c.matchIouThreshold) || c.matchIouThreshold < 0 || c.matchIouThreshold >= 1) {
    throw new OptionError('matchIouThreshold', c.matchIouThreshold, 'a number in [0, 1)');
  }
  if (c.matchMethod !== 'greedy')
    throw new OptionError('matchMethod', c.matchMethod, '"greedy" (the only method in v1)');
  if (
    !Array.isArray(c.objectSizeBins) ||
    !c.objectSizeBins.every((e, i) => isInt(e, 2) && (i === 0 || e > c.objectSizeBins[i - 1]))
  ) {
    throw new OptionError('objectSizeBins', c.objectSizeBins, 'increasing integers ≥ 2');
  }
  if (!isInt(c.eceBins, 1, 100000)) throw new OptionError('eceBins', c.eceBins, 'an integer in [1, 100000]');
  if (!isInt(c.sweepSteps, 1, 100000))
    throw new OptionError('sweepSteps', c.sweepSteps, 'an integer in [1, 100000]');
  if (c.ignoreIndex !== undefined && c.ignoreIndex !== null && !isInt(c.ignoreIndex, c.numClasses)) {
    throw new OptionError(
      'ignoreIndex',
      c.ignoreIndex,
      `null or an integer label ≥ numClasses (${c.numClasses})`,
    );
  }
  return { ...c, fBetas: [...c.fBetas], objectSizeBins: [...c.objectSizeBins] };
}

/** The classes reported per class (spec §1): all but the background unless includeBackground. */
export function includedClasses(config: MetricsConfig): number[] {
  const out: number[] = [];
  for (let c = 0; c < config.numClasses; c++) {
    if (c !== config.backgroundIndex || config.includeBackground) out.push(c);
  }
  return out;
}

/** The JSON key of an F-β value: the shortest decimal form of β ("0.5", "2"). */
export function betaKey(beta: number): string {
  return String(beta);
}

/** The labels of the object size bins (spec §4.5): "1-9", "10-99", "100-999", "1000+" by default. */
export function sizeBinLabels(edges: readonly number[]): string[] {
  const labels: string[] = [];
  let lo = 1;
  for (const e of edges) {
    labels.push(`${lo}-${e - 1}`);
    lo = e;
  }
  labels.push(`${lo}+`);
  return labels;
}
