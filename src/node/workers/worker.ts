/**
 * Entry point of a pool worker thread (bundled as dist/worker.js): serves the product's task table (tasks.ts).
 * Tests bundle their own entry that serves this table plus their probes (test/unit/node/workers/testWorker.ts).
 */
import { parentPort } from 'node:worker_threads';
import { serveTasks } from './serveTasks';
import { TASKS } from './tasks';
import { warmPlainPng } from '../io/plainPng';

if (parentPort) {
  serveTasks(parentPort, TASKS);
  // Most threads are started to decode a sample's files (or to replace one stopped with its analysis, while the
  // next sample is read): have the native PNG decoder ready by then (issue 13: command to overlay).
  setImmediate(() => void warmPlainPng());
}
