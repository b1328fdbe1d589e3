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
  // The pool's priority lane will most likely decode a sample's files (the viewer's decoding runs there): it readies
  // the native PNG decoder before it says it is ready, and the pool gives tasks to a started thread meanwhile
  // (issue 13: command to overlay). Other threads load sharp on their first PNG, so a CLI evaluation of arrays never
  // pays for it.
  const readyForFiles = (workerData as PoolWorkerData | undefined)?.readyForFiles === true;
  serveTasks(parentPort, TASKS, readyForFiles ? warmPlainPng() : undefined);
}
