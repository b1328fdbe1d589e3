/**
 * The debugger bridge's commands (docs/debugging.md): "View in SegLens" on a variable of a paused session,
 * "View Expressions in SegLens…" and "Check Loss at Breakpoint". They run only on the user's gesture and only
 * while a session is paused (session.ts); the temp folders they create are removed with the panels that show them,
 * and any left when the extension stops.
 */
import * as vscode from 'vscode';
import { splitExpressions } from '../../core/debug/expressions';
import { TempStore } from '../../node/debug/tempStore';
import type { CommandHandlers, CommandHandler } from '../commands/table';
import type { CommandsOf } from '../commands/ids';
import type { ViewerContext } from '../viewer/context';
import { checkLoss } from './checkLoss';
import { expressionsArg, variableArg, viewValues } from './viewValues';

const STORE = new TempStore();
// Folders whose panels are still open when the extension host stops go with it (rmSync: exit handlers are sync).
process.once('exit', () => STORE.removeAll());

const noSession = (): string | undefined =>
  vscode.debug.activeDebugSession ? undefined : 'start a debug session and stop at a breakpoint first.';

export function debugCommands(ctx: ViewerContext): CommandHandlers<CommandsOf<'debug'>> {
  const viewVariable: CommandHandler = {
    unavailable: noSession,
    run: async (arg: unknown) => {
      const v = variableArg(arg);
      if (!v) throw new Error('run this from a variable in the Variables or Watch view of a paused session.');
      return viewValues(ctx, STORE, [v.expression], { sessionId: v.sessionId });
    },
  };
  const viewExpressions: CommandHandler = {
    unavailable: noSession,
    run: async (arg: unknown) => {
      const given = expressionsArg(arg);
      if (given) return viewValues(ctx, STORE, given.expressions, { index: given.index });
      const typed = await vscode.window.showInputBox({
        title: 'SegLens: View Expressions',
        prompt: 'Expressions in the paused frame, separated by commas: an image, a mask, a prediction',
        placeHolder: 'images, y_true, y_pred',
        // Stays open when the focus moves (e.g. to the editor, to look up a name); Escape cancels.
        ignoreFocusOut: true,
      });
      if (!typed) return { refused: 'no expression given.', values: [], notes: [] };
      return viewValues(ctx, STORE, splitExpressions(typed));
    },
  };
  return {
    'seglens.debug.viewVariable': viewVariable,
    'seglens.debug.viewExpressions': viewExpressions,
    'seglens.debug.checkLoss': { unavailable: noSession, run: (arg: unknown) => checkLoss(STORE, arg) },
  };
}
