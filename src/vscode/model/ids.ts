/**
 * Ids of the model commands and settings. Kept free of vscode so plain-node tests can check them against
 * package.json; the extension's command table includes these ids.
 */

/**
 * "Run Model on Image" has two ids because VS Code's palette and the explorer want different visibility: the palette
 * id also serves the viewer panel's toolbar button, the explorer id is hidden from the palette like every
 * explorer-only entry. Both run the same code.
 */
export const MODEL_COMMAND_IDS = [
  'seglens.model.runOnImage',
  'seglens.model.runOnImageFromExplorer',
  'seglens.model.runOnFolder',
  'seglens.model.select',
] as const;
export type ModelCommandId = (typeof MODEL_COMMAND_IDS)[number];

/** Settings read by the model commands (under `seglens.model.`). */
export const MODEL_SETTING_KEYS = ['path', 'config'] as const;

/** workspaceState keys. */
export const SELECTED_MODEL_KEY = 'seglens.model.selected';
export const ACTIVATION_OVERRIDES_KEY = 'seglens.model.activationOverrides';

/** Image files the model commands run on (the formats `loadModelImage` decodes as pictures). */
export const MODEL_IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'tif', 'tiff', 'bmp', 'webp'] as const;

export function isModelImage(path: string): boolean {
  const m = /\.([^./\\]+)$/.exec(path);
  return !!m && (MODEL_IMAGE_EXTENSIONS as readonly string[]).includes(m[1].toLowerCase());
}
