/** The viewer's commands' handlers for the extension's command table (ids.ts lists every command). */
import type { ViewerContext } from '../viewer/context';
import type { CommandHandlers } from './table';
import { openFilesCommand } from './openFiles';
import { openInSegLensCommand } from './openInSegLens';

export function viewerCommands(
  ctx: ViewerContext,
): CommandHandlers<'seglens.openInSegLens' | 'seglens.openFiles'> {
  return {
    'seglens.openInSegLens': openInSegLensCommand(ctx),
    'seglens.openFiles': openFilesCommand(ctx),
  };
}
