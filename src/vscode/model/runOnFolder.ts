/**
 * "Run Model on Folder": runs the selected model on every image of a folder and writes one probability map
 * (`<stem>.npy`) per image into an output folder the user chooses — after showing what will be written (new and
 * existing files) and getting an explicit yes, with skip-or-overwrite for existing files. The run is in the model
 * worker, under a cancellable progress notification, and ends with a summary.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isSegLensExport } from '../../core/dataset/exports';
import { CancelledError, errorMessage } from '../../core/errors';
import type { ExistingPolicy, FolderRunSummary } from '../../node/model/folderRun';
import { planFolderOutputs } from '../../node/model/folderRun';
import type { ModelCommandDeps } from './deps';
import { isModelImage } from './ids';
import { OVERWRITE_EXISTING, baseName, countPlan, folderConfirmation, folderSummaryText } from './messages';
import { shortenPaths } from './modelChoice';
import { modelToRun, reportRunError } from './runSupport';
import { checkTrust, configChoiceFor, labels } from './session';

export interface FolderRunOutcome {
  outputDir: string;
  summary: FolderRunSummary;
}

/** The images of a folder (not its subfolders), sorted by name; SegLens's own exports are not images. */
export async function folderImages(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && isModelImage(e.name) && !isSegLensExport(e.name))
    .map((e) => join(folder, e.name))
    .sort();
}

/** The suggested output folder: `probs/<model stem>` beside the image folder (the demo's layout). */
export function suggestedOutput(folder: string, modelPath: string): string {
  const name = baseName(modelPath);
  const stem = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name;
  return join(dirname(folder), 'probs', stem);
}

const CHOOSE = '\0choose';

export async function runModelOnFolder(
  deps: ModelCommandDeps,
  folder: string | undefined,
): Promise<FolderRunOutcome | undefined> {
  if (!checkTrust(deps)) return undefined;
  const inputFolder =
    folder ??
    (await deps.ui.openFolder(
      'SegLens: pick a folder of images',
      'Run Model on These Images',
      deps.roots()[0],
    ));
  if (!inputFolder) return undefined;
  let inputs: string[];
  try {
    inputs = await folderImages(inputFolder);
  } catch (e) {
    void deps.ui.error(`SegLens: ${deps.label(inputFolder)}: cannot list the folder: ${errorMessage(e)}`);
    return undefined;
  }
  if (inputs.length === 0) {
    void deps.ui.info(
      `SegLens: ${deps.label(inputFolder)} has no images (png, jpg, tif, bmp, webp) to run on.`,
    );
    return undefined;
  }
  const modelPath = await modelToRun(deps);
  if (!modelPath) return undefined;
  const model = baseName(modelPath);

  const suggested = suggestedOutput(inputFolder, modelPath);
  const outputDir = await deps.ui
    .pick(
      [
        {
          label: deps.label(suggested),
          description: existsSync(suggested) ? 'existing folder' : 'will be created',
          detail: `probs/${baseName(suggested)} next to ${baseName(inputFolder)}/`,
          value: suggested,
        },
        {
          label: '$(folder-opened) Choose Folder…',
          description: undefined,
          detail: undefined,
          value: CHOOSE,
        },
      ],
      `SegLens: where should the probability maps of ${model} go?`,
    )
    .then((v) =>
      v === CHOOSE
        ? deps.ui.openFolder(
            'SegLens: output folder for the probability maps',
            'Write Maps Here',
            dirname(inputFolder),
          )
        : v,
    );
  if (!outputDir) return undefined;

  const shown = labels(deps, modelPath, inputFolder, outputDir);
  let plan;
  try {
    plan = planFolderOutputs(inputs, outputDir);
  } catch (e) {
    void deps.ui.error(`SegLens: ${shortenPaths(errorMessage(e), shown)}`);
    return undefined;
  }
  const counts = countPlan(plan);
  const ask = folderConfirmation(model, deps.label(inputFolder), deps.label(outputDir), counts);
  const answer = await deps.ui.confirm(ask.message, ask.detail, ...ask.actions);
  if (!answer) {
    deps.ui.status('SegLens: nothing written.');
    return undefined;
  }
  const existing: ExistingPolicy = answer === OVERWRITE_EXISTING ? 'overwrite' : 'skip';

  const retry = async () => {
    await runModelOnFolder(deps, inputFolder);
  };
  const started = Date.now();
  let done = 0;
  try {
    const choice = await configChoiceFor(deps, modelPath);
    await mkdir(outputDir, { recursive: true });
    const summary = await deps.ui.progress(
      `Running ${model} on ${deps.label(inputFolder)}`,
      (report, signal) =>
        deps.runner().runFolder(modelPath, inputs, outputDir, {
          choice,
          existing,
          signal,
          onProgress: (p) => {
            done = p.done;
            report(`${p.done}/${p.total} ${baseName(p.input)} (${p.status})`, 100 / p.total);
            if (p.status === 'failed') deps.log(`  ${p.input}: ${p.error ?? 'failed'}`);
          },
        }),
    );
    const text = folderSummaryText(model, deps.label(outputDir), summary, (Date.now() - started) / 1000);
    deps.log(text.message);
    const message = shortenPaths(`SegLens: ${text.message}`, shown);
    // Not awaited: the command is done; the buttons act whenever the user gets to them.
    const answer =
      text.severity === 'info'
        ? deps.ui.info(message, 'Reveal in Explorer')
        : deps.ui.warn(message, 'Reveal in Explorer', 'Show Log');
    void answer.then((b) => {
      if (b === 'Reveal in Explorer') deps.reveal(outputDir);
      else if (b === 'Show Log') deps.showLog();
    });
    return { outputDir, summary };
  } catch (e) {
    if (e instanceof CancelledError) {
      const message = `SegLens: ${model} cancelled after ${done} of ${inputs.length} images; maps already written stay in ${deps.label(outputDir)}.`;
      deps.log(message);
      void deps.ui.info(message);
      return undefined;
    }
    await reportRunError(deps, e, modelPath, shown, retry);
    return undefined;
  }
}
