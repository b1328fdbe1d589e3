/** The volume viewer's worker task (one row of workers/tasks.ts): read, check, decode and score a set of volumes. */
import type { TaskContext, TaskResult } from '../workers/taskTypes';
import {
  loadVolumeSet,
  volumeSetTransfers,
  type VolumeMismatch,
  type VolumeSetInput,
  type VolumeSetResult,
} from './volumeSet';

export const VOLUME_TASKS = {
  /** See loadVolumeSet: the voxels come back as transferred buffers, a grid mismatch as a value. */
  async volumeSet(
    input: VolumeSetInput,
    _ctx: TaskContext,
  ): Promise<TaskResult<VolumeSetResult | VolumeMismatch>> {
    const value = loadVolumeSet(input);
    return { value, transfer: volumeSetTransfers(value) };
  },
};
