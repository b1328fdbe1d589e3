/**
 * The one way SegLens writes a file from Node (the CLI, the model runner, sidecars): into a temporary sibling
 * with an unpredictable name, created exclusively (never through an existing file or symlink), then renamed over
 * the target. A failed write removes the temporary file and never leaves half a file at the target.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, errorMessage } from '../../core/errors';

export interface AtomicWriteOptions {
  /** What is being written, for the error message ("the probability map", "the report"). @default "the file" */
  what?: string;
}

export function writeAtomically(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): void {
  const what = options.what ?? 'the file';
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  refuseSymlink(path, what);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // 'wx' fails when the name exists, so the temporary file is always our own new file.
    fd = openSync(tmp, 'wx', 0o644);
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // The temporary file was never created.
    }
    throw new InputError(`cannot write ${what}: ${errorMessage(e)}`, path);
  }
}

/** A target that is a symlink would be replaced by a file, not written through; say so instead. */
function refuseSymlink(path: string, what: string): void {
  try {
    if (lstatSync(path).isSymbolicLink()) {
      throw new InputError(`refusing to write ${what} over a symbolic link`, path);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    // ENOENT: nothing there yet.
  }
}
