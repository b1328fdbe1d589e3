/**
 * The pairing preview's plan and the set's fingerprint (the cache key's data part), computed off the extension
 * host's thread (planWorker.ts). Without the worker bundle (plain-node tests) they are computed in process.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { planFolder } from '../../node/dataset';
import type { DatasetPlan } from '../../node/dataset';

export interface PlannedSet {
  plan: DatasetPlan;
  /** SHA-256 over every paired file's path, size and mtime, and labels.json's bytes. */
  fingerprint: string;
}

/** The set's fingerprint: synchronous file stats, so call it on a worker thread (planWorker.ts does). */
export function fingerprintOf(plan: DatasetPlan): string {
  const h = createHash('sha256');
  const file = (p: string | undefined) => {
    if (!p) return h.update('-\n');
    try {
      const s = statSync(p);
      h.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
    } catch {
      h.update(`${p}\0missing\n`);
    }
  };
  for (const it of plan.items) {
    h.update(`${it.id}\n`);
    file(it.image);
    file(it.gt);
    for (const m of Object.keys(it.probs).sort()) {
      h.update(`${m}\n`);
      file(it.probs[m]);
    }
  }
  if (plan.labelsFile) {
    try {
      h.update(readFileSync(plan.labelsFile));
    } catch {
      h.update('labels missing');
    }
  }
  return h.digest('hex');
}

export async function planOffThread(root: string, workerScript: string): Promise<PlannedSet> {
  if (!existsSync(workerScript)) {
    const plan = await planFolder(root);
    return { plan, fingerprint: fingerprintOf(plan) };
  }
  return new Promise<PlannedSet>((resolve, reject) => {
    const worker = new Worker(workerScript);
    worker.unref();
    worker.once('message', (m: ({ ok: true } & PlannedSet) | { ok: false; message: string }) => {
      void worker.terminate();
      if (m.ok) resolve({ plan: m.plan, fingerprint: m.fingerprint });
      else reject(new Error(m.message));
    });
    worker.once('error', (e) => {
      void worker.terminate();
      reject(e);
    });
    worker.postMessage({ root });
  });
}
