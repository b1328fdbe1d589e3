/**
 * Settings, state keys and image types of the model commands (their ids are rows of the extension's one command
 * list, src/vscode/commands/ids.ts). Kept free of vscode so plain-node tests can check them against package.json.
 */

/** Settings read by the model commands (under `seglens.model.`). */
export const MODEL_SETTING_KEYS = ['path', 'config', 'cacheMemoryMB'] as const;

/** workspaceState keys. */
export const SELECTED_MODEL_KEY = 'seglens.model.selected';
export const ACTIVATION_OVERRIDES_KEY = 'seglens.model.activationOverrides';

/** Image files the model commands run on (the formats `loadModelImage` decodes as pictures). */
export const MODEL_IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'bmp', 'webp'] as const;

export function isModelImage(path: string): boolean {
  const m = /\.([^./\\]+)$/.exec(path);
  return !!m && (MODEL_IMAGE_EXTENSIONS as readonly string[]).includes(m[1].toLowerCase());
}
