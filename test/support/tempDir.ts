import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The one way tests make scratch folders: a fresh folder under the OS temp dir, removed by `dispose()` (or by the
 * mocha hooks of `useTempDir`). Never inside the repository, so a failed test leaves nothing in the work tree.
 */
export function makeTempDir(prefix = 'seglens-test'): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A scratch folder for a mocha suite: created before each test (`each: true`) or once before all, removed after.
 * Read `.path` inside tests, not at suite definition time.
 */
export function useTempDir(
  prefix = 'seglens-test',
  options: { each?: boolean } = {},
): { readonly path: string } {
  let current: { path: string; dispose(): void } | undefined;
  const holder = {
    get path(): string {
      if (!current) throw new Error('useTempDir: the folder exists only while a test runs');
      return current.path;
    },
  };
  const create = (): void => {
    current = makeTempDir(prefix);
  };
  const remove = (): void => {
    current?.dispose();
    current = undefined;
  };
  if (options.each) {
    beforeEach(create);
    afterEach(remove);
  } else {
    before(create);
    after(remove);
  }
  return holder;
}
