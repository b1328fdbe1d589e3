/**
 * RankDice and RankIoU: per (image, class), the top-k set whose expected Dice (or IoU) is largest, k chosen by the
 * requested solver (../rankSelect: pruning, the exact/rma/BA/TRNA solvers, the automatic exact-or-rma choice).
 * Multiclass labels resolve overlapping sets with the package's RMA rule (../multiclass).
 */
import { Ranker, gatherSorted } from '../order';
import { RankWorkspace, selectK } from '../rankSelect';
import { RmaSelector } from '../rmaSelect';
import type { ClassSelection, Selector } from '../row';
import { emptySelection } from './common';

/**
 * One RMA selector for every call on maps up to SHARED_MAX_PIXELS (its bucket histograms and ranker hold about
 * 0.6 MB, which a dataset run otherwise allocated, zeroed and collected per sample); larger maps get their own,
 * so a long-lived worker does not keep a huge map's candidate buffers. Safe because selection is synchronous.
 */
const SHARED_RMA = new RmaSelector();
const SHARED_MAX_PIXELS = 1 << 20;

/** The selector of the ranking decoder optimising `metric`. */
export function rankingSelector(metric: 'dice' | 'iou'): Selector {
  return {
    labels: metric,
    select(x, o) {
      const { data, batch: B, classes: C, pixels: N, masks } = x;
      const out = emptySelection();
      // The full ranking's buffers (megabytes at 1024²) are made only if a class needs them: the RMA path on
      // float32 data, the dataset mode's default, never does.
      let full: { ranker: Ranker; sorted: Float64Array; ws: RankWorkspace } | undefined;
      const rmaSelector = N <= SHARED_MAX_PIXELS ? SHARED_RMA : new RmaSelector();
      const fallbacks = new Set<string>();
      for (let b = 0; b < B; b++) {
        const row: ClassSelection[] = [];
        for (let c = 0; c < C; c++) {
          x.checkCancel();
          const off = (b * C + c) * N;
          if (o.solver === 'rma' && data instanceof Float32Array) {
            // Explicit RMA on float32 data: bucket selection ranks only the pixels that can be selected.
            const sel = rmaSelector.select(data, off, N, metric, o.smooth);
            const pruned = sel.maxP > 0 && o.pruningProb > 0 && sel.maxP <= o.pruningProb;
            if (sel.maxP <= 0) out.allZero++;
            else if (pruned) out.pruned++;
            else for (let i = 0; i < sel.k; i++) masks[off + sel.top[i]] = 1;
            const active = !pruned && sel.maxP > 0;
            row.push({ pruned, solver: active ? 'rma' : null, active });
            continue;
          }
          full ??= { ranker: new Ranker(), sorted: new Float64Array(N), ws: new RankWorkspace() };
          const { ranker, sorted, ws } = full;
          const order = ranker.rank(data, off, N);
          gatherSorted(data, off, order, sorted);
          const sel = selectK(
            sorted,
            N,
            {
              metric,
              solver: o.solver,
              smooth: o.smooth,
              pruningProb: o.pruningProb,
              eps: o.eps,
              emptyConvention: o.emptyConvention,
              costLimit: o.costLimit,
            },
            ws,
          );
          for (let i = 0; i < sel.k; i++) masks[off + order[i]] = 1;
          if (sel.fallback) fallbacks.add(sel.fallback);
          if (sel.pruned) out.pruned++;
          if (sel.k === 0 && !sel.pruned && sorted[0] <= 0) out.allZero++;
          row.push({ pruned: sel.pruned, solver: sel.solver, active: !sel.pruned && sorted[0] > 0 });
        }
        out.classes.push(row);
      }
      out.fallbacks.push(...fallbacks);
      return out;
    },
  };
}
