/**
 * "Run Model on Image": runs the selected model on one image in the model worker (the extension host only waits),
 * stores the probability map in the extension's storage and shows it in the viewer as the panel's prob layer,
 * with a note naming the model. The image comes from the explorer, the active SegLens panel, or a file dialog.
 */
import type { ModelCommandDeps } from './deps';
import { MODEL_IMAGE_EXTENSIONS, isModelImage } from './ids';
import { baseName, modelNote } from './messages';
import { shortenPaths } from './modelChoice';
import { modelToRun, reportRunError } from './runSupport';
import { checkTrust, configChoiceFor, labels } from './session';

/** What a successful run produced (tests check it; the command itself returns nothing). */
export interface ImageRunOutcome {
  modelPath: string;
  imagePath: string;
  probPath: string;
  shape: number[];
}

export async function runModelOnImage(
  deps: ModelCommandDeps,
  image: string | undefined,
): Promise<ImageRunOutcome | undefined> {
  if (!checkTrust(deps)) return undefined;
  let imagePath = image ?? deps.activeImage();
  if (!imagePath) {
    imagePath = await deps.ui.openFile(
      'SegLens: pick an image to run the model on',
      { Images: [...MODEL_IMAGE_EXTENSIONS] },
      deps.roots()[0],
    );
    if (!imagePath) return undefined;
  }
  if (!isModelImage(imagePath)) {
    void deps.ui.error(
      `SegLens: ${deps.label(imagePath)}: the model runs on images (${MODEL_IMAGE_EXTENSIONS.join(', ')}).`,
    );
    return undefined;
  }
  const modelPath = await modelToRun(deps);
  if (!modelPath) return undefined;
  const shown = labels(deps, modelPath, imagePath);
  const target = imagePath;
  const retry = async () => {
    await runModelOnImage(deps, target);
  };
  try {
    const choice = await configChoiceFor(deps, modelPath);
    const model = baseName(modelPath);
    const result = await deps.ui.progress(`Running ${model} on ${baseName(imagePath)}`, (_report, signal) =>
      deps.runner().runImage(modelPath, target, { choice, signal }),
    );
    const t = result.timings;
    deps.log(
      `${model} on ${imagePath}: map [${result.prob.shape.join(', ')}], preprocess ${t.preprocessMs.toFixed(1)} ms, ` +
        `run ${t.runMs.toFixed(1)} ms, postprocess ${t.postprocessMs.toFixed(1)} ms`,
    );
    const probPath = await deps.storeMap(modelPath, imagePath, result.prob);
    const note = modelNote(
      model,
      baseName(imagePath),
      result.configSource,
      t.preprocessMs + t.runMs + t.postprocessMs,
    );
    const notes = result.notes.map((n) => shortenPaths(n, shown));
    await deps.showInViewer({ imagePath, probPath, modelPath, note, notes });
    for (const n of result.notes) deps.log(`  inferred: ${shortenPaths(n, shown)}`);
    deps.ui.status(`SegLens: ${model} ran on ${baseName(imagePath)} in ${t.runMs.toFixed(0)} ms.`);
    return { modelPath, imagePath, probPath, shape: [...result.prob.shape] };
  } catch (e) {
    await reportRunError(deps, e, modelPath, shown, retry);
    return undefined;
  }
}
