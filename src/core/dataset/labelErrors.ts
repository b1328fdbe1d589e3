/**
 * Label-error candidates: (image, class) pairs where the model is confident and disagrees with the ground truth.
 *
 * The score (documented in docs/dataset.md):
 * - the disagreement regions of class c are the connected components (8-connectivity in 2-D, 26 in 3-D) of
 *   "missed" pixels (GT = c, prediction ≠ c) and, separately, of "spurious" pixels (prediction = c, GT ≠ c);
 * - the confidence of the model at a pixel is 1 − p_c on a missed pixel (the model says "not c" where the label
 *   says c) and p_c on a spurious pixel (the model says c where the label says otherwise);
 * - a region's score is its mean confidence; regions smaller than `minPixels` are ignored (speckle);
 * - the (image, class) score is the best region's score (ties: the larger region), in [0, 1]; the region is
 *   returned (kind, size, bounding box) so a viewer can jump to it.
 * A score near 1 means "the model is sure and the label says otherwise: check this label".
 */
import { connectedComponents } from '../metrics/components';
import { classChannel } from '../metrics/channels';
import type { MetricsConfig } from '../metrics/config';
import type { LabelMap, ProbMap } from '../types';

export interface LabelErrorCandidate {
  /** The class index. */
  class: number;
  /** Mean confidence of the model over the region, in [0, 1]. */
  score: number;
  /** "missed": labelled c, the model says not c; "spurious": the model says c, labelled otherwise. */
  kind: 'missed' | 'spurious';
  /** Pixels of the region. */
  pixels: number;
  /** Inclusive bounding box of the region, one coordinate per array axis. */
  bbox: { min: number[]; max: number[] };
}

export interface LabelErrorOptions {
  /** Classes to score (default: all with a probability channel). */
  classes: readonly number[];
  config: Pick<MetricsConfig, 'numClasses' | 'backgroundIndex'>;
  /** Regions smaller than this are ignored. @default 10 */
  minPixels?: number;
  /** Pixels with this GT label are ignored. */
  ignoreIndex?: number;
}

/** The best candidate region per class (classes without a qualifying region are left out), best score first. */
export function labelErrorCandidates(
  gt: LabelMap,
  pred: LabelMap,
  prob: ProbMap,
  options: LabelErrorOptions,
): LabelErrorCandidate[] {
  const n = gt.data.length;
  const nd = gt.shape.length;
  const conn = nd === 3 ? 26 : 8;
  const minPixels = options.minPixels ?? 10;
  const out: LabelErrorCandidate[] = [];
  const mask = new Uint8Array(n);
  for (const c of options.classes) {
    const ch = classChannel(prob.shape[0], c, options.config.numClasses, options.config.backgroundIndex);
    if (!ch) continue;
    const off = ch.channel * n;
    const pc = (i: number): number => (ch.complement ? 1 - prob.data[off + i] : prob.data[off + i]);
    let best: LabelErrorCandidate | undefined;
    for (const kind of ['missed', 'spurious'] as const) {
      let any = false;
      for (let i = 0; i < n; i++) {
        const g = gt.data[i];
        const ignored = options.ignoreIndex !== undefined && g === options.ignoreIndex;
        const on =
          !ignored && (kind === 'missed' ? g === c && pred.data[i] !== c : pred.data[i] === c && g !== c);
        mask[i] = on ? 1 : 0;
        if (on) any = true;
      }
      if (!any) continue;
      const comps = connectedComponents(mask, gt.shape, conn);
      const sums = new Float64Array(comps.count + 1);
      for (let i = 0; i < n; i++) {
        const id = comps.labels[i];
        if (id) sums[id] += kind === 'missed' ? 1 - pc(i) : pc(i);
      }
      for (let id = 1; id <= comps.count; id++) {
        const size = comps.sizes[id];
        if (size < minPixels) continue;
        const score = sums[id] / size;
        if (!best || score > best.score || (score === best.score && size > best.pixels)) {
          best = {
            class: c,
            score,
            kind,
            pixels: size,
            bbox: {
              min: Array.from(comps.bboxMin.subarray(id * nd, id * nd + nd)),
              max: Array.from(comps.bboxMax.subarray(id * nd, id * nd + nd)),
            },
          };
        }
      }
    }
    if (best) out.push(best);
  }
  return out.sort((a, b) => b.score - a.score || b.pixels - a.pixels || a.class - b.class);
}
