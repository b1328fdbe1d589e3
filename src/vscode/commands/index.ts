/** The viewer's commands' handlers for the extension's command table (ids.ts lists every command). */
import type { ViewerContext } from '../viewer/context';
import type { CommandHandlers } from './table';
import { openFilesCommand } from './openFiles';
import { openInSegLensCommand } from './openInSegLens';
import { debugCommands } from '../debug/commands';
import { volumeCommands } from '../volume/commands';
import type { CommandsOf } from './ids';

export function viewerCommands(
  ctx: ViewerContext,
): CommandHandlers<
  'seglens.openInSegLens' | 'seglens.openFiles' | CommandsOf<'debug'> | CommandsOf<'volume'>
> {
  return {
    'seglens.openInSegLens': openInSegLensCommand(ctx),
    'seglens.openFiles': openFilesCommand(ctx),
    // The debugger bridge opens what it reads in the viewer, so it shares the viewer's context.
    ...debugCommands(ctx),
    // The three-plane volume viewer is a panel of its own with the same context.
    ...volumeCommands(ctx),
  };
}
