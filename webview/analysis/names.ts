/** Display names of the analysis panel's choices (decoders, what the stage shows, export formats). */
import type { AnalysisDecoder, AnalysisShow, ExportWhat } from '../../src/protocol';

export const DECODER_NAMES: Record<AnalysisDecoder, string> = {
  threshold: 'Threshold',
  argmax: 'Argmax',
  tunedThreshold: 'Tuned threshold',
  topk: 'Top-k',
  rankdice: 'RankDice',
  rankiou: 'RankIoU',
};

export const SHOW_NAMES: Record<AnalysisShow, string> = {
  errors: 'Error map (A vs GT)',
  prediction: 'Prediction A',
  difference: 'Difference A vs B',
  none: 'Nothing',
};

export const EXPORT_NAMES: Record<ExportWhat, string> = {
  'mask-png': 'Mask A as PNG',
  'mask-npy': 'Mask A as NPY',
  'metrics-json': 'Metrics A as JSON',
  'metrics-csv': 'Metrics A as CSV',
};
