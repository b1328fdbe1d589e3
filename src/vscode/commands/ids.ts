/**
 * The ids of every command the extension registers. Kept apart from the command table so plain-node tests can
 * check them against package.json without loading vscode; the table's rows are typed against this list.
 */
import { DATASET_COMMAND_IDS } from '../dataset/ids';
import { MODEL_COMMAND_IDS } from '../model/ids';

export const COMMAND_IDS = [
  'seglens.openInSegLens',
  'seglens.openFiles',
  ...MODEL_COMMAND_IDS,
  ...DATASET_COMMAND_IDS,
] as const;
export type CommandId = (typeof COMMAND_IDS)[number];
