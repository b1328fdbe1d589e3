/**
 * The decoder registry: one row per decoder (the contract of a row is ./row). Everything that lists decoders is
 * derived from these rows — the `DecoderName` union, decode()'s dispatch and defaults, the names and usage of
 * `seglens decode`, the analysis panel's list, labels and per-decoder task options. To add a decoder, write its
 * selector in ./selectors and add a row here (CONTRIBUTING.md, "How to add a decoder"); the order of the rows is the
 * order of every list (the panel's table, the CLI's usage).
 */
import type { DecodeSettings } from './primitives';
import type { DecoderRow } from './row';
import { argmaxSelector } from './selectors/argmax';
import { rankingSelector } from './selectors/ranking';
import { thresholdSelector } from './selectors/threshold';
import { topkSelector } from './selectors/topk';

/** Estimated exact-solver work above which an omitted solver falls back to rma (about 1 s on 2 cores). */
export const DEFAULT_EXACT_COST_LIMIT = 3e8;

/** Defaults every decoder shares (a row may override them). */
const COMMON = {
  smooth: 0,
  emptyConvention: 'conv0',
  unassignedPolicy: 'max_score',
  voidIndex: 255,
  transform: 'none',
  evaluate: true,
} as const;

const ROWS = [
  {
    name: 'threshold',
    label: 'Threshold 0.5',
    description: 'Selects pixels with p > threshold (strict). Accuracy-optimal at 0.5, not Dice-optimal.',
    cliName: 'threshold',
    cliAliases: [],
    solvers: [],
    requires: [],
    defaults: { ...COMMON, outputMode: 'multilabel', threshold: 0.5 },
    viewer: {
      shown: true,
      // The panel's threshold is a slider, so its picker names the decoder without the default value.
      label: 'Threshold',
      plan: (v) => ({
        options: { threshold: v.threshold },
        threshold: v.threshold,
        label: `Threshold ${v.threshold}`,
      }),
    },
    selector: thresholdSelector,
  },
  {
    name: 'argmax',
    label: 'Argmax',
    description:
      'Labels each pixel with its most probable class (first maximum wins); C = 1 thresholds at 0.5.',
    cliName: 'argmax',
    cliAliases: [],
    solvers: [],
    requires: [],
    defaults: { ...COMMON, outputMode: 'multiclass' },
    viewer: {
      shown: true,
      plan: (v) =>
        v.layout === 'foreground'
          ? {
              unavailable:
                'needs a background channel (softmax output); this map has one sigmoid channel per class',
            }
          : { options: {}, withBackground: v.layout === 'softmax' },
    },
    selector: argmaxSelector,
  },
  {
    name: 'tunedThreshold',
    label: 'Tuned threshold',
    description: 'Selects p > t for a threshold t tuned on a validation set (give it as threshold).',
    cliName: 'tuned-threshold',
    cliAliases: [],
    solvers: [],
    requires: ['threshold'],
    defaults: { ...COMMON, outputMode: 'multilabel' },
    viewer: {
      shown: true,
      plan: (v) =>
        v.tuned === undefined
          ? { unavailable: 'needs a ground truth to tune the threshold on' }
          : {
              options: { threshold: v.tuned },
              threshold: v.tuned,
              label: `Tuned threshold ${v.tuned}`,
              notes: [
                'Tuned on this image’s ground truth (best macro Dice of the sweep, rule p ≥ t); decoded with p > t.',
              ],
            },
    },
    selector: thresholdSelector,
  },
  {
    name: 'topk',
    label: 'Top-k',
    description: 'Selects the k most probable pixels per image and class, ties by flat index.',
    cliName: 'topk',
    cliAliases: [],
    solvers: [],
    requires: ['k'],
    defaults: { ...COMMON, outputMode: 'multilabel' },
    viewer: {
      shown: true,
      plan: (v) => {
        const k = v.topK ?? v.defaultTopK();
        return { options: { k }, k, label: `Top-k (k = ${k})` };
      },
    },
    selector: topkSelector,
  },
  {
    name: 'rankdice',
    label: 'RankDice',
    description:
      'Dice-optimal top-k per image and class (RankSEG). Exact by default where fast enough, else RMA; BA/TRNA in package-compatibility mode.',
    cliName: 'rankdice',
    cliAliases: [],
    solvers: ['auto', 'exact', 'rma', 'ba', 'trna', 'ba+trna'],
    requires: [],
    defaults: {
      ...COMMON,
      outputMode: 'multilabel',
      pruningProb: 0,
      eps: 1e-4,
      exactCostLimit: DEFAULT_EXACT_COST_LIMIT,
    },
    viewer: { shown: true, plan: (v) => ({ options: { solver: v.solver } }) },
    selector: rankingSelector('dice'),
  },
  {
    name: 'rankiou',
    label: 'RankIoU',
    description: 'IoU-optimal top-k per image and class. Exact by default where fast enough, else RMA.',
    cliName: 'rankiou',
    cliAliases: [],
    solvers: ['auto', 'exact', 'rma'],
    requires: [],
    defaults: {
      ...COMMON,
      outputMode: 'multilabel',
      pruningProb: 0,
      exactCostLimit: DEFAULT_EXACT_COST_LIMIT,
    },
    viewer: { shown: true, plan: (v) => ({ options: { solver: v.solver } }) },
    selector: rankingSelector('iou'),
  },
] as const satisfies readonly DecoderRow[];

