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
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new InputError(`cannot read: ${errorMessage(e)}`, path);
  }
}

/** Loads the sample and evaluates it; throws (naming the file) when it cannot be evaluated. */
export function runDatasetSample(input: DatasetSampleInput): EvalRow[] {
  const { config } = input;
  const gt: LabelMap | undefined = input.files.gt
    ? loadLabelMap(readBytes(input.files.gt), { source: input.files.gt, palette: input.palette })
    : undefined;
  const flags: RowFlag[] = [];
  let prob: ProbMap;
  if (input.probData) prob = { data: input.probData.data, shape: input.probData.shape };
  else if (input.files.prob) {
    const source = input.files.prob;
    const bytes = readBytes(source);
    const options = { source, numClasses: config.numClasses, layout: input.layout, spatial: gt?.shape };
    try {
      prob = loadProbMap(bytes, { ...options, logits: 'error' });
    } catch (e) {
      if (!(input.logits && e instanceof InputError && /look like logits/.test(e.message))) throw e;
      prob = loadProbMap(bytes, { ...options, logits: input.logits });
      flags.push('logits-converted');
    }
  } else throw new InputError(`no probability map for model '${input.model}'`, input.files.image ?? input.id);
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
