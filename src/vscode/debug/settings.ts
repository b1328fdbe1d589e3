/** The debugger bridge's setting (`seglens.debug.maxTransferMB`), checked like every other setting. */
import * as vscode from 'vscode';
import { DEFAULT_MAX_TRANSFER_MB, MAX_TRANSFER_MB_RANGE } from './limits';

/** The limit in bytes; a missing, mistyped or out-of-range value falls back to the default. */
export function maxTransferBytes(): number {
  const v = vscode.workspace.getConfiguration('seglens.debug').get<unknown>('maxTransferMB');
  const mb =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    v >= MAX_TRANSFER_MB_RANGE.min &&
    v <= MAX_TRANSFER_MB_RANGE.max
      ? v
      : DEFAULT_MAX_TRANSFER_MB;
  return Math.floor(mb * 1024 * 1024);
}
