/**
 * Builds the pool worker bundle for plain-node tests, the way esbuild.mjs builds dist/worker.js but from the test
 * entry (testWorker.ts: the product's tasks plus the probes of testTasks.ts), into a temporary folder the caller
 * removes with `dispose()`.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../../support/repo';
import { makeTempDir } from '../../../support/tempDir';

export interface BuiltWorker {
  script: string;
  dispose(): void;
}

export async function buildPoolWorker(prefix: string): Promise<BuiltWorker> {
  const dir = makeTempDir(prefix).path;
  const script = join(dir, 'worker.js');
  await build({
    entryPoints: [join(REPO, 'test/unit/node/workers/testWorker.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['sharp', 'onnxruntime-node', 'vscode'],
    nodePaths: [join(REPO, 'node_modules')],
    logLevel: 'silent',
  });
  return { script, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
