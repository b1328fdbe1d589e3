/**
 * The CLI and its worker bundled into `<dir>/bin/cli.js` and `<dir>/bin/worker.js` (one file each, the worker found
 * next to the CLI as in dist/), for benchmarks that time the built CLI as a fresh process.
 */
import { join } from 'node:path';
import { build } from 'esbuild';

export async function buildCliBundle(dir: string): Promise<{ cli: string; worker: string }> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    external: ['sharp', 'onnxruntime-node', 'vscode'],
    logLevel: 'silent' as const,
  };
  const cli = join(dir, 'bin/cli.js');
  const worker = join(dir, 'bin/worker.js');
  await build({ ...common, entryPoints: [join(__dirname, '../src/cli/main.ts')], outfile: cli });
  await build({
    ...common,
    entryPoints: [join(__dirname, '../src/node/workers/worker.ts')],
    outfile: worker,
  });
  return { cli, worker };
}
