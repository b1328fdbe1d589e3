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
/**
 * A program on another file system (a container, another host) sends its values inside the evaluate reply, up to
 * this many bytes (base64 makes the reply a third larger). debugpy passes replies of any length; a debugger that
 * trims long results makes SegLens report a malformed reply instead.
 */
export const INLINE_TRANSFER_MAX_BYTES = 16 * 1024 * 1024;
