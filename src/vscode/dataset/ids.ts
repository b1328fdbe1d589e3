/**
 * Ids of the dataset view's commands, free of vscode so plain-node tests check them against package.json.
 * "Evaluate Folder…" has two ids for the same reason as "Run Model on Image": the palette id (also the viewer's
 * title-bar entry, "evaluate this folder") stays in the palette, the explorer id is hidden from it.
 */
export const DATASET_COMMAND_IDS = [
  'seglens.dataset.evaluateFolder',
  'seglens.dataset.evaluateFolderFromExplorer',
  'seglens.dataset.nextWorst',
  'seglens.dataset.previousWorst',
] as const;
export type DatasetCommandId = (typeof DATASET_COMMAND_IDS)[number];
