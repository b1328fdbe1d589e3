/**
 * The methods of the model worker thread (dist/modelWorker.js), served over the worker RPC (../workers/rpc.ts):
 * each request gets exactly one answer (its result or a serialised error), folder runs report progress first.
 * Probability maps travel as transferred Float32Array buffers.
 */
import type { ModelImage } from '../../core/model/preprocess';
import type { ExistingPolicy, FolderProgress, FolderRunSummary } from './folderRun';
import type { ConfigChoice, InspectResult, ModelRunResult } from './runner';
import type { PlaneName } from '../../core/volume/slice';
import type { SliceIntensity, SliceProgress, VolumeRunSummary } from '../volume/sliceModel';

/** What the model worker is started with (its workerData). */
export interface ModelWorkerData {
  /** Memory budget of the cached sessions in MB; undefined = the default. */
  cacheMemoryMB?: number;
}

export type ModelMethods = {
  /** Loads the model and resolves its config without running it. */
  inspect: { input: { modelPath: string; choice: ConfigChoice }; output: InspectResult };
  runImage: {
    input: {
      modelPath: string;
      /** A file to decode in the worker, or pixels the host already has (transferred). */
      image: string | ModelImage;
      /** Name of the image in messages (defaults to the path). */
      imageSource?: string;
      choice: ConfigChoice;
    };
    output: ModelRunResult;
  };
  runFolder: {
    input: {
      modelPath: string;
      inputs: string[];
      outputDir: string;
      existing: ExistingPolicy;
      choice: ConfigChoice;
    };
    output: FolderRunSummary;
    progress: FolderProgress;
  };
  /** A 2-D model slice by slice on an image volume; the probability volume is written to `output` (NIfTI). */
  runVolume: {
    input: {
      modelPath: string;
      volumePath: string;
      axis: PlaneName;
      output: string;
      choice: ConfigChoice;
      intensity?: SliceIntensity;
      maxOutputElements?: number;
    };
    output: VolumeRunSummary;
    progress: SliceProgress;
  };
};
