// Bundles the integration suite for the extension host: test/integration/index.ts and every
// test/integration/*.test.ts become out/integration/*.js. vscode is provided by the host; the native modules and
// mocha are loaded from node_modules at run time, exactly as the extension loads them.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './server';

export const suiteOutDir = path.join(repoRoot, 'out', 'integration');
export const suiteEntry = path.join(suiteOutDir, 'index.js');

/** Builds the suite and returns the names of the bundled test files. */
export async function buildSuite(): Promise<string[]> {
  const srcDir = path.join(repoRoot, 'test', 'integration');
  const tests = readdirSync(srcDir)
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  // A deleted test must not keep running from a stale bundle.
  rmSync(suiteOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: ['index.ts', ...tests].map((name) => path.join(srcDir, name)),
    outdir: suiteOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'sharp', 'onnxruntime-node', 'mocha'],
    logLevel: 'warning',
  });
  return tests.map((name) => name.replace(/\.ts$/, '.js'));
}
