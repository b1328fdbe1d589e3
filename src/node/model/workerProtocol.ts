/**
 * Messages between the host and the model worker thread (dist/modelWorker.js). Requests carry an id; the worker
 * answers each with exactly one final message (`inspected`, `ran`, `folderDone` or `failed`), preceded for folder
 * runs by any number of `progress` messages. Probability maps travel as transferred Float32Array buffers.
 */
import type { ModelImage } from '../../core/model/preprocess';
import type { SerializedError } from '../workers/tasks';
import type { ExistingPolicy, FolderProgress, FolderRunSummary } from './folderRun';
import type { ConfigChoice, InspectResult, ModelRunResult } from './runner';

export type ModelWorkerRequest =
  | { type: 'inspect'; id: number; modelPath: string; choice: ConfigChoice }
  | {
      type: 'runImage';
      id: number;
      modelPath: string;
      /** A file to decode in the worker, or pixels the host already has (transferred). */
      image: string | ModelImage;
      /** Name of the image in messages (defaults to the path). */
      imageSource?: string;
      choice: ConfigChoice;
    }
  | {
      type: 'runFolder';
      id: number;
      modelPath: string;
      inputs: string[];
      outputDir: string;
      existing: ExistingPolicy;
      choice: ConfigChoice;
    }
  | { type: 'cancel'; id: number };

export type ModelWorkerResponse =
  | { type: 'inspected'; id: number; result: InspectResult }
  | { type: 'ran'; id: number; result: ModelRunResult }
  | { type: 'progress'; id: number; progress: FolderProgress }
  | { type: 'folderDone'; id: number; summary: FolderRunSummary }
  | { type: 'failed'; id: number; error: SerializedError };
