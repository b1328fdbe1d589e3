/** All commands of the extension, in one table (the manifest test checks it against package.json). */
import { datasetCommands } from '../dataset/commands';
import type { ViewerContext } from '../viewer/context';
import { openFilesCommand } from './openFiles';
import { openInSegLensCommand } from './openInSegLens';
import type { CommandSpec } from './table';

export function commandTable(ctx: ViewerContext): CommandSpec[] {
  return [openInSegLensCommand(ctx), openFilesCommand(ctx), ...datasetCommands(ctx)];
}
