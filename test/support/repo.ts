import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root folder, found from this file so that a test's depth in the tree never matters. */
function findRepo(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export const REPO = findRepo();

/** A path inside the repository, e.g. `repoPath('test/fixtures/io')`. */
export function repoPath(...parts: string[]): string {
  return join(REPO, ...parts);
}
