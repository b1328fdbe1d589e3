/**
 * What the analysis panel says where the error map and the metrics against the ground truth would be, when it has
 * none to use: why, in one sentence (one wording for the legend, the decoder table and the metrics tab).
 */
import type { AnalysisBase } from './analysisTypes';

export function noGroundTruth(base: Pick<AnalysisBase, 'gtUnusable'> | undefined): string {
  return base?.gtUnusable
    ? `The ground truth is not used: ${base.gtUnusable}.`
    : 'No ground truth is paired with this map.';
}
