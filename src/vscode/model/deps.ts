/**
 * What the model commands need from their surroundings, as interfaces without vscode: the UI, the model runner
 * (the worker client), workspace state, settings and the viewer. The extension passes the real ones
 * (vscodeDeps.ts); plain-node tests pass scripted ones.
 */
import type { Activation } from '../../core/model/config';
import type { ProbMap } from '../../core/types';
import type { FolderRunSummary } from '../../node/model/folderRun';
import type { RunFolderOptions, RunImageOptions, RunVolumeOptions } from '../../node/model/modelWorkerClient';
import type { PlaneName } from '../../core/volume/slice';
import type { VolumeRunSummary } from '../../node/volume/sliceModel';
import type { ConfigChoice, InspectResult, ModelRunResult } from '../../node/model/runner';
import type { ModelUi } from './ui';

/** The part of ModelWorkerClient the commands use. */
export interface ModelRunnerPort {
  inspect(modelPath: string, choice?: ConfigChoice): Promise<InspectResult>;
  runImage(modelPath: string, image: string, options?: RunImageOptions): Promise<ModelRunResult>;
  runFolder(
    modelPath: string,
    inputs: string[],
    outputDir: string,
    options?: RunFolderOptions,
  ): Promise<FolderRunSummary>;
  /** A 2-D model slice by slice on an image volume, written to `output` (the volume panel's command). */
  runVolume?(
    modelPath: string,
    volumePath: string,
    axis: PlaneName,
    output: string,
    options?: RunVolumeOptions,
  ): Promise<VolumeRunSummary>;
}

/** workspaceState's shape. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The raw values of the `seglens.model.*` settings. */
export interface RawModelSettings {
  path: unknown;
  config: unknown;
}

/** What the viewer is handed after a run on one image. */
export interface ModelResultForViewer {
  imagePath: string;
  /** The stored probability map (.npy) the panel loads as its prob layer. */
  probPath: string;
  modelPath: string;
  /** The note the panel shows: which model produced the map. */
  note: string;
  /**
   * What the run assumed or did (EXIF orientation applied, scale and mean assumed, which sidecar won), shown in the
   * panel's notes under `note`, so a user sees them where the map is and not only in the log.
   */
  notes?: string[];
}

export interface ModelCommandDeps {
  ui: ModelUi;
  runner(): ModelRunnerPort;
  state: StateStore;
  settings(): RawModelSettings;
  /** VS Code's workspace trust; model execution is refused while false. */
  isTrusted(): boolean;
  /** Absolute paths of the workspace folders. */
  roots(): string[];
  /** Absolute paths of the *.onnx files in the workspace. */
  findModels(): Promise<string[]>;
  /** The image shown in the active SegLens panel, if any (the panel's toolbar button passes no file). */
  activeImage(): string | undefined;
  /** Writes a run's map where the viewer can load it; returns its path. */
  storeMap(modelPath: string, imagePath: string, prob: ProbMap): Promise<string>;
  showInViewer(result: ModelResultForViewer): Promise<void>;
  /** A path as the user knows it (workspace-relative when inside a workspace folder). */
  label(path: string): string;
  log(line: string): void;
  /** Shows the output channel. */
  showLog(): void;
  /** Shows a file or folder in the explorer. */
  reveal(path: string): void;
}

export type ActivationOverrides = Record<string, Activation>;
