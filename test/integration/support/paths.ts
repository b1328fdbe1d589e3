// Integration tests are bundled into out/, so __dirname says little about where the sources and fixtures are; the
// launcher passes the repository root explicitly.
import * as path from 'node:path';

/** Absolute path of the repository (the extension under development). */
export const repoRoot: string = process.env.SEGLENS_REPO_ROOT || path.resolve(__dirname, '..', '..');

/** Absolute path of a file under the repository, e.g. `repoPath('test', 'fixtures', 'x.png')`. */
export function repoPath(...segments: string[]): string {
  return path.join(repoRoot, ...segments);
}
