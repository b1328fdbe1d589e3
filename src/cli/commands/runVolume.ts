/**
 * `seglens run --model M.onnx --input IMG.nii.gz --axis axial --output PROB.nii.gz` (docs/volumes.md "Running a 2-D
 * model on a volume"): a 2-D model run slice by slice along one plane of an image volume, written as a float32
 * probability volume on the image's grid. The slicing, the intensity mapping and the checks are
 * src/node/volume/sliceModel.ts; this file parses the volume-only flags, checks the output and reports.
 */
import { basename } from 'node:path';
import { InputError } from '../../core/errors';
import { configToJson } from '../../core/model/config';
import type { PlaneName } from '../../core/volume/slice';
import { writeAtomically } from '../../node/fs/atomicWrite';
import type { ConfigChoice } from '../../node/model/runner';
import { ModelRunner } from '../../node/model/runner';
import {
  SLICE_AXES,
  isSliceAxis,
  probabilityVolumeBytes,
  runModelOnVolume,
  type SliceIntensity,
  type SliceProgress,
} from '../../node/volume/sliceModel';
import { UsageError, type CliIO } from '../command';
import { checkOutput } from '../outputs';

export interface VolumeRunRequest {
  model: string;
  input: string;
  output: string;
  /** The --axis value as typed (checked here). @default "axial" */
  axis: string | undefined;
  /** The --window value as typed: "lo,hi" or "auto". @default none (stored values) */
  window: string | undefined;
  configPath: string | undefined;
  readChoice: () => Promise<ConfigChoice>;
  force: boolean;
  json: boolean;
}

/** The --window flag: "auto" or "lo,hi" with lo < hi. */
export function parseWindow(text: string | undefined): SliceIntensity {
  if (text === undefined) return { kind: 'stored' };
  if (text === 'auto') return { kind: 'auto' };
  const parts = text.split(',').map((s) => s.trim());
  const [low, high] = parts.map(Number);
  if (parts.length !== 2 || parts.some((s) => s === '') || !Number.isFinite(low) || !Number.isFinite(high)) {
    throw new UsageError(`--window takes "auto" or two numbers "low,high", got "${text}"`);
  }
  if (!(high > low)) throw new UsageError(`--window ${text}: the high end must be above the low end`);
  return { kind: 'window', low, high };
}

function parseAxis(text: string | undefined): PlaneName {
  const axis = text ?? 'axial';
  if (!isSliceAxis(axis)) throw new UsageError(`--axis takes ${SLICE_AXES.join(', ')}, got "${axis}"`);
  return axis;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;

export async function runOnVolume(req: VolumeRunRequest, io: CliIO): Promise<number> {
  const axis = parseAxis(req.axis);
  const intensity = parseWindow(req.window);
  const inputs = [req.model, req.input, ...(req.configPath !== undefined ? [req.configPath] : [])];
  // As for an image: an output naming an input is refused first, whatever its extension.
  checkOutput(req.output, { inputs, force: true, what: 'the probability volume' });
  if (!/\.nii(\.gz)?$/i.test(req.output)) {
    throw new InputError(
      "a volume input gives a probability volume, written as NIfTI on the image's grid: name the output " +
        'PROB.nii.gz (or .nii)',
      req.output,
    );
  }
  checkOutput(req.output, { inputs, force: req.force, what: 'the probability volume' });
  const choice = await req.readChoice();
  const runner = new ModelRunner();
  try {
    // About ten progress lines however many slices there are: enough to see it move, not a screenful.
    let every = 1;
    const onProgress = (p: SliceProgress): void => {
      every = Math.max(1, Math.ceil(p.total / 10));
      if (p.done % every !== 0 && p.done !== p.total) return;
      io.stderr(
        `[${p.done}/${p.total}] ${axis} slice ${p.slice}; ${seconds(p.elapsedMs)} elapsed, ` +
          `about ${seconds(p.etaMs)} left\n`,
      );
    };
    const result = await runModelOnVolume(runner, req.model, req.input, {
      axis,
      choice,
      intensity,
      onProgress,
    });
    writeAtomically(req.output, probabilityVolumeBytes(result, req.output), {
      what: 'the probability volume',
    });
    const shape = result.prob.shape;
    if (req.json) {
      const json = {
        model: req.model,
        input: req.input,
        output: req.output,
        axis,
        slices: result.slices,
        shape,
        classes: result.classes,
        intensity: result.intensity,
        config: configToJson(result.config),
        configSource: result.configSource ?? null,
        notes: result.notes,
        timings: result.timings,
      };
      io.stdout(JSON.stringify(json, null, 2) + '\n');
    } else {
      for (const note of result.notes) io.stderr(`note: ${note}\n`);
      io.stdout(
        `${req.output}: float32 [${shape.join(', ')}] (${result.classes.join(', ')}) on the grid of ` +
          `${basename(req.input)}; ${result.slices} ${axis} slices, run ${seconds(result.timings.runMs)}, ` +
          `total ${seconds(result.timings.totalMs)}\n`,
      );
    }
    return 0;
  } finally {
    await runner.dispose();
  }
}
