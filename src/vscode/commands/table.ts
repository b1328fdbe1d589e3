/**
 * The command table (docs/style.md habit 9): every contributed command is one row, and every row always answers —
 * a failure becomes an error notification naming the problem instead of a silent rejection.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import type { CommandId } from './ids';

export interface CommandSpec {
  /** The id contributed in package.json. */
  id: CommandId;
  run(...args: unknown[]): Promise<void>;
}

export function registerCommandTable(
  specs: CommandSpec[],
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  return specs.map((spec) =>
    vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
      try {
        await spec.run(...args);
      } catch (e) {
        log.error(`${spec.id} failed: ${e instanceof Error && e.stack ? e.stack : errorMessage(e)}`);
        void vscode.window.showErrorMessage(`SegLens: ${errorMessage(e)}`);
      }
    }),
  );
}
