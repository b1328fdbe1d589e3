/**
 * The task table of the worker pool: every function that may run off the extension host's thread, by name.
 * A task receives plain structured-clonable input and returns its result plus the ArrayBuffers to transfer
 * (moved, not copied) back to the caller. Adding a task = one entry here; the pool's types follow from it.
 */
import { decodeRaster, DecodeOptions } from '../io/load';
import type { Raster } from '../io/raster';
import { ANALYSIS_TASKS } from '../analysis/workerTasks';
import { DATASET_TASKS } from '../dataset/sampleTask';
import type { TaskContext, TaskResult } from './taskTypes';
export type { TaskContext, TaskResult } from './taskTypes';

export interface DecodeTaskInput extends DecodeOptions {
  bytes: Uint8Array;
}

export interface SpinTaskInput {
  /** Busy-waits this long, for tests of responsiveness and cancellation. */
  ms: number;
  echo: number;
}

export const TASKS = {
  /** Decodes an image or mask file (see imaging/decode). */
  async decodeRaster(input: DecodeTaskInput, _ctx: TaskContext): Promise<TaskResult<Raster>> {
    const { bytes, ...options } = input;
    const raster = await decodeRaster(bytes, options);
    // A raster may be a view on the file's own buffer (e.g. an uncompressed npy); transfer only whole buffers.
    const buf = raster.data.buffer;
    const whole = raster.data.byteOffset === 0 && raster.data.byteLength === buf.byteLength;
    return { value: raster, transfer: whole && buf instanceof ArrayBuffer ? [buf] : [] };
  },

  /** Echoes its input after spinning the CPU, reporting progress in quarters; a probe for the pool itself. */
  async spin(input: SpinTaskInput, ctx: TaskContext): Promise<TaskResult<number>> {
    const start = Date.now();
    let reported = 0;
    for (;;) {
      // Deliberately busy: this simulates a long synchronous core computation.
      const done = input.ms <= 0 ? 1 : Math.min(1, (Date.now() - start) / input.ms);
      while (reported < 4 && done >= (reported + 1) / 4) {
        reported++;
        ctx.progress(reported / 4, `quarter ${reported}`);
      }
      if (done >= 1) break;
    }
    return { value: input.echo, transfer: [] };
  },

  /** The viewer's analysis of a sample: base, one decoder, expected-Dice curve (analysis/workerTasks). */
  ...ANALYSIS_TASKS,

  /** Dataset evaluation: one sample, every decoder (dataset/sampleTask). */
  ...DATASET_TASKS,
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>['value'];

/** Messages between the pool and a worker thread. */
export interface TaskRequest {
  id: number;
  name: TaskName;
  input: unknown;
}

export interface SerializedError {
  name: string;
  message: string;
  source?: string;
  stack?: string;
}

export interface TaskProgress {
  fraction: number;
  label?: string;
}

export type TaskResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError }
  | { id: number; progress: TaskProgress };
