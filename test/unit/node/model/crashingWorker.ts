// A stand-in for a model worker whose thread dies (as on a native crash or memory exhaustion): it exits on the
// first request. Used by worker.test.ts to check that the client reports it and recovers.
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', () => process.exit(3));
