/**
 * The viewer's file access: a folder's names, a file's type and size, its bytes. Files of the `file` scheme are
 * read with Node's own file system — they are on the machine the extension host runs on, which is what VS Code's
 * disk provider reads too — and every other scheme (remote and virtual folders) through `vscode.workspace.fs`.
 *
 * Why (issue 13, command to overlay): in the browser workbench `vscode.workspace.fs` calls travel through the
 * workbench's channel, in order with the panels' messages. Measured there, pairing a 1024² sample (five folder
 * listings) took 1.4–1.9 s while an analysis message was on its way to a panel, against 4–35 ms for Node's listing
 * of the same folder at the same moment.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import * as vscode from 'vscode';

/** The names in a folder. Rejects like the file system does (a missing folder, no access). */
export async function folderNames(dir: vscode.Uri): Promise<string[]> {
  if (dir.scheme === 'file') return readdir(dir.fsPath);
  const entries = await vscode.workspace.fs.readDirectory(dir);
  return entries.map(([name]) => name);
}

/**
 * Whether the path is a folder, a regular file (not a pipe, socket or device, whose read would block or never
 * end), and its size in bytes (following links).
 */
export async function fileInfo(
  uri: vscode.Uri,
): Promise<{ folder: boolean; regular: boolean; size: number }> {
  if (uri.scheme === 'file') {
    const s = await stat(uri.fsPath);
    return { folder: s.isDirectory(), regular: s.isFile(), size: s.size };
  }
  const s = await vscode.workspace.fs.stat(uri);
  return {
    folder: (s.type & vscode.FileType.Directory) !== 0,
    regular: (s.type & vscode.FileType.File) !== 0,
    size: s.size,
  };
}

/** A file's bytes. */
export async function fileBytes(uri: vscode.Uri): Promise<Uint8Array> {
  if (uri.scheme === 'file') {
    const b = await readFile(uri.fsPath);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  return vscode.workspace.fs.readFile(uri);
}
