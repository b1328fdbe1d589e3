/**
 * Shared steps of the model commands: the trust check, composing a model's config, and the activation the user
 * chose for a model whose output holds logits.
 */
import type { Activation } from '../../core/model/config';
import { findSidecarConfig } from '../../node/model/sidecar';
import type { ConfigChoice } from '../../node/model/runner';
import type { ActivationOverrides, ModelCommandDeps } from './deps';
import { ACTIVATION_OVERRIDES_KEY } from './ids';
import { composeChoice, parseSettingsConfig } from './modelChoice';

export const UNTRUSTED_MESSAGE =
  'SegLens: running a model is disabled in an untrusted workspace, because a model file is executable input ' +
  '(onnxruntime loads and runs it). Viewing images, masks and probability maps still works. Trust the workspace ' +
  'to run models.';

/** Answers the command with the reason when the workspace is not trusted; true when the command may go on. */
export function checkTrust(deps: ModelCommandDeps): boolean {
  if (deps.isTrusted()) return true;
  void deps.ui.warn(UNTRUSTED_MESSAGE);
  return false;
}

/** The config the runner uses for `modelPath` (see composeChoice); throws InputError for a bad settings config. */
export async function configChoiceFor(deps: ModelCommandDeps, modelPath: string): Promise<ConfigChoice> {
  const settingsConfig = parseSettingsConfig(deps.settings().config);
  const activation = deps.state.get<ActivationOverrides>(ACTIVATION_OVERRIDES_KEY)?.[modelPath];
  // Without an override the runner reads the sidecar itself; with one, it has to be merged here.
  const sidecar =
    activation && !settingsConfig ? await findSidecarConfig(modelPath).catch(() => undefined) : undefined;
  return composeChoice(settingsConfig, sidecar, activation);
}

export async function setActivationOverride(
  deps: ModelCommandDeps,
  modelPath: string,
  activation: Activation,
): Promise<void> {
  const all = { ...(deps.state.get<ActivationOverrides>(ACTIVATION_OVERRIDES_KEY) ?? {}) };
  all[modelPath] = activation;
  await deps.state.update(ACTIVATION_OVERRIDES_KEY, all);
  deps.log(`activation "${activation}" chosen for ${modelPath} in this workspace`);
}

/** A path→label map for shortening messages. */
export function labels(deps: ModelCommandDeps, ...paths: string[]): Map<string, string> {
  return new Map(paths.map((p) => [p, deps.label(p)]));
}
