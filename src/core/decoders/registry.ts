/**
 * The decoder registry the UI lists and the CLI validates against. Defaults here are the ones decode() applies.
 */
import { DecodeOptions, DecoderName, SolverName } from './types';

export interface DecoderInfo {
  name: DecoderName;
  /** Short label for pickers. */
  label: string;
  description: string;
  /** Solvers the decoder accepts (empty for non-ranking decoders); the first is the default. */
  solvers: readonly (SolverName | 'auto')[];
  /** Options that must be given (e.g. k for topk). */
  requires: readonly ('threshold' | 'k')[];
  /** Defaults applied by decode() for omitted options. */
  defaults: Readonly<Omit<DecodeOptions, 'decoder' | 'shouldCancel'>>;
}

const COMMON = {
  smooth: 0,
  emptyConvention: 'conv0',
  unassignedPolicy: 'max_score',
  voidIndex: 255,
  transform: 'none',
  evaluate: true,
} as const;

export const DEFAULT_EXACT_COST_LIMIT = 3e8;

export const DECODERS: readonly DecoderInfo[] = [
  {
    name: 'threshold',
    label: 'Threshold 0.5',
    description: 'Selects pixels with p > threshold (strict). Accuracy-optimal at 0.5, not Dice-optimal.',
    solvers: [],
    requires: [],
    defaults: { ...COMMON, outputMode: 'multilabel', threshold: 0.5 },
  },
  {
    name: 'argmax',
    label: 'Argmax',
    description:
      'Labels each pixel with its most probable class (first maximum wins); C = 1 thresholds at 0.5.',
    solvers: [],
    requires: [],
    defaults: { ...COMMON, outputMode: 'multiclass' },
  },
  {
    name: 'topk',
    label: 'Top-k',
    description: 'Selects the k most probable pixels per image and class, ties by flat index.',
    solvers: [],
    requires: ['k'],
    defaults: { ...COMMON, outputMode: 'multilabel' },
  },
  {
    name: 'tunedThreshold',
    label: 'Tuned threshold',
    description: 'Selects p > t for a threshold t tuned on a validation set (give it as threshold).',
    solvers: [],
    requires: ['threshold'],
    defaults: { ...COMMON, outputMode: 'multilabel' },
  },
  {
    name: 'rankdice',
    label: 'RankDice',
    description:
      'Dice-optimal top-k per image and class (RankSEG). Exact by default where fast enough, else RMA; BA/TRNA in package-compatibility mode.',
    solvers: ['auto', 'exact', 'rma', 'ba', 'trna', 'ba+trna'],
    requires: [],
    defaults: {
      ...COMMON,
      outputMode: 'multilabel',
      pruningProb: 0,
      eps: 1e-4,
      exactCostLimit: DEFAULT_EXACT_COST_LIMIT,
    },
  },
  {
    name: 'rankiou',
    label: 'RankIoU',
    description: 'IoU-optimal top-k per image and class. Exact by default where fast enough, else RMA.',
    solvers: ['auto', 'exact', 'rma'],
    requires: [],
    defaults: {
      ...COMMON,
      outputMode: 'multilabel',
      pruningProb: 0,
      exactCostLimit: DEFAULT_EXACT_COST_LIMIT,
    },
  },
];

/**
 * Options reproducing the rankseg package's defaults as far as we deliberately can: RMA with pruning at 0.5
 * (classes whose max p ≤ 0.5 get an empty mask) and non-overlapping labels.
 */
export const RANKSEG_COMPATIBLE: Readonly<Partial<DecodeOptions>> = {
  solver: 'rma',
  pruningProb: 0.5,
  outputMode: 'multiclass',
};

export function decoderInfo(name: DecoderName): DecoderInfo | undefined {
  return DECODERS.find((d) => d.name === name);
}
