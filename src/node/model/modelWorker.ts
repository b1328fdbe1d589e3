/**
 * Entry point of the model worker thread (bundled as dist/modelWorker.js). It owns one ModelRunner, so sessions
 * stay cached across requests, and runs onnxruntime off the extension host's thread: a slow or crashing model
 * never freezes the editor. Requests arrive over the worker RPC (../workers/rpc.ts): every one gets one final
 * answer, a failure is serialised with its message (which names the model or image) and the worker keeps serving.
 */
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { serve } from '../workers/rpc';
import { CancelledError } from '../../core/errors';
import { planFolderOutputs, runModelOnFolder } from './folderRun';
import { loadImageFile as loadModelImage } from '../io/load';
import { ModelRunner } from './runner';
import { SessionCache } from './sessionCache';
import { runModelOnVolumeToFile } from '../volume/sliceModel';
import type { ModelMethods, ModelWorkerData } from './workerProtocol';

const port = parentPort;
if (port) {
  // Leave one core to the extension host and the webview: with every core running onnxruntime the editor's
  // event loop waits for CPU time (measured stalls above 100 ms during folder runs on 2 cores).
  const data = (workerData ?? {}) as ModelWorkerData;
  const runner = new ModelRunner(
    new SessionCache({
      intraOpNumThreads: Math.max(1, availableParallelism() - 1),
      cacheMemoryMB: typeof data.cacheMemoryMB === 'number' ? data.cacheMemoryMB : undefined,
    }),
  );

  serve<ModelMethods>(port, {
    inspect: async (req) => ({ value: await runner.inspect(req.modelPath, req.choice) }),
    runImage: async (req, ctx) => {
      const source = req.imageSource ?? (typeof req.image === 'string' ? req.image : 'image');
      const image = typeof req.image === 'string' ? await loadModelImage(req.image) : req.image;
      const result = await runner.run(req.modelPath, image, source, req.choice);
      if (ctx.cancelled) throw new CancelledError();
      const buffer = result.prob.data.buffer;
      return { value: result, transfer: buffer instanceof ArrayBuffer ? [buffer] : [] };
    },
    runFolder: async (req, ctx) => {
      const plan = planFolderOutputs(req.inputs, req.outputDir);
      const summary = await runModelOnFolder(runner, req.modelPath, plan, {
        choice: req.choice,
        existing: req.existing,
        isCancelled: () => ctx.cancelled,
        onProgress: (progress) => ctx.progress(progress),
      });
      return { value: summary };
    },
    runVolume: async (req, ctx) => {
      const summary = await runModelOnVolumeToFile(runner, req.modelPath, req.volumePath, req.output, {
        axis: req.axis,
        choice: req.choice,
        intensity: req.intensity,
        maxOutputElements: req.maxOutputElements,
        isCancelled: () => ctx.cancelled,
        onProgress: (p) => ctx.progress(p),
      });
      return { value: summary };
    },
  });
}
