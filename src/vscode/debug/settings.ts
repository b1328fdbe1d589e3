/** The debugger bridge's setting (`seglens.debug.maxTransferMB`), checked like every other setting. */
import * as vscode from 'vscode';

/** @default 256 (MB), the size above which values are refused in the debuggee, before conversion or transfer. */
export const DEFAULT_MAX_TRANSFER_MB = 256;
/** The setting's bounds (package.json says the same; the manifest test keeps the default equal). */
export const MAX_TRANSFER_MB_RANGE = { min: 1, max: 8192 } as const;

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
