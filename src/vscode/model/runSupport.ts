/**
 * The two steps around every run: finding the model to run, and turning a failed run into a notification that
 * names the model and the cause (with the activation offer when the output holds logits).
 */
import { existsSync } from 'node:fs';
import { errorMessage } from '../../core/errors';
import type { ModelCommandDeps } from './deps';
import { SELECTED_MODEL_KEY } from './ids';
import { baseName } from './messages';
import { classifyRunError, resolveModelSetting, shortenPaths } from './modelChoice';
import { selectModel } from './selectModel';
import { setActivationOverride } from './session';

/**
 * The model to run: the one picked with "Select Model…" in this workspace, else `seglens.model.path`, else the
 * user picks one now. Undefined when there is none (the user was told why).
 */
export async function modelToRun(deps: ModelCommandDeps): Promise<string | undefined> {
  const remembered = deps.state.get<string>(SELECTED_MODEL_KEY);
  if (remembered && existsSync(remembered)) return remembered;
  if (remembered) {
    deps.log(`the selected model ${remembered} no longer exists; falling back to the settings`);
    await deps.state.update(SELECTED_MODEL_KEY, undefined);
  }
  let fromSettings: string | undefined;
  try {
    fromSettings = resolveModelSetting(deps.settings().path, deps.roots());
  } catch (e) {
    void deps.ui.error(`SegLens: ${errorMessage(e)}`);
    return undefined;
  }
  if (fromSettings) {
    if (existsSync(fromSettings)) return fromSettings;
    void deps.ui.error(
      `SegLens: settings (seglens.model.path): ${deps.label(fromSettings)} does not exist.`,
      'Select Model…',
    );
    return undefined;
  }
  return selectModel(deps);
}

/**
 * Reports a failed run. Cancelling is not a failure (a status message). A "holds logits" error offers the
 * activations it suggests; picking one is remembered for this model and `retry` runs again. Everything else is an
 * error notification starting with the model (or image) it is about. Never throws.
 */
export async function reportRunError(
  deps: ModelCommandDeps,
  e: unknown,
  modelPath: string,
  shown: Map<string, string>,
  retry: () => Promise<void>,
): Promise<void> {
  const kind = classifyRunError(e);
  if (kind.kind === 'cancelled') {
    deps.ui.status(`SegLens: ${baseName(modelPath)} run cancelled.`);
    return;
  }
  const message = shortenPaths(kind.message, shown);
  deps.log(`model run failed: ${kind.message}`);
  if (kind.kind === 'logits') {
    const buttons = kind.activations.map((a) => `Use ${a}`);
    const pick = await deps.ui.error(`SegLens: ${message}`, ...buttons);
    const chosen = kind.activations.find((a) => pick === `Use ${a}`);
    if (chosen) {
      await setActivationOverride(deps, modelPath, chosen);
      await retry();
    }
    return;
  }
  const pick = await deps.ui.error(`SegLens: ${message}`, 'Select Model…', 'Show Log');
  if (pick === 'Select Model…') await selectModel(deps);
  else if (pick === 'Show Log') deps.showLog();
}
