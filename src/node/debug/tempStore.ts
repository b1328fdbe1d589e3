/**
 * The temporary folders of the debugger bridge: one per request, under the OS temp folder, named `seglens-debug-*`
 * and readable only by the user (the debuggee writes its arrays there; the viewer reads the per-image files). Each
 * is removed when the panel showing its files closes, and any left over when the extension stops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const TEMP_PREFIX = 'seglens-debug-';

export class TempStore {
  private readonly folders = new Set<string>();

  constructor(private readonly root: string = tmpdir()) {}

  /** A new empty folder (mode 0700 on POSIX: mkdtemp creates it so). */
  create(): string {
    const dir = mkdtempSync(path.join(this.root, TEMP_PREFIX));
    this.folders.add(dir);
    return dir;
  }

  /** Folders created and not yet removed. */
  get live(): readonly string[] {
    return [...this.folders];
  }

  /** Removes one folder with its files; a missing folder is not an error. */
  remove(dir: string): void {
    if (!this.folders.delete(dir)) return;
    rmSync(dir, { recursive: true, force: true });
  }

  removeAll(): void {
    for (const dir of [...this.folders]) this.remove(dir);
  }
}
