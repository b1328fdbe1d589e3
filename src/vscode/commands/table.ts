/**
 * The command table (docs/style.md habit 9): every contributed command is one row of ids.ts with one handler here,
 * registered by one loop, and every command always answers — with its result, with the reason it is unavailable
 * now, or with an error notification naming the problem — never with a silent rejection.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { COMMANDS, type CommandId } from './ids';

export interface CommandHandler {
  /** Runs the command with VS Code's arguments (e.g. the clicked and the selected URIs); its value is returned. */
  run(...args: unknown[]): Promise<unknown>;
  /** Why the command cannot run now (shown to the user instead of running), or undefined when it can. */
  unavailable?(): string | undefined;
  /** What the command returns when it was unavailable or failed (callers of executeCommand read it). @default undefined */
  fallback?: unknown;
}

/** Handlers for some commands, e.g. `CommandHandlers<CommandsOf<'lint'>>` for a feature's part of the table. */
export type CommandHandlers<K extends CommandId = CommandId> = { readonly [P in K]: CommandHandler };

/** Registers every command of the table with its handler. */
export function registerCommands(
  handlers: CommandHandlers,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  return COMMANDS.map(({ id }) => {
    const handler: CommandHandler = handlers[id];
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        const why = handler.unavailable?.();
        if (why !== undefined) {
          void vscode.window.showInformationMessage(`SegLens: ${why}`);
          return handler.fallback;
        }
        return await handler.run(...args);
      } catch (e) {
        log.error(`${id} failed: ${e instanceof Error && e.stack ? e.stack : errorMessage(e)}`);
        void vscode.window.showErrorMessage(`SegLens: ${errorMessage(e)}`);
        return handler.fallback;
      }
    });
  });
}
