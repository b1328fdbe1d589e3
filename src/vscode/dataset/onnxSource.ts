/**
 * An ONNX model as a source of the dataset view ("a probability folder vs a model", issue 12): the models the
 * pairing preview offers, the model's name in the table, and the engine's ModelSource over the extension's model
 * runner (the model worker thread of src/vscode/model). The engine asks for one image's map at a time and scores
 * it in the worker pool as soon as it exists, while the next image runs; a failing image becomes a skipped row
 * whose reason names the file. No vscode import, so plain node tests drive it with a real or a scripted runner.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { CancelledError, errorMessage } from '../../core/errors';
import type { ProbMap } from '../../core/types';
import type { DatasetItem, ModelSource } from '../../node/dataset';
import type { ConfigChoice } from '../../node/model/runner';
import type { DatasetPreview } from '../../protocol/dataset';
import type { ModelCommandDeps, ModelRunnerPort } from '../model/deps';
import { UNTRUSTED_MESSAGE, configChoiceFor } from '../model/session';

/** The part of the model runner a dataset run uses (ModelWorkerClient has it). */
export type DatasetModelRunner = Pick<ModelRunnerPort, 'inspect' | 'runImage'>;

/**
 * The model's name in the table and the comparisons: its file name ("unet_bce.onnx"), which cannot be mistaken for
 * the probability folder probs/unet_bce/ its maps may have been saved to; "(ONNX)" is added if a folder has it.
 */
export function onnxModelName(modelPath: string, folderModels: readonly string[]): string {
  const name = path.basename(modelPath);
  return folderModels.includes(name) ? `${name} (ONNX)` : name;
}

/**
 * The ONNX models the pairing preview offers: the one set in `seglens.model.path` first, then the workspace's
 * .onnx files, then any picked in a dialog (no repeats). The webview names a model by its id (its label); only
 * an offered id maps back to a path, so the webview cannot make the host run any other file.
 */
export class OnnxChoices {
  private configured: string | undefined;
  private found: string[] = [];
  private readonly picked: string[] = [];
  private readonly byId = new Map<string, string>();

  /** The models of the setting and the workspace, listed again with the folder. */
  setFound(configured: string | undefined, found: readonly string[]): void {
    this.configured = configured;
    this.found = [...found];
  }

  pick(modelPath: string): void {
    if (!this.picked.includes(modelPath)) this.picked.push(modelPath);
  }

  /** Every offered path, in order. */
  paths(): string[] {
    const out: string[] = [];
    for (const p of [...(this.configured ? [this.configured] : []), ...this.found, ...this.picked])
      if (!out.includes(p)) out.push(p);
    return out;
  }

  /** The preview's list (ids are labels, made unique) and the model to show chosen (`selected`, a path). */
  offer(
    label: (p: string) => string,
    selected?: string,
  ): Pick<DatasetPreview, 'onnxModels' | 'onnxSelected'> {
    this.byId.clear();
    const onnxModels = this.paths().map((p) => {
      let id = label(p);
      while (this.byId.has(id)) id = `${id} `;
      this.byId.set(id, p);
      return { id, label: id.trim(), configured: p === this.configured };
    });
    const chosen = onnxModels.find((m) => this.byId.get(m.id) === selected);
    return { onnxModels, ...(chosen ? { onnxSelected: chosen.id } : {}) };
  }

  /** The path of an offered id, else undefined. */
  pathOf(id: string): string | undefined {
    return this.byId.get(id);
  }
}

/**
 * What the cache key must know of a model run: the file (path, size, modification time) and the config choice. A
 * replaced model file or a changed config gives another key.
 */
export function onnxCacheTag(modelPath: string, choice: ConfigChoice): string {
  let file: string;
  try {
    const s = statSync(modelPath);
    file = `${modelPath}\0${s.size}\0${s.mtimeMs}`;
  } catch {
    file = `${modelPath}\0missing`;
  }
  return `onnx:${createHash('sha256').update(file).update(JSON.stringify(choice)).digest('hex')}`;
}

export interface OnnxSourceOptions {
  runner: DatasetModelRunner;
  modelPath: string;
  choice: ConfigChoice;
  /** The model's name in rows (onnxModelName). */
  name: string;
  /** The dataset folder, for naming images in messages. */
  root: string;
}

/**
 * The engine's map source: runs the model on the item's image in the model worker. A failure is rethrown with the
 * image's path in front (unless the message already names it), so the skipped row says which file and why.
 */
export function onnxSource(o: OnnxSourceOptions): ModelSource {
  return {
    name: o.name,
    async infer(item: DatasetItem, signal?: AbortSignal): Promise<ProbMap> {
      const image = item.image;
      if (!image) throw new Error(`no image for '${item.id}' to run the model on`);
      try {
        const result = await o.runner.runImage(o.modelPath, image, { choice: o.choice, signal });
        return result.prob;
      } catch (e) {
        if (e instanceof CancelledError || signal?.aborted) throw e;
        const rel = path.relative(o.root, image).split(path.sep).join('/');
        const message = errorMessage(e);
        throw new Error(message.includes(path.basename(image)) ? message : `${rel}: ${message}`, {
          cause: e,
        });
      }
    },
  };
}

/** A model run ready to start: the engine's source, and what the cache key must know of it. */
export interface PreparedOnnx {
  modelPath: string;
  /** The config the runner uses (opening a row runs the model again with it). */
  choice: ConfigChoice;
  source: ModelSource;
  cacheTag: string;
}

/**
 * Readies a model for a dataset run: refused in an untrusted workspace (a model file is executable input), its
 * config composed as the model commands compose it (settings, sidecar, the activation chosen after a logits error),
 * and the model loaded once (inspect) so a model that cannot load fails the run with one message naming it,
 * instead of a skipped row per image.
 * @throws Error whose message says why the model cannot run.
 */
export async function prepareOnnx(
  deps: Pick<ModelCommandDeps, 'isTrusted' | 'runner' | 'settings' | 'state'>,
  modelPath: string,
  folderModels: readonly string[],
  root: string,
): Promise<PreparedOnnx> {
  if (!deps.isTrusted()) throw new Error(UNTRUSTED_MESSAGE.replace(/^SegLens: /, ''));
  const choice = await configChoiceFor(deps as ModelCommandDeps, modelPath);
  const runner = deps.runner();
  await runner.inspect(modelPath, choice);
  return {
    modelPath,
    choice,
    source: onnxSource({ runner, modelPath, choice, name: onnxModelName(modelPath, folderModels), root }),
    cacheTag: onnxCacheTag(modelPath, choice),
  };
}
