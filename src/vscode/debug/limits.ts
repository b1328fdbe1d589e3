/**
 * The debugger bridge's setting, free of vscode so the manifest test reads it in plain node:
 * `seglens.debug.maxTransferMB`, the total size above which values are refused in the debuggee, before any is
 * converted or written.
 */
export const MAX_TRANSFER_SETTING = 'seglens.debug.maxTransferMB';
/** @default 256 (MB) */
export const DEFAULT_MAX_TRANSFER_MB = 256;
/** The setting's bounds (package.json says the same). */
export const MAX_TRANSFER_MB_RANGE = { min: 1, max: 8192 } as const;
