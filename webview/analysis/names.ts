/** Display names of the analysis panel's choices (decoders, what the stage shows, export formats). */
import { DECODER_LABELS } from '../../src/core/viewmodel/analysisTypes';
import type { AnalysisDecoder, AnalysisShow, ExportWhat } from '../../src/protocol';

/** The decoders' names come from the registry rows (one place to add a decoder: src/core/decoders/registry.ts). */
export const DECODER_NAMES: Readonly<Record<AnalysisDecoder, string>> = DECODER_LABELS;

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
