/** Entry of the test worker bundle: the product's worker, serving the product's tasks plus the test probes. */
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../../../../src/node/workers/serveTasks';
import { TEST_TASKS } from './testTasks';

if (parentPort) serveTasks(parentPort, TEST_TASKS);
