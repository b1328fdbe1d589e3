/**
 * Extension entry point: wiring only. Activation is lazy (commands and the restored viewer panel, never "*"),
 * and loads no native module: sharp is loaded by the worker thread on first decode (docs/architecture.md §7).
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { errorMessage } from './core/errors';
import { VIEWER_VIEW_TYPE } from './protocol';
import { viewerCommands } from './vscode/commands';
import { attachModelMemory } from './vscode/analysis/modelMemory';
import { registerLintFeatures } from './vscode/diagnostics';
import { pickAndOpen } from './vscode/commands/openFiles';
import { registerCommands } from './vscode/commands/table';
import { datasetCommands } from './vscode/dataset/commands';
import { createModelCommands } from './vscode/model/commands';
import { setVolumeModelDeps } from './vscode/volume/runModel';
import { readSettings } from './vscode/settings';
import { createTestApi, type SegLensTestApi } from './vscode/testApi';
import type { ViewerContext, ViewerEvent } from './vscode/viewer/context';
import { attachRoleChoices } from './vscode/viewer/roleChoices';
import { allowStorageRoots } from './vscode/viewer/access';
import { ViewerSerializer } from './vscode/viewer/serializer';
import { DATASET_VIEW_TYPE } from './protocol/dataset';
import { DatasetSerializer } from './vscode/dataset/serializer';
import { setDatasetCacheDir, setDatasetModelDeps } from './vscode/dataset/datasetPanel';
import { ViewerPanel } from './vscode/viewer/viewerPanel';
import { WorkerPool } from './node/workers/pool';
import { poolSize } from './node/workers/poolSize';

/** What `activate` returns: a small surface for tests and for other extensions. */
export interface SegLensApi {
  /** Viewer milestones (ready, rendered with the drawn size, problems shown). */
  readonly onViewerEvent: vscode.Event<ViewerEvent>;
  /** Number of open viewer panels. */
  openViewerCount(): number;
  /** How long `activate` itself took, in milliseconds (docs/architecture.md §7 budget: 50 ms). */
  readonly activationMs: number;
  /** The worker pool's load (threads, busy, queued). */
  workerStats(): { threads: number; busy: number; queued: number };
  /**
   * Restores a viewer into `panel` from a persisted state, exactly as VS Code does after a reload (the registered
   * serializer). Lets tests check restoring without reloading the window.
   */
  restoreViewer(panel: vscode.WebviewPanel, state: unknown): Promise<void>;
  /** Test hooks (drive a panel, answer dialogs); present only when VS Code runs the extension under test. */
  readonly test?: SegLensTestApi;
}

export function activate(context: vscode.ExtensionContext): SegLensApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('SegLens', { log: true });
  const events = new vscode.EventEmitter<ViewerEvent>();
  let pool: WorkerPool | undefined;
  const getPool = (): WorkerPool => {
    if (!pool) {
      const configured = readSettings().workerThreads;
      const size = poolSize(os.availableParallelism(), configured);
      pool = new WorkerPool({
        script: vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath,
        size,
      });
    }
    return pool;
  };
  const ctx: ViewerContext = {
    extensionUri: context.extensionUri,
    pool: getPool,
    settings: readSettings,
    fire: (e) => events.fire(e),
    log,
    openFiles: () => pickAndOpen(ctx),
  };
  context.subscriptions.push(log, events, { dispose: () => void pool?.dispose() });
  const lint = registerLintFeatures(context, log);
  // The probability-map model last chosen per folder survives window reloads.
  attachModelMemory(context.workspaceState);
  // What the user said a file is (image / mask / probability map / logits, channel) survives reloads too.
  attachRoleChoices(context.workspaceState);
  // A restored or dropped file is read only inside the workspace or the extension's own storage (model-run maps).
  allowStorageRoots([context.storageUri, context.globalStorageUri]);
  // The model runner's worker thread starts on the first run; disposing the extension stops it.
  const model = createModelCommands(ctx, context);
  context.subscriptions.push({ dispose: () => void model.dispose() });
  // The dataset view runs an ONNX model on a set through the same model worker, trust check and config.
  setDatasetModelDeps(model.deps);
  // So does the volume panel's slice-by-slice run; its probability volumes go to the extension's storage.
  setVolumeModelDeps({
    deps: model.deps,
    storageDir: vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'volume-model-runs')
      .fsPath,
  });
  const serializer = new ViewerSerializer(ctx);
  // Finished dataset runs are cached here, so re-opening an unchanged set shows its table at once.
  setDatasetCacheDir(vscode.Uri.joinPath(context.globalStorageUri, 'dataset-cache').fsPath);
  try {
    context.subscriptions.push(
      // One table: every contributed command (commands/ids.ts) with its handler, a missing one does not compile.
      ...registerCommands(
        { ...viewerCommands(ctx), ...model.commands, ...lint, ...datasetCommands(ctx) },
        log,
      ),
      vscode.window.registerWebviewPanelSerializer(VIEWER_VIEW_TYPE, serializer),
      vscode.window.registerWebviewPanelSerializer(DATASET_VIEW_TYPE, new DatasetSerializer(ctx)),
    );
  } catch (e) {
    // Activation failures are shown, not swallowed (docs/style.md habit 9).
    void vscode.window.showErrorMessage(`SegLens failed to start: ${errorMessage(e)}`);
    log.error(`activation failed: ${errorMessage(e)}`);
  }
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    activationMs,
    onViewerEvent: events.event,
    openViewerCount: () => ViewerPanel.open.length,
    workerStats: () => pool?.stats ?? { threads: 0, busy: 0, queued: 0 },
    restoreViewer: (panel, state) => serializer.deserializeWebviewPanel(panel, state),
    test: context.extensionMode === vscode.ExtensionMode.Test ? createTestApi() : undefined,
  };
}

export function deactivate(): void {
  // Panels and the pool are disposed through context.subscriptions.
}
