/**
 * Entry point of a pool worker thread (bundled as dist/worker.js): serves the product's task table (tasks.ts).
 * Tests bundle their own entry that serves this table plus their probes (test/unit/node/workers/testWorker.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveTasks } from './serveTasks';
import { TASKS } from './tasks';
import { warmPlainPng } from '../io/plainPng';
import type { PoolWorkerData } from './pool';

if (parentPort) {
  // The priority lane, and a thread replacing one stopped with its task (the viewer stops a sample's analysis as the
  // next sample loads), will most likely decode a sample's files: they ready the native PNG decoder before they say
  // they are ready, and the pool gives tasks to a started thread meanwhile (issue 13: command to overlay). Other
  // threads load sharp on their first PNG, so a CLI evaluation of arrays never pays for it.
  const readyForFiles = (workerData as PoolWorkerData | undefined)?.readyForFiles === true;
  serveTasks(parentPort, TASKS, readyForFiles ? warmPlainPng() : undefined);
}
