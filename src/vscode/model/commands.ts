/**
 * The model commands' handlers for the extension's command table, and their dependencies on VS Code: the model worker
 * client (started on the first run, never at activation, disposed with the extension), workspace state and trust,
 * the `seglens.model.*` settings, and the hand-off of a probability map to the viewer panel.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ModelWorkerClient } from '../../node/model/modelWorkerClient';
import type { CommandsOf } from '../commands/ids';
import type { CommandHandlers } from '../commands/table';
import type { ViewerContext } from '../viewer/context';
import { pairFile } from '../viewer/sampleLoader';
import { ViewerPanel } from '../viewer/viewerPanel';
import type { ModelCommandDeps, ModelResultForViewer } from './deps';
import { baseName } from './messages';
import { ProbStore } from './probStore';
import { runModelOnFolder } from './runOnFolder';
import { runModelOnImage } from './runOnImage';
import { selectModel } from './selectModel';
import { vscodeModelUi } from './vscodeUi';

export interface ModelCommands {
  /** The model commands' handlers for the extension's command table. */
  commands: CommandHandlers<CommandsOf<'model'>>;
  deps: ModelCommandDeps;
  dispose(): Promise<void>;
}

/** A local file path from a command argument (explorer URI), or undefined when none was passed. */
function localPath(arg: unknown, what: string): string | undefined {
  if (!(arg instanceof vscode.Uri)) return undefined;
  if (arg.scheme !== 'file') {
    throw new Error(
      `${arg.toString(true)}: models run on local ${what} only (this one is on "${arg.scheme}")`,
    );
  }
  return arg.fsPath;
}

function stemOf(path: string): string {
  const name = baseName(path);
  return name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name;
}

export function createModelCommands(ctx: ViewerContext, extension: vscode.ExtensionContext): ModelCommands {
  let client: ModelWorkerClient | undefined;
  const storageRoot = (extension.storageUri ?? extension.globalStorageUri).fsPath;
  const store = new ProbStore(join(storageRoot, 'model-runs'));

  const showInViewer = async (r: ModelResultForViewer): Promise<void> => {
    const image = vscode.Uri.file(r.imagePath);
    // The image's ground truth is paired as usual, so metrics apply; the model's map replaces any paired one.
    const paired = await pairFile(image, ctx.settings(image).pairing).catch(() => ({
      uris: { gt: undefined },
      notes: [] as string[],
    }));
    const notes = [
      r.note,
      ...(r.notes ?? []),
      ...paired.notes.filter((n) => !n.startsWith('Probability map')),
    ];
    const key = image.toString();
    const panel =
      ViewerPanel.open.find((p) => p.currentSample.image === key) ?? ViewerPanel.reuseOrCreate(ctx);
    panel.panel.reveal(undefined, false);
    await panel.load({ image, gt: paired.uris.gt, prob: vscode.Uri.file(r.probPath) }, notes);
    panel.panel.title = `SegLens: ${baseName(r.imagePath)} · ${stemOf(r.modelPath)}`;
  };

  const deps: ModelCommandDeps = {
    ui: vscodeModelUi(),
    runner: () => {
      client ??= new ModelWorkerClient({
        script: vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'modelWorker.js').fsPath,
        // Read when a worker starts: a changed budget applies from the next worker (after a reload).
        cacheMemoryMB: () => {
          const c = vscode.workspace.getConfiguration('seglens.model');
          const v: unknown = c.get('cacheMemoryMB');
          return typeof v === 'number' ? v : undefined;
        },
      });
      return client;
    },
    state: extension.workspaceState,
    settings: () => {
      const c = vscode.workspace.getConfiguration('seglens.model');
      return { path: c.get('path'), config: c.get('config') };
    },
    isTrusted: () => vscode.workspace.isTrusted,
    roots: () =>
      (vscode.workspace.workspaceFolders ?? [])
        .filter((f) => f.uri.scheme === 'file')
        .map((f) => f.uri.fsPath),
    findModels: async () => {
      const found = await vscode.workspace.findFiles('**/*.onnx', '**/{node_modules,.git}/**', 500);
      return found
        .filter((u) => u.scheme === 'file')
        .map((u) => u.fsPath)
        .sort();
    },
    activeImage: () => {
      const panel = ViewerPanel.open.find((p) => p.panel.active);
      const image = panel?.currentSample.image;
      if (!image) return undefined;
      const uri = vscode.Uri.parse(image, true);
      return uri.scheme === 'file' ? uri.fsPath : undefined;
    },
    storeMap: (modelPath, imagePath, prob) => store.save(modelPath, imagePath, prob),
    showInViewer,
    label: (path) => vscode.workspace.asRelativePath(vscode.Uri.file(path), false),
    log: (line) => ctx.log.info(line),
    showLog: () => ctx.log.show(true),
    reveal: (path) => void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path)),
  };

  const runOnImage = async (arg?: unknown) => {
    await runModelOnImage(deps, localPath(arg, 'images'));
  };
  return {
    deps,
    commands: {
      'seglens.model.runOnImage': { run: runOnImage },
      'seglens.model.runOnImageFromExplorer': { run: runOnImage },
      'seglens.model.runOnFolder': {
        run: async (arg?: unknown) => {
          await runModelOnFolder(deps, localPath(arg, 'folders'));
        },
      },
      'seglens.model.select': {
        run: async () => {
          await selectModel(deps);
        },
      },
    },
    dispose: async () => {
      const c = client;
      client = undefined;
      await c?.dispose();
    },
  };
}
