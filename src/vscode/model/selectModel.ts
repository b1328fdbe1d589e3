/**
 * "Select Model…": pick an .onnx file of the workspace (or any file through a dialog), check that it loads, show the
 * config it will run with — written or inferred, with the inferred choices spelled out — and remember it for this
 * workspace. Saving the inferred config as a sidecar file happens only when the user clicks that button.
 */
import { existsSync } from 'node:fs';
import { errorMessage } from '../../core/errors';
import { sidecarCandidates, writeSidecarConfig } from '../../node/model/sidecar';
import type { ModelCommandDeps } from './deps';
import { SELECTED_MODEL_KEY } from './ids';
import { baseName, configJson, describeConfig } from './messages';
import { shortenPaths } from './modelChoice';
import { pickModelFile } from './pickModelFile';
import { checkTrust, configChoiceFor, labels } from './session';

/** Runs the whole flow; resolves to the selected model's path, or undefined when nothing was selected. */
export async function selectModel(deps: ModelCommandDeps): Promise<string | undefined> {
  if (!checkTrust(deps)) return undefined;
  const modelPath = await pickModelFile(deps, {
    title: 'SegLens: Select Model',
    browseTitle: 'SegLens: pick an ONNX segmentation model',
    currentDetail: 'selected now',
  });
  if (!modelPath) return undefined;

  const shown = labels(deps, modelPath);
  let inspected;
  try {
    inspected = await deps.runner().inspect(modelPath, await configChoiceFor(deps, modelPath));
  } catch (e) {
    deps.log(`inspecting ${modelPath} failed: ${errorMessage(e)}`);
    void deps.ui.error(`SegLens: ${shortenPaths(errorMessage(e), shown)}`);
    return undefined;
  }
  await deps.state.update(SELECTED_MODEL_KEY, modelPath);
  const detail = shortenPaths(describeConfig(inspected), shown);
  deps.log(`selected model ${modelPath}\n${detail}\nconfig: ${configJson(inspected)}`);

  const name = baseName(modelPath);
  // Offered only when nothing is written down yet (no sidecar, no settings config): a workspace-chosen activation
  // on an inferred config is worth saving too.
  const canSave =
    (!inspected.configSource || inspected.configSource.startsWith('inferred config')) &&
    !sidecarCandidates(modelPath).some((p) => existsSync(p));
  const save = `Save as ${baseName(sidecarCandidates(modelPath)[0])}`;
  const answer = await deps.ui.confirm(
    `Model ${name} selected for this workspace.`,
    canSave ? `${detail}\n\nSave this config next to the model so it is fixed and visible?` : detail,
    ...(canSave ? [save, 'Use Without Saving'] : ['OK']),
  );
  if (canSave && answer === save) {
    try {
      const written = writeSidecarConfig(modelPath, inspected.config);
      void deps.ui.info(`SegLens: saved the config of ${name} to ${deps.label(written)}.`);
    } catch (e) {
      void deps.ui.error(
        `SegLens: ${shortenPaths(errorMessage(e), labels(deps, modelPath, ...sidecarCandidates(modelPath)))}`,
      );
    }
  }
  return modelPath;
}
