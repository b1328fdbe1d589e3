/**
 * Entry point of the lint worker thread (bundled to dist/lintWorker.js). The extension's folder comes in
 * `workerData`; the parser's WebAssembly is read from there on the first lint.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadLinterWasm } from './assets';
import { LintEngine } from './lintEngine';
import type { LintRequest } from './workerProtocol';

const extensionPath = (workerData as { extensionPath: string }).extensionPath;
const engine = new LintEngine(() => loadLinterWasm(extensionPath));
// Requests are handled one at a time, in order: a tree must be updated by one edit list before the next arrives.
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (req: LintRequest) => {
  queue = queue.then(async () => {
    const reply = await engine.handle(req);
    if (reply) parentPort?.postMessage(reply);
  });
});
