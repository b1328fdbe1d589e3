// A tiny sample for the analysis widgets' tests: a 4×2 binary map ranked by probability, its ground truth, and
// decoder results with the metric core's real IMAGE object.
import type { AnalysisBase, DecoderView } from '../../../../src/protocol';
import { computeImageMetrics } from '../../../../src/core/metrics';

/** Probabilities already in rank order (pixel i has rank i). */
export const PROB = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1];
export const GT = Uint8Array.from([1, 1, 0, 1, 0, 0, 1, 0]);

export function base(overrides: Partial<AnalysisBase> = {}): AnalysisBase {
  return {
    width: 4,
    height: 2,
    layout: { kind: 'binary', channels: 1, numClasses: 2, classOfChannel: [1], note: '' },
    slider: 'local',
    order: Uint32Array.from([0, 1, 2, 3, 4, 5, 6, 7]),
    sorted: Float32Array.from(PROB),
    classOf: new Uint8Array(8).fill(1),
    hasGt: true,
    notes: [],
    ...overrides,
  };
}

/** A decoder's result for `labels` (k per class counted from them), with metrics against GT. */
export function view(
  decoder: DecoderView['decoder'],
  labels: number[],
  extra: Partial<DecoderView> = {},
): DecoderView {
  const data = Uint8Array.from(labels);
  return {
    decoder,
    label: decoder,
    labels: data,
    solver: null,
    perClass: [
      {
        cls: 1,
        k: labels.filter((l) => l === 1).length,
        expectedDice: 0.5,
        expectedIoU: 0.4,
        cutoffProb: 0.5,
      },
    ],
    meanExpectedDice: 0.5,
    meanExpectedIoU: 0.4,
    metrics: computeImageMetrics(
      { data: GT, shape: [2, 4] },
      { data, shape: [2, 4] },
      { config: { numClasses: 2 } },
    ),
    notes: [],
    elapsedMs: 1,
    ...extra,
  };
}
