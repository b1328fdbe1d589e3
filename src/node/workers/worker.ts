/**
 * Entry point of a pool worker thread (bundled as dist/worker.js): serves the product's task table (tasks.ts).
 * Tests bundle their own entry that serves this table plus their probes (test/unit/node/workers/testWorker.ts).
 */
import { parentPort } from 'node:worker_threads';
import { serveTasks } from './serveTasks';
import { TASKS } from './tasks';

if (parentPort) serveTasks(parentPort, TASKS);
