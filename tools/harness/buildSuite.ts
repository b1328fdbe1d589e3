// Bundles suites for the extension host: test/integration/index.ts and every test/integration/*.test.ts become
// out/integration/*.js. vscode is provided by the host; the native modules and mocha are loaded from node_modules
// at run time, exactly as the extension loads them.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './server';

export const suiteOutDir = path.join(repoRoot, 'out', 'integration');
export const suiteEntry = path.join(suiteOutDir, 'index.js');

/** One bundle: a source file and the output name (without .js) inside the out folder. */
export interface HostBundle {
  in: string;
  out: string;
}

/** Bundles `entries` into `outDir` (emptied first, so a deleted test never runs from a stale bundle). */
export async function bundleForHost(outDir: string, entries: HostBundle[]): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'sharp', 'onnxruntime-node', 'mocha'],
    logLevel: 'warning',
  });
}

/**
 * Builds the integration suite into `outDir` (default out/integration) and returns the names of the bundled test
 * files. The harness gives every run its own folder, so runs started side by side in one tree never share one.
 */
export async function buildSuite(outDir: string = suiteOutDir): Promise<string[]> {
  const srcDir = path.join(repoRoot, 'test', 'integration');
  const tests = readdirSync(srcDir)
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  await bundleForHost(
    outDir,
    ['index.ts', ...tests].map((name) => ({ in: path.join(srcDir, name), out: name.replace(/\.ts$/, '') })),
  );
  return tests.map((name) => name.replace(/\.ts$/, '.js'));
}
