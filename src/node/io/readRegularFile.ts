/**
 * A file's bytes, read in one go on the calling thread — a pool thread: the viewer's files of the machine's own file
 * system are read where they are decoded, so the extension host's event loop never carries them (issue 13, command
 * to overlay: a 4 MB map took 10–220 ms to arrive through the host's chunked reads while its thread was busy with a
 * new panel or the previous sample's messages; a thread reads it in a few ms).
 *
 * It refuses what it must never read, with the viewer's messages, naming `source`:
 * - a folder;
 * - a pipe, socket or device, whose read would block or never end. The file is opened non-blocking and checked on the
 *   open descriptor, so a file swapped for a pipe after any earlier check is still refused, and opening a pipe
 *   without a writer does not wait for one;
 * - a file larger than `maxBytes` (checked before anything is allocated).
 * A file that shrinks while it is read gives what it holds; one that grows gives its first `size` bytes.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError, errorMessage } from '../../core/errors';

/**
 * Why a file must not be read, from what its stat says, or undefined when it may be: the one rule for the viewer's
 * readers (this one on a worker thread; the host's, for labels files and files of other schemes).
 */
export function fileRefusal(
  info: { folder: boolean; regular: boolean; size: number },
  maxBytes: number,
): string | undefined {
  if (info.folder) return 'is a folder, not a file';
  if (!info.regular) return 'is not a regular file (a pipe, socket or device is never read)';
  if (info.size > maxBytes) return `file is ${info.size} bytes, larger than SegLens reads`;
  return undefined;
}

export function readRegularFile(path: string, source: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    // O_NONBLOCK does not exist on Windows, where opening a pipe by path does not block either.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EISDIR')
      throw new InputError(fileRefusal({ folder: true, regular: false, size: 0 }, maxBytes) ?? '', source);
    throw new InputError(`cannot read the file: ${errorMessage(e)}`, source);
  }
  try {
    const info = fstatSync(fd);
    const refusal = fileRefusal(
      { folder: info.isDirectory(), regular: info.isFile(), size: info.size },
      maxBytes,
    );
    if (refusal) throw new InputError(refusal, source);
    const bytes = new Uint8Array(info.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === bytes.length ? bytes : bytes.slice(0, at);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read the file: ${errorMessage(e)}`, source);
  } finally {
    closeSync(fd);
  }
}
