/**
 * Entry point of the model worker thread (bundled as dist/modelWorker.js). It owns one ModelRunner, so sessions
 * stay cached across requests, and runs onnxruntime off the extension host's thread: a slow or crashing model
 * never freezes the editor. Every request gets one final answer; a failure is serialised with its message
 * (which names the model or image) and the worker keeps serving.
 */
import { availableParallelism } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../workers/serializeError';
import { CancelledError } from '../../core/errors';
import { planFolderOutputs, runModelOnFolder } from './folderRun';
import { loadImageFile as loadModelImage } from '../io/load';
import { ModelRunner } from './runner';
import { SessionCache } from './sessionCache';
import type { ModelWorkerRequest, ModelWorkerResponse } from './workerProtocol';

const port = parentPort;
if (port) {
  // Leave one core to the extension host and the webview: with every core running onnxruntime the editor's
  // event loop waits for CPU time (measured stalls above 100 ms during folder runs on 2 cores).
  const runner = new ModelRunner(
    new SessionCache({ intraOpNumThreads: Math.max(1, availableParallelism() - 1) }),
  );
  const cancelled = new Set<number>();
  const send = (msg: ModelWorkerResponse, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

  const handle = async (req: Exclude<ModelWorkerRequest, { type: 'cancel' }>): Promise<void> => {
    switch (req.type) {
      case 'inspect':
        send({ type: 'inspected', id: req.id, result: await runner.inspect(req.modelPath, req.choice) });
        return;
      case 'runImage': {
        const source = req.imageSource ?? (typeof req.image === 'string' ? req.image : 'image');
        const image = typeof req.image === 'string' ? await loadModelImage(req.image) : req.image;
        const result = await runner.run(req.modelPath, image, source, req.choice);
        if (cancelled.has(req.id)) throw new CancelledError();
        const buffer = result.prob.data.buffer;
        send({ type: 'ran', id: req.id, result }, buffer instanceof ArrayBuffer ? [buffer] : []);
        return;
      }
      case 'runFolder': {
        const plan = planFolderOutputs(req.inputs, req.outputDir);
        const summary = await runModelOnFolder(runner, req.modelPath, plan, {
          choice: req.choice,
          existing: req.existing,
          isCancelled: () => cancelled.has(req.id),
          onProgress: (progress) => send({ type: 'progress', id: req.id, progress }),
        });
        send({ type: 'folderDone', id: req.id, summary });
        return;
      }
    }
  };

  port.on('message', (req: ModelWorkerRequest) => {
    if (req.type === 'cancel') {
      cancelled.add(req.id);
      return;
    }
    handle(req)
      .catch((e: unknown) => send({ type: 'failed', id: req.id, error: serializeError(e) }))
      .finally(() => cancelled.delete(req.id));
  });
}
