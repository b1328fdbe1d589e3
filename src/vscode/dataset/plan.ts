/**
 * The pairing preview's plan, computed off the extension host's thread (planWorker.ts). Without the worker bundle
 * (plain-node tests) it runs in process.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { planFolder } from '../../node/dataset';
import type { DatasetPlan } from '../../node/dataset';

export async function planOffThread(root: string, workerScript: string): Promise<DatasetPlan> {
  if (!existsSync(workerScript)) return planFolder(root);
  return new Promise<DatasetPlan>((resolve, reject) => {
    const worker = new Worker(workerScript);
    worker.unref();
    worker.once('message', (m: { ok: true; plan: DatasetPlan } | { ok: false; message: string }) => {
      void worker.terminate();
      if (m.ok) resolve(m.plan);
      else reject(new Error(m.message));
    });
    worker.once('error', (e) => {
      void worker.terminate();
      reject(e);
    });
    worker.postMessage({ root });
  });
}
