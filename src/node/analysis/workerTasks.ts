/**
 * The analysis entries of the worker pool's task table (spread into TASKS in workers/tasks.ts). Each task reads
 * the sample from the file bytes it is given, so any thread can serve it and nothing is kept between tasks; the
 * results' pixel buffers are transferred back, not copied.
 */
import type { TaskContext, TaskResult } from '../workers/taskTypes';
import {
  analysisBase,
  analysisCurve,
  analysisDecode,
  analysisThresholdMask,
  loadAnalysisSample,
} from './analysisTasks';
import type {
  AnalysisBase,
  AnalysisDecoder,
  AnalysisFiles,
  AnalysisSettings,
  DecoderView,
  ExpectedCurve,
} from '../../core/viewmodel/analysisTypes';

export interface AnalysisTaskInput {
  files: AnalysisFiles;
  settings: AnalysisSettings;
}

function own(buffer: ArrayBufferLike): ArrayBuffer[] {
  return buffer instanceof ArrayBuffer ? [buffer] : [];
}

export const ANALYSIS_TASKS = {
  /** Layout, slider ranking, sweep and calibration of a sample. */
  async analysisBase(input: AnalysisTaskInput, ctx: TaskContext): Promise<TaskResult<AnalysisBase>> {
    ctx.progress(0, 'reading the probability map');
    const s = await loadAnalysisSample(input.files, input.settings);
    ctx.progress(0.5, 'ranking pixels');
    const base = analysisBase(s);
    return {
      value: base,
      transfer: [base.order, base.sorted, base.classOf].flatMap((a) => (a ? own(a.buffer) : [])),
    };
  },

  /** The threshold mask alone, for the slider on a map over the ranking budget. */
  async analysisThreshold(
    input: AnalysisTaskInput & { threshold: number },
    ctx: TaskContext,
  ): Promise<TaskResult<{ threshold: number; labels: Uint8Array | Uint16Array; selected: number }>> {
    ctx.progress(0, `threshold ${input.threshold}`);
    const s = await loadAnalysisSample(input.files, input.settings);
    const r = analysisThresholdMask(s, input.threshold);
    return { value: { threshold: input.threshold, ...r }, transfer: own(r.labels.buffer) };
  },

  /** One decoder's mask, expected scores and (with a ground truth) metrics. */
  async analysisDecode(
    input: AnalysisTaskInput & { decoder: AnalysisDecoder; tuned?: number },
    ctx: TaskContext,
  ): Promise<TaskResult<DecoderView>> {
    ctx.progress(0, `decoding with ${input.decoder}`);
    const s = await loadAnalysisSample(input.files, input.settings);
    const view = analysisDecode(s, input.decoder, input.settings, input.tuned);
    return { value: view, transfer: view.labels ? own(view.labels.buffer) : [] };
  },

  /** Expected Dice of the top-k mask for k ≤ maxK, per class. */
  async analysisCurve(
    input: AnalysisTaskInput & { maxK: number },
    ctx: TaskContext,
  ): Promise<TaskResult<ExpectedCurve>> {
    const s = await loadAnalysisSample(input.files, input.settings);
    ctx.progress(0.1, 'expected Dice by k');
    // Cancellation stops the whole thread (the pool terminates it), so the curve needs no polling here.
    return { value: analysisCurve(s, input.maxK), transfer: [] };
  },
} as const;
