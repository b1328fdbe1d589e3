/**
 * Lists and pairs a dataset folder on a thread of its own (bundled as dist/datasetPlanWorker.js), and takes the
 * set's fingerprint for the result cache. Pairing reads only names, but a folder of 30,000 images is ~90,000 names
 * matched against every pairing rule, and the fingerprint stats every file: seconds of work that must not run on
 * the extension host's thread. One message in ({ root }), one out, then the thread ends. No vscode import.
 */
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../core/errors';
import { planFolder } from '../../node/dataset';
import { fingerprintOf } from './plan';

parentPort?.once('message', (msg: { root: string }) => {
  planFolder(msg.root).then(
    (plan) => parentPort?.postMessage({ ok: true, plan, fingerprint: fingerprintOf(plan) }),
    (e: unknown) => parentPort?.postMessage({ ok: false, message: errorMessage(e) }),
  );
});
