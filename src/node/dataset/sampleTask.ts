/**
 * The worker task of dataset evaluation: reads one sample's files (in the worker: the host never holds the pixels),
 * evaluates it with every decoder (core/dataset/evaluateSample) and returns the rows. Registered in
 * src/node/workers/tasks.ts as `datasetSample`; also callable in-process (CLI without a worker bundle, tests).
 */
import { readFileSync } from 'node:fs';
import { InputError, errorMessage } from '../../core/errors';
import { evaluateSample } from '../../core/dataset/evaluateSample';
import type { EvalRow, RowFlag } from '../../core/dataset/rows';
import type { DecoderName, SolverName } from '../../core/decoders/types';
import { loadLabelMap, loadProbMap } from '../../core/io/load';
import type { Palette } from '../../core/io/palette';
import type { ProbLayout } from '../../core/io/probMap';
import type { MetricsConfig } from '../../core/metrics/config';
import type { LabelMap, ProbMap } from '../../core/types';
import { commonGeometry } from '../../core/volume/compare';
import { arraySpacing, VolumeGeometry } from '../../core/volume/geometry';
import { loadVolumeFile } from '../io/load';
import { volumeLabelMap, volumeProbMap } from '../io/volume/maps';
import { volumeFormatOf } from '../io/volume/read';
import type { TaskContext, TaskResult } from '../workers/taskTypes';
import { AGGREGATE_TASKS } from './aggregateTask';

export interface DatasetSampleInput {
  id: string;
  model: string;
  files: EvalRow['files'];
  /** A map computed in memory (e.g. by an ONNX model) instead of files.prob; its buffer is transferred. */
  probData?: { data: Float32Array; shape: number[] };
  decoders: DecoderName[];
  config: MetricsConfig;
  layout?: ProbLayout;
  /** Convert logits with this function when the map holds values outside [0, 1]; otherwise they are an error. */
  logits?: 'sigmoid' | 'softmax';
  palette?: Palette;
  solver?: SolverName | 'auto';
  labelErrors?: boolean;
  thumbnail?: number;
}

function readBytes(path: string): Uint8Array {
  try {
    // A file of more than a few KiB gets its own ArrayBuffer from readFileSync: a plain view of it, not a copy. A
    // small one may sit in Node's shared pool and is copied, so no reader ever sees a larger `.buffer`.
    const b = readFileSync(path);
    return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
      ? new Uint8Array(b.buffer, 0, b.byteLength)
      : new Uint8Array(b);
  } catch (e) {
    throw new InputError(`cannot read: ${errorMessage(e)}`, path);
  }
}

/** A ground truth: a 2-D image or array, or a volume (NIfTI, NRRD, MetaImage) with the geometry of its header. */
function loadGt(path: string, palette: Palette | undefined): { map: LabelMap; geometry?: VolumeGeometry } {
  const bytes = readBytes(path);
  if (!volumeFormatOf(bytes)) return { map: loadLabelMap(bytes, { source: path, palette }) };
  const v = loadVolumeFile(path, { bytes });
  return { map: volumeLabelMap(v), geometry: v.geometry };
}

/**
 * A probability map from its file. A volume must lie on the ground truth's grid (shape, spacing, direction,
 * origin: GeometryMismatchError naming both files; SegLens never resamples); an array without a header (an
 * nnU-Net .npz beside its NIfTI) takes the ground truth's grid, its shape checked by the caller.
 */
function loadProb(
  input: DatasetSampleInput,
  source: string,
  gt: { map: LabelMap; geometry?: VolumeGeometry } | undefined,
  flags: RowFlag[],
): ProbMap {
  const { config } = input;
  const bytes = readBytes(source);
  if (volumeFormatOf(bytes)) {
    const v = loadVolumeFile(source, { bytes });
    if (gt?.geometry && input.files.gt)
      commonGeometry([
        { source: input.files.gt, geometry: gt.geometry },
        { source, geometry: v.geometry },
      ]);
    return volumeProbMap(v);
  }
  const options = { source, numClasses: config.numClasses, layout: input.layout, spatial: gt?.map.shape };
  try {
    return loadProbMap(bytes, { ...options, logits: 'error' });
  } catch (e) {
    if (!(input.logits && e instanceof InputError && /look like logits/.test(e.message))) throw e;
    flags.push('logits-converted');
    return loadProbMap(bytes, { ...options, logits: input.logits });
  }
}

/** Loads the sample and evaluates it; throws (naming the file) when it cannot be evaluated. */
export function runDatasetSample(input: DatasetSampleInput): EvalRow[] {
  const { config } = input;
  const gtFile = input.files.gt ? loadGt(input.files.gt, input.palette) : undefined;
  const gt = gtFile?.map;
  const flags: RowFlag[] = [];
  let prob: ProbMap;
  if (input.probData) prob = { data: input.probData.data, shape: input.probData.shape };
  else if (input.files.prob) prob = loadProb(input, input.files.prob, gtFile, flags);
  else throw new InputError(`no probability map for model '${input.model}'`, input.files.image ?? input.id);
  if (gt) {
    const spatial = prob.shape.slice(1);
    if (spatial.length !== gt.shape.length || spatial.some((s, i) => s !== gt.shape[i])) {
      throw new InputError(
        `the map's size [${spatial.join(', ')}] differs from the mask's [${gt.shape.join(', ')}] (${input.files.gt})`,
        input.files.prob ?? input.model,
      );
    }
  }
  return evaluateSample(gt, prob, {
    id: input.id,
    model: input.model,
    decoders: input.decoders,
    config,
    files: input.files,
    solver: input.solver,
    labelErrors: input.labelErrors,
    thumbnail: input.thumbnail,
    flags,
    // Volumes are scored in physical units (mm) from their header's spacing, as `seglens metrics` does.
    spacing: gtFile?.geometry ? arraySpacing(gtFile.geometry) : undefined,
  });
}

export const DATASET_TASKS = {
  ...AGGREGATE_TASKS,

  /** One dataset sample: every decoder's row (see src/node/dataset/sampleTask.ts). */
  async datasetSample(input: DatasetSampleInput, _ctx: TaskContext): Promise<TaskResult<EvalRow[]>> {
    const rows = runDatasetSample(input);
    const transfer: ArrayBuffer[] = [];
    for (const r of rows) {
      const b = r.thumbnail?.codes.buffer;
      if (b instanceof ArrayBuffer && !transfer.includes(b)) transfer.push(b);
    }
    return { value: rows, transfer };
  },
} as const;
