/**
 * Which model and which config a run uses, decided from the settings, the model's sidecar and choices the user made
 * in this workspace. Pure functions (no vscode, no file access) so every rule is unit-tested.
 */
import { isAbsolute, join, normalize } from 'node:path';
import { CancelledError, InputError, errorMessage } from '../../core/errors';
import { ACTIVATIONS, Activation, ModelConfig, validateModelConfig } from '../../core/model/config';
import type { ConfigChoice } from '../../node/model/runner';

/** How messages name the inline config setting. */
export const SETTINGS_CONFIG_SOURCE = 'settings (seglens.model.config)';

/**
 * Reads `seglens.model.config`. Unset, null and `{}` mean "not set" (VS Code shows an empty object for an object
 * setting nobody wrote); anything else must pass the same validation as a sidecar file.
 */
export function parseSettingsConfig(raw: unknown): ModelConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'object' && !Array.isArray(raw) && Object.keys(raw).length === 0) return undefined;
  return validateModelConfig(raw, SETTINGS_CONFIG_SOURCE);
}

/**
 * Resolves `seglens.model.path`: `${workspaceFolder}` is replaced by the first workspace folder, and a relative
 * path is taken relative to it. Empty means "not set".
 */
export function resolveModelSetting(raw: unknown, roots: readonly string[]): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const root = roots[0];
  let p = raw.trim();
  if (p.includes('${workspaceFolder}')) {
    if (!root) {
      throw new InputError('uses ${workspaceFolder}, but no folder is open', 'settings (seglens.model.path)');
    }
    p = p.split('${workspaceFolder}').join(root);
  }
  if (!isAbsolute(p)) {
    if (!root) {
      throw new InputError(
        `"${raw}" is a relative path, but no folder is open to resolve it against`,
        'settings (seglens.model.path)',
      );
    }
    p = join(root, p);
  }
  return normalize(p);
}

/** A config the user wrote down somewhere (settings or a sidecar file), or nothing. */
export interface WrittenConfig {
  config: ModelConfig;
  source: string;
}

/**
 * The config choice handed to the runner. The inline settings config wins over a sidecar (settings are the
 * explicit, per-workspace choice); an activation the user picked for this model after a "holds logits" error is
 * layered on top. Without either, the runner finds the sidecar itself or infers everything.
 */
export function composeChoice(
  settingsConfig: ModelConfig | undefined,
  sidecar: WrittenConfig | undefined,
  activation: Activation | undefined,
): ConfigChoice {
  const base: WrittenConfig | undefined = settingsConfig
    ? { config: settingsConfig, source: SETTINGS_CONFIG_SOURCE }
    : sidecar;
  if (!activation) return base ? { config: base.config, configSource: base.source } : {};
  return {
    config: { ...(base?.config ?? {}), activation },
    configSource: `${base ? base.source : 'inferred config'} with activation "${activation}" chosen in this workspace`,
  };
}

/**
 * The activations a "holds logits" error suggests, in the order the message gives them (sigmoid for one channel;
 * softmax, or sigmoid for independent classes, for several). Undefined for any other error.
 */
export function logitsActivations(message: string): Activation[] | undefined {
  if (!/so it holds logits/.test(message)) return undefined;
  const hint = /set "activation": (.*) in the model config/.exec(message)?.[1] ?? '';
  const found = [...hint.matchAll(/"(\w+)"/g)]
    .map((m) => m[1])
    .filter((a): a is Activation => (ACTIVATIONS as readonly string[]).includes(a) && a !== 'none');
  return found.length > 0 ? [...new Set(found)] : ['sigmoid', 'softmax'];
}

export type RunErrorKind =
  | { kind: 'cancelled' }
  | { kind: 'logits'; message: string; activations: Activation[] }
  | { kind: 'error'; message: string };

/** Sorts a failed run into what the command does next: nothing, offer an activation, or report. */
export function classifyRunError(e: unknown): RunErrorKind {
  if (e instanceof CancelledError) return { kind: 'cancelled' };
  const message = errorMessage(e);
  const activations = logitsActivations(message);
  if (activations) return { kind: 'logits', message, activations };
  return { kind: 'error', message };
}

/** Replaces absolute paths in a message by the shorter names the user sees in the explorer. */
export function shortenPaths(message: string, names: ReadonlyMap<string, string>): string {
  let out = message;
  // Longest first, so a folder never replaces the beginning of a file inside it.
  for (const [abs, short] of [...names].sort((a, b) => b[0].length - a[0].length)) {
    if (abs && abs !== short) out = out.split(abs).join(short);
  }
  return out;
}
