/**
 * Entry point of the lint worker thread (bundled to dist/lintWorker.js). The extension's folder comes in
 * `workerData`; the parser's WebAssembly is read from there on the first lint. Requests are served over the worker
 * RPC one at a time, in order: a tree must be updated by one edit list before the next arrives.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serve } from '../workers/rpc';
import { loadLinterWasm } from './assets';
import { LintEngine } from './lintEngine';
import type { LintMethods } from './workerProtocol';

const extensionPath = (workerData as { extensionPath: string }).extensionPath;
const engine = new LintEngine(() => loadLinterWasm(extensionPath));
if (parentPort) {
  serve<LintMethods>(
    parentPort,
    {
      lint: async (input) => ({ value: await engine.lint(input) }),
      close: async ({ key }) => {
        engine.close(key);
        return { value: undefined };
      },
    },
    { sequential: true },
  );
}
