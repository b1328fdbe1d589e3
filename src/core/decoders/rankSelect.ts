/**
 * Chooses k for one (image, class) of the ranking decoders (rankdice, rankiou): pruning, solver dispatch and
 * the automatic exact/rma choice. Input is the class's probabilities sorted by (−p, flat index).
 */
import { baK } from './baSolver';
import { ExactDiceWorkspace, exactRankDice } from './exactDice';
import { exactRankIou } from './exactIou';
import { moments } from './rna';
import { rmaK } from './rma';
import { trnaK } from './trnaSolver';
import { EmptyConvention, SolverName } from './primitives';

export interface RankSelectOptions {
  metric: 'dice' | 'iou';
  /** Undefined = automatic (exact when its estimated cost fits costLimit, else rma). @default undefined */
  solver?: SolverName;
  /** γ. @default 0 */
  smooth?: number;
  /** Empty mask when max p is at or below it (below it for ba/trna/ba+trna); 0 = off. @default 0 */
  pruningProb?: number;
  /** Tail mass of the BA/TRNA truncation window. @default 1e-4 */
  eps?: number;
  /** @default 'conv0' */
  emptyConvention?: EmptyConvention;
  /** Estimated exact-solver work above which the automatic choice takes rma. @default 3e8 */
  costLimit?: number;
}

export interface RankSelection {
  k: number;
  pruned: boolean;
  solver: SolverName | null;
  /** Exact expected score of the top-k set when the solver computed it (exact solvers). */
  exactScore: number | null;
  /** Set when the automatic choice fell back from exact to rma. */
  fallback: string | null;
}

export class RankWorkspace {
  dice = new ExactDiceWorkspace();
}

export function selectK(
  sorted: Float64Array,
  n: number,
  options: RankSelectOptions,
  ws: RankWorkspace = new RankWorkspace(),
): RankSelection {
  const o = {
    metric: options.metric,
    solver: options.solver,
    smooth: options.smooth ?? 0,
    pruningProb: options.pruningProb ?? 0,
    eps: options.eps ?? 1e-4,
    emptyConvention: options.emptyConvention ?? 'conv0',
    costLimit: options.costLimit ?? 3e8,
  };
  const maxP = n > 0 ? sorted[0] : 0;
  const family = o.solver === 'ba' || o.solver === 'trna' || o.solver === 'ba+trna';
  const none = (pruned: boolean): RankSelection => ({
    k: 0,
    pruned,
    solver: null,
    exactScore: null,
    fallback: null,
  });
  // An all-zero class: every mask scores 0 under conv0 and the empty one is optimal under conv1.
  if (maxP <= 0) return none(false);
  if (o.pruningProb > 0 && (family ? maxP < o.pruningProb : maxP <= o.pruningProb)) return none(true);

  let mu = 0;
  let variance = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const p = sorted[i];
    mu += p;
    variance += p * (1 - p);
    m3 += p * (1 - p) * (1 - 2 * p);
  }
  let solver = o.solver;
  let fallback: string | null = null;
  let kRma = -1;
  if (solver === undefined) {
    kRma = rmaK(sorted, { n, mu, metric: o.metric, smooth: o.smooth });
    // Work of the exact pass ≈ (τ evaluated) × (PMF window ≈ 22σ); RankIoU also adds one pixel per τ.
    const cost = (1.3 * kRma + 16) * (22 * Math.sqrt(variance) + 10) * (o.metric === 'iou' ? 2 : 1);
    if (cost <= o.costLimit) solver = 'exact';
    else {
      solver = 'rma';
      fallback = `exact fell back to rma because its estimated cost (${cost.toExponential(1)}) exceeds exactCostLimit (${o.costLimit.toExponential(1)})`;
    }
  }
  const pick = (k: number, s: SolverName, exactScore: number | null = null): RankSelection => ({
    k,
    pruned: false,
    solver: s,
    exactScore,
    fallback,
  });
  switch (solver) {
    case 'rma':
      return pick(kRma >= 0 ? kRma : rmaK(sorted, { n, mu, metric: o.metric, smooth: o.smooth }), 'rma');
    case 'exact':
      if (o.metric === 'dice') {
        const r = exactRankDice(sorted, {
          n,
          smooth: o.smooth,
          emptyConvention: o.emptyConvention,
          workspace: ws.dice,
        });
        return pick(r.k, 'exact', r.score);
      } else {
        const candidate = kRma >= 0 ? kRma : rmaK(sorted, { n, mu, metric: 'iou', smooth: o.smooth });
        const r = exactRankIou(sorted, {
          n,
          smooth: o.smooth,
          emptyConvention: o.emptyConvention,
          candidate,
        });
        return pick(r.k, 'exact', r.score);
      }
    case 'ba':
    case 'trna':
    case 'ba+trna': {
      const m = moments(mu, variance, m3);
      // BA+TRNA: BA when σ > 5 (the package's "Cohen's d" 1/σ < 0.2), each image with its own window.
      const useBa = solver === 'ba' || (solver === 'ba+trna' && m.sigma > 5);
      const pkg = { n, smooth: o.smooth, eps: o.eps, emptyConvention: o.emptyConvention };
      if (useBa) return pick(baK(sorted, m, pkg), 'ba');
      return pick(trnaK(sorted, m, { variance, m3 }, pkg), 'trna');
    }
  }
}