/** The decoders, one name per registry row. */
export type DecoderName = (typeof ROWS)[number]['name'];

/** A registry row with its name typed as a DecoderName (kept under its old name for callers). */
export type DecoderInfo = DecoderRow<DecoderName>;

/** Every decoder, in registry order. */
export const DECODERS: readonly DecoderInfo[] = ROWS;

/** Every decoder name, in registry order. */
export const DECODER_NAMES: readonly DecoderName[] = DECODERS.map((d) => d.name);

/** The row of a decoder; undefined for a name that is not registered (e.g. from untyped input). */
export function decoderInfo(name: DecoderName): DecoderInfo | undefined {
  return DECODERS.find((d) => d.name === name);
}

/** True for a registered decoder name. */
export function isDecoderName(name: unknown): name is DecoderName {
  return typeof name === 'string' && (DECODER_NAMES as readonly string[]).includes(name);
}

/** The name the CLI shows for each decoder (a row's `cliName`), in registry order. */
export const DECODER_CLI_NAMES: readonly string[] = DECODERS.map((d) => d.cliName);

/**
 * Every name the CLI accepts for `rows` → its decoder: per row, the registry name, the CLI name and the aliases,
 * in row order. A name claimed by two rows is a registry bug and throws.
 */
export function cliAliasesOf<N extends string>(rows: readonly DecoderRow<N>[]): Map<string, N> {
  const m = new Map<string, N>();
  for (const d of rows) {
    for (const n of [d.name, d.cliName, ...d.cliAliases]) {
      const other = m.get(n);
      if (other !== undefined && other !== d.name) throw new Error(`decoder name '${n}' is used twice`);
      m.set(n, d.name);
    }
  }
  return m;
}

/** Every name `seglens decode --decoder` accepts → its decoder (cliAliasesOf the registry). */
export const DECODER_CLI_ALIASES: ReadonlyMap<string, DecoderName> = cliAliasesOf(DECODERS);

/**
 * Options reproducing the rankseg package's defaults as far as we deliberately can: RMA with pruning at 0.5
 * (classes whose max p ≤ 0.5 get an empty mask) and non-overlapping labels.
 */
export const RANKSEG_COMPATIBLE: Readonly<Partial<DecodeSettings>> = {
  solver: 'rma',
  pruningProb: 0.5,
  outputMode: 'multiclass',
};
