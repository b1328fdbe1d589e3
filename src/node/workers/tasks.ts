/**
 * The task table of the worker pool: every function that may run off the extension host's thread, by name.
 * A task receives plain structured-clonable input and returns its result plus the ArrayBuffers to transfer
 * (moved, not copied) back to the caller. Adding a task = one entry here; the pool's types follow from it.
 * Only product tasks live here: tests add their probes in a test worker bundle that extends this table.
 */
import { decodeRaster, DecodeOptions } from '../io/load';
import type { Raster } from '../io/raster';
import { readRegularFile } from '../io/readRegularFile';
import { downsampleBox, previewStep } from '../../core/viewmodel/preview';
import { ANALYSIS_TASKS } from '../analysis/workerTasks';
import { DATASET_TASKS } from '../dataset/sampleTask';
import { VOLUME_TASKS } from '../volume/volumeTask';
import type { TaskContext, TaskResult, TaskTable } from './taskTypes';
export type { TaskContext, TaskProgress, TaskResult } from './taskTypes';

export interface DecodeTaskInput extends DecodeOptions {
  bytes: Uint8Array;
}

export interface DecodeFileTaskInput extends DecodeOptions {
  /** A path of this machine's file system; read on the worker's thread (io/readRegularFile). */
  path: string;
  /** Larger files are refused before they are read. */
  maxBytes: number;
  /** An image also gets its preview when it is large (core/viewmodel/preview): the viewer sends it first. */
  preview?: boolean;
}

/** A decoded file and when its bytes were read (ms since the epoch; one clock across the process's threads). */
export interface DecodedFile {
  raster: Raster;
  readAt: number;
  /** The image averaged over step × step blocks (`preview` asked for, and the image large: see previewStep). */
  preview?: { data: Raster['data']; width: number; height: number; step: number };
}

/** The preview of a decoded image when it is worth sending first (core/viewmodel/preview). */
function previewOf(raster: Raster): DecodedFile['preview'] {
  const step = previewStep(raster.width, raster.height, raster.data.byteLength);
  if (step < 2) return undefined;
  return { ...downsampleBox(raster.data, raster.width, raster.height, raster.channels, step), step };
}

/** A raster's pixels to transfer: only a whole buffer (a raster may be a view on its file's bytes, e.g. an npy). */
function rasterTransfer(raster: Raster): ArrayBuffer[] {
  const buf = raster.data.buffer;
  const whole = raster.data.byteOffset === 0 && raster.data.byteLength === buf.byteLength;
  return whole && buf instanceof ArrayBuffer ? [buf] : [];
}

export const TASKS = {
  /** Decodes an image or mask file (see imaging/decode). */
  async decodeRaster(input: DecodeTaskInput, _ctx: TaskContext): Promise<TaskResult<Raster>> {
    const { bytes, ...options } = input;
    const raster = await decodeRaster(bytes, options);
    return { value: raster, transfer: rasterTransfer(raster) };
  },

  /** Reads a file of this machine's file system and decodes it, both on the worker's thread (the viewer's files). */
  async decodeFile(input: DecodeFileTaskInput, _ctx: TaskContext): Promise<TaskResult<DecodedFile>> {
    const { path, maxBytes, preview, ...options } = input;
    const bytes = readRegularFile(path, options.source, maxBytes);
    const readAt = Date.now();
    const raster = await decodeRaster(bytes, options);
    const small = preview && options.role === 'image' ? previewOf(raster) : undefined;
    const transfer = rasterTransfer(raster);
    if (small && small.data.buffer instanceof ArrayBuffer) transfer.push(small.data.buffer);
    return { value: { raster, readAt, ...(small ? { preview: small } : {}) }, transfer };
  },

  /** The viewer's analysis of a sample: base, one decoder, expected-Dice curve (analysis/workerTasks). */
  ...ANALYSIS_TASKS,

  /** Dataset evaluation: one sample, every decoder (dataset/sampleTask). */
  ...DATASET_TASKS,

  /** The volume viewer: read, check, decode and score a set of volumes (volume/volumeTask). */
  ...VOLUME_TASKS,
} as const satisfies TaskTable;

export type Tasks = typeof TASKS;
export type TaskName = keyof Tasks;
export type TaskInput<N extends TaskName> = Parameters<Tasks[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<Tasks[N]>>['value'];
